// A problem with a user's file, located precisely enough for an editor to jump to.
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";

export type KeyPath = readonly (string | number)[];

export interface Problem {
  file: string;
  line: number;
  col: number;
  path: KeyPath;
  message: string;
}

export function pathText(path: KeyPath): string {
  return path.length === 0 ? "(file)" : path.map(String).join(".");
}

/** `file:line:col: key.path: message`, the one line format of every input problem. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}: ${pathText(p.path)}: ${p.message}`;
}

/** Finds the source offset of a key path: the key itself when `atKey`, else its value. Falls back to the deepest node found. */
export function offsetOf(doc: Document, path: KeyPath, atKey = false): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      if (last && atKey) return rangeStart(pair.key) ?? offset;
      node = pair.value;
      offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(node) ?? offset;
    } else break;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

export function problemAt(file: string, lc: LineCounter, offset: number, path: KeyPath, message: string): Problem {
  const { line, col } = lc.linePos(offset);
  return { file, line, col, path, message };
}

// A problem with a user's file, located precisely enough for an editor to jump to.
import { printable } from "./printable.js";
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from "yaml";

export type KeyPath = readonly (string | number)[];

export interface Problem {
  file: string;
  line: number;
  col: number;
  path: KeyPath;
  message: string;
}

/**
 * The key path as printed: `(file)` when there is none; a key that is empty or
 * holds ": " is written so that `file:line:col: key.path: message` still splits at the first ": " after the column.
 */
export function pathText(path: KeyPath): string {
  return path.length === 0 ? "(file)" : path.map((k) => (k === "" ? '""' : String(k).replace(/: /g, "\\u003a "))).join(".");
}

/** `file:line:col: key.path: message`, the one line format of every input problem; control characters (a key or a name may hold a newline) written as escapes (printable.ts), so a problem stays one line. */
export function formatProblem(p: Problem): string {
  return printable(`${p.file}:${p.line}:${p.col}: ${pathText(p.path)}: ${p.message}`);
}

/** Finds the source offset of a key path: the key itself when `atKey`, else its value. Falls back to the deepest node found. */
export function offsetOf(doc: Document, path: KeyPath, atKey = false): number {
  return locate(doc, path, atKey).offset;
}

/** The node at a key path, when the whole path leads to one (an alias stops the walk: it is where the data is used). */
export function nodeAt(doc: Document, path: KeyPath): unknown {
  const found = locate(doc, path, false);
  return found.complete ? found.node : undefined;
}

function locate(doc: Document, path: KeyPath, atKey: boolean): { offset: number; node: unknown; complete: boolean } {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = pairOf(node, String(seg));
      if (!pair) return { offset, node, complete: false };
      if (last && atKey) return { offset: rangeStart(pair.key) ?? offset, node: pair.key, complete: true };
      node = pair.value;
      offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg];
      if (item === undefined) return { offset, node, complete: false };
      node = item;
      offset = rangeStart(node) ?? offset;
    } else return { offset, node, complete: false };
  }
  return { offset, node, complete: true };
}

const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

/** The first pair of a mapping with that key; indexed, as a file with 100,000 unknown keys looks each one up. */
function pairOf(map: YAMLMap, key: string): Pair | undefined {
  let index = pairIndex.get(map);
  if (index === undefined) {
    index = new Map();
    for (const p of map.items) {
      if (isPair(p) && isScalar(p.key)) {
        const k = String(p.key.value);
        if (!index.has(k)) index.set(k, p);
      }
    }
    pairIndex.set(map, index);
  }
  return index.get(key);
}

/**
 * The key path of the deepest node whose source holds `offset` (for YAML
 * errors, which come with an offset only). A key's own text counts as the key's path.
 */
export function pathAtOffset(doc: Document, offset: number): KeyPath {
  const path: (string | number)[] = [];
  let node: unknown = doc.contents;
  const holds = (n: unknown) => {
    const r = (n as Node | null | undefined)?.range;
    return r !== undefined && r !== null && r[0] <= offset && offset < Math.max(r[2], r[0] + 1);
  };
  for (;;) {
    if (isMap(node)) {
      // Items are in source order: the last one starting at or before the offset is the only candidate.
      const pair = node.items[lastStartingBy(node.items, (p) => rangeStart(p.key) ?? rangeStart(p.value), offset)];
      if (!pair || !isScalar(pair.key) || !(holds(pair.key) || holds(pair.value))) break;
      path.push(String(pair.key.value));
      if (holds(pair.key)) break;
      node = pair.value;
    } else if (isSeq(node)) {
      const i = lastStartingBy(node.items, rangeStart, offset);
      if (i < 0 || !holds(node.items[i])) break;
      path.push(i);
      node = node.items[i];
    } else break;
  }
  return path;
}

/** Binary search: the index of the last item whose start is at or before `offset` (-1 if none). */
function lastStartingBy<T>(items: readonly T[], startOf: (item: T) => number | undefined, offset: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = startOf(items[mid] as T);
    if (s !== undefined && s <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

export function problemAt(file: string, lc: LineCounter, offset: number, path: KeyPath, message: string): Problem {
  const { line, col } = lc.linePos(offset);
  return { file, line, col, path, message };
}

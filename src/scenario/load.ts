// YAML text to plain data, keeping the document so every later problem can
// name its line and column. Pure: the caller reads the file.
import { LineCounter, parseDocument, type Document } from "yaml";
import { problemAt, type Problem } from "./problems.js";

/** Larger files are refused before parsing: no real scenario comes near it, and parsing 50 MB of YAML takes seconds. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Deeper nesting than any scenario needs; refusing it keeps the parser's recursion far from the stack limit. */
export const MAX_DEPTH = 64;

export type Parsed =
  | { ok: true; data: unknown; doc: Document; lines: LineCounter }
  | { ok: false; problems: Problem[] };

export function parseYaml(text: string, file: string): Parsed {
  const lines = new LineCounter();
  const fail = (offset: number, message: string): Parsed => ({
    ok: false,
    problems: [problemAt(file, lines, offset, [], message)],
  });
  if (text.length > MAX_FILE_BYTES) {
    return { ok: false, problems: [{ file, line: 1, col: 1, path: [], message: `file is too large (${text.length} bytes; a scenario may have at most ${MAX_FILE_BYTES})` }] };
  }
  const deep = tooDeep(text);
  if (deep !== undefined) {
    lines.addNewLine(0);
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines.addNewLine(i + 1);
    return fail(deep, `nesting deeper than ${MAX_DEPTH} levels`);
  }
  const doc = parseDocument(text, { intAsBigInt: true, uniqueKeys: true, prettyErrors: false, lineCounter: lines, version: "1.2" });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => problemAt(file, lines, e.pos[0], [], `YAML syntax: ${firstLine(e.message)}`)),
    };
  }
  try {
    // maxAliasCount bounds the expansion of alias bombs ("billion laughs").
    const data: unknown = doc.toJS({ maxAliasCount: 100 });
    return { ok: true, data, doc, lines };
  } catch (e) {
    const message = e instanceof Error ? firstLine(e.message) : String(e);
    return fail(0, `YAML could not be read: ${message}`);
  }
}

/** A quote opens a quoted scalar only where a value can begin (not the apostrophe in "don't"). */
function opensScalar(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (text[j] === " " || text[j] === "\t")) j--;
  return j < 0 || ":-[{,\n?".includes(text[j] ?? "");
}

function firstLine(s: string): string {
  return s.split("\n")[0]?.trim() ?? s;
}

/**
 * Offset where flow or block nesting passes MAX_DEPTH, if it does. A cheap
 * over-approximation on the raw text: brackets and indentation.
 */
function tooDeep(text: string): number | undefined {
  let flow = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "#" && (i === 0 || /\s/.test(text[i - 1] ?? ""))) {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if ((c === '"' || c === "'") && opensScalar(text, i)) quote = c;
    else if (c === "[" || c === "{") {
      if (++flow > MAX_DEPTH) return i;
    } else if (c === "]" || c === "}") flow = Math.max(0, flow - 1);
  }
  // Block nesting: each level indents at least one column, and "- - - x" nests on one line.
  let offset = 0;
  for (const line of text.split("\n")) {
    const indent = /^[ -]*/.exec(line)?.[0].length ?? 0;
    if (indent > MAX_DEPTH * 8) return offset;
    offset += line.length + 1;
  }
  return undefined;
}

// YAML text to plain data, keeping the document so every later problem can
// name its line and column. Pure: the caller reads the file.
//
// Hostile input is refused before it can cost much: the size first, then the
// nesting (checked on the parser's tokens without recursion, before the
// recursive composer sees them), then what aliases would expand to (counted
// while the data is built, so an alias bomb never grows).
import { CST, Composer, isAlias, isMap, isScalar, isSeq, LineCounter, Parser, type Document, type Scalar, type YAMLError } from "yaml";
import { describe } from "./numbers.js";
import { pathAtOffset, problemAt, type KeyPath, type Problem } from "./problems.js";

/**
 * Larger files are refused before parsing: no real scenario comes near it
 * (the largest shipped one is a few KB; big memory is written with fill), and
 * the YAML library takes 2 to 3 s per MiB of dense values (`[0,0,0,…]`, or
 * 100,000 keys): 4 MiB of them took 13 s. At 512 KiB the worst is about 1 s.
 */
export const MAX_FILE_BYTES = 512 * 1024;
/** Deeper nesting than any scenario needs; refusing it keeps the composer's recursion far from the stack limit. */
export const MAX_DEPTH = 64;
/** How many values aliases may add to a file (each use of an alias adds the values it names). */
export const MAX_ALIAS_VALUES = 100_000;

export type Parsed =
  | { ok: true; data: unknown; doc: Document; lines: LineCounter }
  | { ok: false; problems: Problem[] };

export function parseYaml(text: string, file: string): Parsed {
  const lines = new LineCounter();
  const fail = (offset: number, path: KeyPath, message: string): Parsed => ({
    ok: false,
    problems: [problemAt(file, lines, offset, path, message)],
  });
  if (text.length > MAX_FILE_BYTES) {
    return { ok: false, problems: [{ file, line: 1, col: 1, path: [], message: `file is too large (${text.length} bytes; a scenario may have at most ${MAX_FILE_BYTES})` }] };
  }
  // The parser keeps its own stack, so even 10,000 levels of nesting cost it nothing.
  const tokens = Array.from(new Parser(lines.addNewLine).parse(text));
  const deep = tooDeep(tokens);
  if (deep !== undefined) return fail(deep.offset, deep.path, `lists and mappings nested deeper than ${MAX_DEPTH} levels (expected at most ${MAX_DEPTH})`);

  // uniqueKeys: false, as the library's check compares each key with every other (minutes for 300,000 keys); toData() checks them.
  const docs = Array.from(new Composer({ intAsBigInt: true, uniqueKeys: false, version: "1.2" }).compose(tokens, true, text.length));
  const doc = docs[0];
  if (doc === undefined) return fail(0, [], "the file holds no YAML document (expected a scenario: a mapping with at least a name)");
  const problems: Problem[] = [];
  const second = docs[1];
  if (second !== undefined) {
    problems.push(problemAt(file, lines, second.range[0], [], "a second YAML document (expected one scenario per file: nothing after the first document)"));
  }
  const syntaxAt = new Set<number>();
  for (const e of [...doc.errors, ...doc.warnings]) {
    // One syntax problem at a place: the library may add its consequences there ("implicit keys
    // need to be on a single line" after "nested mappings are not allowed"), or repeat itself.
    if (e.code !== "TAG_RESOLVE_FAILED") {
      if (syntaxAt.has(e.pos[0])) continue;
      syntaxAt.add(e.pos[0]);
    }
    // A tag stands before its node: the path is the node's. After a syntax error the node at the
    // offset is the parser's guess (a key "x bad"): the path names its container.
    const path =
      e.code === "TAG_RESOLVE_FAILED"
        ? pathAtOffset(doc, nextNonSpace(text, e.pos[1]))
        : pathAtOffset(doc, e.pos[0]).slice(0, -1);
    problems.push(problemAt(file, lines, e.pos[0], knownKeys(path), yamlMessage(e)));
  }
  if (problems.length > 0) return { ok: false, problems };

  const built = toData(doc, lines);
  if (!built.ok) return { ok: false, problems: built.problems.map((p) => problemAt(file, lines, p.offset, p.path, p.message)) };
  return { ok: true, data: built.data, doc, lines };
}

/**
 * Near a syntax error the parser guesses, and may take source text for a key
 * (`memory:\b  - start`). Every key of the format is a plain word, so the
 * path keeps the leading keys that are words (and list indices), and stops at
 * the first guess; with none left it is `(file)`.
 */
function knownKeys(path: KeyPath): KeyPath {
  const end = path.findIndex((k) => typeof k !== "number" && !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k));
  return end < 0 ? path : path.slice(0, end);
}

/** Problems in order, each once. */
export function uniqueProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = JSON.stringify([p.file, p.line, p.col, p.path, p.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function nextNonSpace(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
  return i;
}

function firstLine(s: string): string {
  return s.split("\n")[0]?.trim() ?? s;
}

/** A YAML error in the words of this format; the library's own message where it is already plain. */
function yamlMessage(e: YAMLError): string {
  if (e.code === "TAG_RESOLVE_FAILED") {
    const tag = /Unresolved tag: (\S+)/.exec(e.message)?.[1] ?? "";
    return `unknown YAML tag ${tag} (expected no tag, or a standard one such as !!str)`;
  }
  return `YAML syntax: ${firstLine(e.message).replace(/ at line \d+, column \d+:?$/, "")}`;
}

// ---- nesting --------------------------------------------------------------------

/** Key paths longer than this are cut (and end in "…"): past it, a path says nothing more. */
const SHOWN_PATH = 8;

/**
 * Where lists and mappings nest deeper than MAX_DEPTH, if they do: the first
 * collection too deep, in document order, and its key path. Walks the
 * parser's tokens with an explicit stack (no recursion).
 */
function tooDeep(tokens: readonly CST.Token[]): { offset: number; path: KeyPath } | undefined {
  // Only collections are visited; each frame links to its parent, so a path is built only when needed.
  type Collection = CST.BlockMap | CST.BlockSequence | CST.FlowCollection;
  type Frame = { token: Collection; depth: number; parent: Frame | undefined; item: number };
  const isCollection = (t: CST.Token | null | undefined): t is Collection =>
    t?.type === "block-map" || t?.type === "block-seq" || t?.type === "flow-collection";
  const stack: Frame[] = [];
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i];
    if (t?.type === "document" && isCollection(t.value)) stack.push({ token: t.value, depth: 1, parent: undefined, item: 0 });
  }
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { token, depth } = top;
    if (depth > MAX_DEPTH) {
      const path = pathOf(top);
      return { offset: token.offset, path: path.length > SHOWN_PATH ? [...path.slice(0, SHOWN_PATH), "…"] : path };
    }
    for (let i = token.items.length - 1; i >= 0; i--) {
      const item = token.items[i] as CST.CollectionItem;
      if (isCollection(item.value)) stack.push({ token: item.value, depth: depth + 1, parent: top, item: i });
      if (isCollection(item.key)) stack.push({ token: item.key, depth: depth + 1, parent: top, item: i });
    }
  }
  return undefined;

  function pathOf(frame: Frame): (string | number)[] {
    const path: (string | number)[] = [];
    for (let f = frame; f.parent !== undefined; f = f.parent) {
      const p = f.parent.token;
      const seq = p.type === "block-seq" || (p.type === "flow-collection" && p.start.source === "[");
      path.unshift(seq ? f.item : keyText(p.items[f.item]?.key));
    }
    return path;
  }
}

function keyText(key: CST.Token | null | undefined): string {
  const scalar = key ? CST.resolveAsScalar(key) : null;
  return scalar ? scalar.value : "?";
}

// ---- from nodes to data ------------------------------------------------------------

type Built = { ok: true; data: unknown } | { ok: false; problems: { offset: number; path: KeyPath; message: string }[] };

class Refused {
  constructor(
    readonly offset: number,
    readonly path: KeyPath,
    readonly message: string,
  ) {}
}

/**
 * The document as plain data: mappings become objects (every key an own
 * property, `__proto__` included), sequences arrays, scalars their values.
 * An alias gives the very value it names (shared, not copied), and counts the
 * values it adds: past MAX_ALIAS_VALUES the file is refused at that alias.
 * Recursion follows the nesting, which tooDeep() has bounded.
 */
function toData(doc: Document, lines: LineCounter): Built {
  // Paths are links to the parent, made into arrays only for a problem: a list of 500,000 bytes needs none.
  type Link = { parent: Link | undefined; seg: string | number } | undefined;
  const pathOf = (link: Link): KeyPath => {
    const path: (string | number)[] = [];
    for (let l = link; l !== undefined; l = l.parent) path.unshift(l.seg);
    return path;
  };
  const duplicates: Refused[] = [];
  const anchors = new Map<string, object>();
  const built = new Map<object, { value: unknown; size: number }>();
  const open = new Set<object>();
  let count = 0; // values built so far, aliases counted as what they add
  let added = 0; // values added by aliases

  const start = (node: unknown): number => (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;

  /** A scalar's plain value: numbers in the format's notations only (YAML 1.2's 0o octal is not one of them). */
  function scalarValue(node: Scalar, at: Link): unknown {
    const v = node.value;
    if (v !== null && typeof v === "object") {
      const tag = (node.tag ?? "tagged").replace(/^tag:yaml\.org,2002:/, "!!");
      throw new Refused(start(node), pathOf(at), `a ${tag} value (expected a number, a string, true, false or null)`);
    }
    if (node.format === "OCT") {
      const text = node.source ?? String(v);
      throw new Refused(start(node), pathOf(at), `${text} is an octal number (expected decimal or 0x hex)`);
    }
    return v;
  }

  function build(node: unknown, at: Link): unknown {
    if (node === null || node === undefined) {
      count++;
      return null;
    }
    if (isScalar(node) && !node.anchor) {
      count++;
      return scalarValue(node, at);
    }
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined) throw new Refused(start(node), pathOf(at), `alias *${node.source} names no anchor (expected &${node.source} on a value before it)`);
      const done = built.get(target);
      if (open.has(target) || done === undefined)
        throw new Refused(start(node), pathOf(at), `alias *${node.source} is used inside the value it names (expected an alias to a value that ends before it)`);
      added += done.size;
      count += done.size;
      if (added > MAX_ALIAS_VALUES)
        throw new Refused(start(node), pathOf(at), `aliases expand the file by more than ${MAX_ALIAS_VALUES} values here (an alias bomb?; expected at most ${MAX_ALIAS_VALUES})`);
      return done.value;
    }
    const before = count;
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) {
      anchors.set(anchor, node as object);
      open.add(node as object);
    }
    let value: unknown;
    if (isMap(node)) {
      const obj: Record<string, unknown> = {};
      const firstAt = new Map<string, number>();
      count++;
      for (const pair of node.items) {
        const key = pair.key;
        if (!isScalar(key) && key !== null) {
          const kind = isAlias(key) ? "an alias" : isSeq(key) ? "a list" : isMap(key) ? "a mapping" : "a complex key";
          throw new Refused(start(key) || start(node), pathOf(at), `a key must be a plain word, not ${kind} (expected a key such as name)`);
        }
        const name = key === null || key.value === null ? "" : String(key.value);
        const first = firstAt.get(name);
        if (first !== undefined) {
          duplicates.push(new Refused(start(key), pathOf({ parent: at, seg: name }), `key "${name}" is given twice (first on line ${lines.linePos(first).line}; expected each key once)`));
          continue;
        }
        firstAt.set(name, start(key) || start(node));
        if (isScalar(key) && key.anchor) {
          anchors.set(key.anchor, key);
          built.set(key, { value: key.value, size: 1 });
        }
        count++;
        // Every key an own property, `__proto__` included (plain assignment would set the prototype).
        Object.defineProperty(obj, name, { value: build(pair.value, { parent: at, seg: name }), enumerable: true, writable: true, configurable: true });
      }
      value = obj;
    } else if (isSeq(node)) {
      const arr: unknown[] = new Array(node.items.length);
      count++;
      for (let i = 0; i < node.items.length; i++) arr[i] = build(node.items[i], { parent: at, seg: i });
      value = arr;
    } else if (isScalar(node)) {
      count++;
      value = scalarValue(node, at);
    } else {
      throw new Refused(start(node), pathOf(at), `a YAML value of an unknown kind (expected a mapping, a list or a scalar, got ${describe(node)})`);
    }
    if (anchor) {
      open.delete(node as object);
      built.set(node as object, { value, size: count - before });
    }
    return value;
  }

  try {
    const data = build(doc.contents, undefined);
    return duplicates.length === 0 ? { ok: true, data } : { ok: false, problems: duplicates };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, problems: [...duplicates, e] };
    throw e;
  }
}

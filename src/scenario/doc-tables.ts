// The reference tables of docs/ (format.md, behaviour.md), made from the
// meanings the JSON Schema's descriptions come from: `npm run docs-tables`
// writes them between their markers, and a test fails when a doc's table
// differs from this. Pure: Markdown in, Markdown out.
import {
  ACCESS_MEANINGS, ACTION_MEANINGS, ASPACE_LOCK_MEANINGS, ERRNO_MEANINGS, HAZARD_MEANINGS, KERNEL_MEANINGS, KEY_MEANINGS, LOCK_KIND_MEANINGS,
  ON_ERROR_MEANINGS, OP_MEANINGS, OUTCOME_MEANINGS, STEP_RESULT_MEANINGS, STRATEGY_MEANINGS, TRIGGER_MEANINGS, type KeyTable,
} from "./meanings.js";

/** Where in a file each mapping of KEY_MEANINGS is (`action` is the actions' own table). */
const PLACES: Readonly<Record<Exclude<KeyTable, "action">, string>> = {
  scenario: "the top level of a file",
  machine: "`machine`",
  aspace: "`machine.aspace`",
  area: "an area: an item of `memory`, or a `map` action",
  contents: "a contents item: an item of an area's `contents`, or a `write` action",
  writeContents: "the contents form of `use: { write: … }`",
  thread: "an item of `threads`",
  step: "a step: an item of a thread's `steps`, a `nested` action, or a `run` action's `step`",
  ptrFrom: "a step's `ptr: { from, index }`",
  structType: "a step's `type: { size, align }`",
  useWrite: "a step's `use: { write }`",
  useRead: "a step's `use: { read }`",
  expectOk: "a step's `expect: { ok }`",
  expectErr: "a step's `expect: { err }`",
  lock: "an item of `locks`",
  event: "an item of `events`",
  when: "an event's `when`",
  range: "the range of an `unmap`, `protect` or `evict` action",
  migrate: "a `migrate` action",
  interrupt: "an `interrupt` action",
  run: "a `run` action",
  race: "an item of `races`",
  explore: "`explore`",
  expect: "the whole run's `expect`",
};

const cell = (text: string) => text.replace(/\|/g, "\\|");
const code = (word: string) => `\`${word}\``;

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(head), `|${head.map(() => "---|").join("")}`, ...rows.map(line)].join("\n");
}

function words(head: string, meanings: Readonly<Record<string, string>>): string {
  return table([head, "meaning"], Object.entries(meanings).map(([w, m]) => [code(w), m]));
}

/** Every generated block, by the name its markers carry. */
export const DOC_TABLES: Readonly<Record<string, () => string>> = {
  ops: () => table(["op", "keys", "the axptr call"], Object.entries(OP_MEANINGS).map(([op, m]) => [code(op), m.keys, m.call])),
  keys: () =>
    Object.entries(PLACES)
      .map(([t, place]) => `**${place[0]?.toUpperCase()}${place.slice(1)}**\n\n${table(["key", "meaning"], Object.entries(KEY_MEANINGS[t as keyof typeof PLACES]).map(([k, m]) => [code(k), m]))}`)
      .join("\n\n"),
  strategies: () => words("strategy", STRATEGY_MEANINGS),
  kernels: () => words("kernel", KERNEL_MEANINGS),
  actions: () => words("action", ACTION_MEANINGS),
  outcomes: () => words("outcome", OUTCOME_MEANINGS),
  "step-results": () => words("expect", STEP_RESULT_MEANINGS),
  errnos: () => words("errno", ERRNO_MEANINGS),
  "other-words": () =>
    [
      ["`access`", ACCESS_MEANINGS],
      ["`machine.aspace_lock`", ASPACE_LOCK_MEANINGS],
      ["a thread's `on_error`", ON_ERROR_MEANINGS],
      ["a lock's `kind`", LOCK_KIND_MEANINGS],
    ]
      .map(([where, meanings]) => `**${where as string}**\n\n${words("value", meanings as Readonly<Record<string, string>>)}`)
      .join("\n\n"),
  triggers: () => table(["point", "when", "reached by"], Object.entries(TRIGGER_MEANINGS).map(([p, m]) => [code(p), m.when, m.reachedBy])),
  hazards: () => table(["hazard", "what went wrong"], Object.entries(HAZARD_MEANINGS).map(([h, m]) => [code(h), m])),
};

const OPEN = /^<!-- generated: ([a-z-]+) \(npm run docs-tables\) -->$/;
const CLOSE = "<!-- end generated -->";

/** A doc with each generated block replaced by what the meanings give now; the names it holds, in order. */
export function regenerate(doc: string): { text: string; blocks: string[] } {
  const lines = doc.split("\n");
  const out: string[] = [];
  const blocks: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    out.push(line);
    const name = OPEN.exec(line)?.[1];
    if (name === undefined) continue;
    const make = DOC_TABLES[name];
    if (make === undefined) throw new Error(`unknown generated block "${name}"`);
    const end = lines.indexOf(CLOSE, i + 1);
    if (end < 0) throw new Error(`generated block "${name}" has no "${CLOSE}"`);
    out.push(make(), CLOSE);
    blocks.push(name);
    i = end;
  }
  return { text: out.join("\n"), blocks };
}

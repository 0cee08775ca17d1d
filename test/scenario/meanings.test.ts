// One source for what the words of the format mean: meanings.ts covers every word,
// the JSON Schema (an editor's hover and completion) carries each meaning where its
// key or value is, and the tables of docs/ are exactly what the same data gives.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DOC_TABLES, regenerate } from "../../src/scenario/doc-tables.js";
import { KERNELS } from "../../src/scenario/kernels.js";
import {
  ACCESS_MEANINGS, ACTION_MEANINGS, ERRNO_MEANINGS, HAZARD_MEANINGS, KERNEL_MEANINGS, KEY_MEANINGS, LOCK_KIND_MEANINGS, OP_MEANINGS,
  OUTCOME_MEANINGS, STEP_RESULT_MEANINGS, STRATEGY_MEANINGS, TRIGGER_MEANINGS,
} from "../../src/scenario/meanings.js";
import {
  ACCESSES, ACTIONS, ALL_STRATEGIES, ERRNOS, HAZARDS, LOCK_KINDS, OPS, OUTCOMES, RUN_ENDS, STEP_EXPECT_WORDS, TRIGGERS, scenarioJsonSchema,
} from "../../src/scenario/schema.js";
import { ROOT } from "../helpers/cli.js";

type Json = Record<string, unknown>;
const schema = scenarioJsonSchema() as Json;
const committed = JSON.parse(readFileSync(join(ROOT, "schema/scenario.schema.json"), "utf8")) as Json;

const at = (node: unknown, ...path: (string | number)[]): Json => {
  let n = node;
  for (const p of path) n = (n as Record<string | number, unknown>)[p];
  if (n === null || typeof n !== "object") throw new Error(`no ${path.join(".")}`);
  return n as Json;
};
const props = (node: Json) => at(node, "properties") as Record<string, Json>;
const NUMBER = /: decimal or 0x hex, as a YAML integer or a string$/;

describe("meanings.ts", () => {
  it.each([
    ["ops", OP_MEANINGS, OPS],
    ["strategies", STRATEGY_MEANINGS, ALL_STRATEGIES],
    ["kernels", KERNEL_MEANINGS, KERNELS],
    ["trigger points", TRIGGER_MEANINGS, TRIGGERS],
    ["actions", ACTION_MEANINGS, ACTIONS],
    ["hazards", HAZARD_MEANINGS, HAZARDS],
    ["outcomes", OUTCOME_MEANINGS, OUTCOMES],
    ["a step's expect words", STEP_RESULT_MEANINGS, STEP_EXPECT_WORDS],
    ["errnos", ERRNO_MEANINGS, ERRNOS],
    ["accesses", ACCESS_MEANINGS, ACCESSES],
    ["lock kinds", LOCK_KIND_MEANINGS, LOCK_KINDS],
  ] as const)("gives every one of the %s its meaning, in the format's order", (_, meanings, words) => {
    expect(Object.keys(meanings)).toEqual([...words]);
    for (const m of Object.values(meanings)) for (const text of typeof m === "string" ? [m] : Object.values(m)) expect(text).toMatch(/^\S.*\S$/);
  });
});

describe("the scenario JSON Schema's descriptions", () => {
  it("is the committed schema (regenerated with `axptr-sim schema > schema/scenario.schema.json`)", () => {
    expect(committed).toEqual(schema);
  });

  const defs = at(schema, "$defs");
  const action = at(defs, "Action");
  // Each mapping of the format, where the JSON Schema has it, with the keys it must describe.
  const MAPPINGS: [string, Json, Readonly<Record<string, string>>][] = [
    ["the top level", schema, KEY_MEANINGS.scenario],
    ["machine", at(schema, "properties", "machine"), KEY_MEANINGS.machine],
    ["machine.aspace", at(schema, "properties", "machine", "properties", "aspace"), KEY_MEANINGS.aspace],
    ["an area", at(defs, "Area"), KEY_MEANINGS.area],
    ["a contents item", at(defs, "ContentItem"), KEY_MEANINGS.contents],
    ["use: { write } contents", at(defs, "WriteContents"), KEY_MEANINGS.writeContents],
    ["a thread", at(schema, "properties", "threads", "items"), KEY_MEANINGS.thread],
    ["a lock", at(defs, "Lock"), KEY_MEANINGS.lock],
    ["an event", at(schema, "properties", "events", "items"), KEY_MEANINGS.event],
    ["when", at(schema, "properties", "events", "items", "properties", "when"), KEY_MEANINGS.when],
    ["do", action, KEY_MEANINGS.action],
    ["unmap", at(action, "properties", "unmap"), KEY_MEANINGS.range],
    ["protect", at(action, "properties", "protect"), KEY_MEANINGS.range],
    ["evict", at(action, "properties", "evict"), KEY_MEANINGS.range],
    ["migrate", at(action, "properties", "migrate"), KEY_MEANINGS.migrate],
    ["interrupt", at(action, "properties", "interrupt"), KEY_MEANINGS.interrupt],
    ["run", at(defs, "RunAction"), KEY_MEANINGS.run],
    ["a race", at(defs, "Race"), KEY_MEANINGS.race],
    ["explore", at(defs, "Explore"), KEY_MEANINGS.explore],
    ["expect", at(schema, "properties", "expect"), KEY_MEANINGS.expect],
  ];

  it.each(MAPPINGS)("describes every key of %s by its meaning, and has a meaning for no key it lacks", (name, node, meanings) => {
    const p = props(node);
    // One table serves the three ranges: only protect's has perm.
    const absent = name === "unmap" || name === "evict" ? ["perm"] : [];
    expect(Object.keys(p).sort()).toEqual(Object.keys(meanings).filter((k) => !absent.includes(k)).sort());
    for (const [key, prop] of Object.entries(p)) expectMeaning(prop, meanings[key] ?? `(no meaning for ${key})`, key);
  });

  it.each(["Step", "NestedStep"])("describes each key of every %s, its op by the axptr call it makes", (def) => {
    const branches = at(defs, def, "oneOf") as unknown as Json[];
    expect(branches.map((b) => props(b).op?.const)).toEqual([...OPS]);
    for (const branch of branches) {
      const op = props(branch).op?.const as (typeof OPS)[number];
      for (const [key, prop] of Object.entries(props(branch))) {
        const meaning = key === "op" ? `${OP_MEANINGS[op].call} (keys: ${OP_MEANINGS[op].keys})` : KEY_MEANINGS.step[key as keyof typeof KEY_MEANINGS.step];
        expectMeaning(prop, meaning ?? `(no meaning for ${key})`, `${op}.${key}`);
      }
    }
  });

  it("says what cpus means before its notation, in both forms an editor reads", () => {
    const cpus = at(schema, "properties", "machine", "properties", "cpus");
    expect(cpus.description).toBe("how many CPUs the machine has; a CPU count (1..64): decimal or 0x hex, as a YAML integer or a string");
    expect(cpus.markdownDescription).toBe("how many CPUs the machine has\n\na CPU count (1..64): decimal or 0x hex, as a YAML integer or a string");
  });

  it.each([
    ["machine.strategy", at(schema, "properties", "machine", "properties", "strategy"), STRATEGY_MEANINGS, ALL_STRATEGIES],
    ["machine.kernel", at(schema, "properties", "machine", "properties", "kernel"), KERNEL_MEANINGS, KERNELS],
    ["when.at", at(schema, "properties", "events", "items", "properties", "when", "properties", "at"), TRIGGER_TEXT(), TRIGGERS],
    ["a race's at", at(defs, "Race", "properties", "at", "items"), TRIGGER_TEXT(), TRIGGERS],
    ["expect.outcome", at(schema, "properties", "expect", "properties", "outcome"), OUTCOME_MEANINGS, OUTCOMES],
    ["expect.hazards", at(schema, "properties", "expect", "properties", "hazards", "items"), HAZARD_MEANINGS, HAZARDS],
    ["explore.never", at(defs, "Explore", "properties", "never", "items"), OUTCOME_MEANINGS, RUN_ENDS],
    ["an interrupt's access", at(action, "properties", "interrupt", "properties", "access"), ACCESS_MEANINGS, ACCESSES],
  ] as const)("explains each value of %s (markdownEnumDescriptions)", (_, node, meanings, values) => {
    expect(node.enum).toEqual([...values]);
    expect(node.markdownEnumDescriptions).toEqual(values.map((v) => (meanings as Readonly<Record<string, string>>)[v]));
  });
});

/** A trigger point's value meaning: when it comes, and which steps reach it. */
function TRIGGER_TEXT(): Readonly<Record<string, string>> {
  return Object.fromEntries(TRIGGERS.map((p) => [p, `${TRIGGER_MEANINGS[p].when} (reached by ${TRIGGER_MEANINGS[p].reachedBy})`]));
}

/** The property carries its meaning, then its number notation when it is a number (as the schema writes it). */
function expectMeaning(prop: Json, meaning: string, where: string): void {
  const notation = typeof prop.description === "string" ? prop.description.slice(meaning.length + 2) : "";
  if (NUMBER.test(String(prop.description))) {
    expect(prop.description, where).toBe(`${meaning}; ${notation}`);
    expect(prop.markdownDescription, where).toBe(`${meaning}\n\n${notation}`);
  } else {
    expect(prop.description, where).toBe(meaning);
    expect(prop.markdownDescription, where).toBe(meaning);
  }
}

describe("the tables of docs/", () => {
  const docs = readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => ({ path: `docs/${f}`, text: readFileSync(join(ROOT, "docs", f), "utf8") }));

  it.each(docs.map((d) => [d.path, d] as const))("%s: every generated table is what meanings.ts gives (`npm run docs-tables` writes them)", (_, doc) => {
    expect(regenerate(doc.text).text).toBe(doc.text);
  });

  it("holds every generated table once", () => {
    const blocks = docs.flatMap((d) => regenerate(d.text).blocks);
    expect(blocks.sort()).toEqual(Object.keys(DOC_TABLES).sort());
  });

  it("would catch a hand edit: a changed meaning in a table no longer matches", () => {
    const format = docs.find((d) => d.path === "docs/format.md")?.text ?? "";
    const edited = format.replace("| `cpus` | how many CPUs the machine has |", "| `cpus` | the CPUs |");
    expect(edited).not.toBe(format);
    expect(regenerate(edited).text).toBe(format);
  });
});

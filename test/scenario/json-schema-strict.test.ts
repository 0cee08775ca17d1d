// The committed scenario JSON Schema is as strict as the tool on shape: an
// editor using it flags every file that `validate` refuses for its shape, and
// no valid file. Checked with ajv (JSON Schema 2020-12, strict mode) on the
// YAML as an editor's YAML parser reads it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/scenario/validate.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const schema = JSON.parse(readFileSync(join(ROOT, "schema/scenario.schema.json"), "utf8")) as object;

const yamlFiles = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => `${dir}/${f}`);

/**
 * Files `validate` refuses for something other than their shape: the schema
 * accepts them (checked below, so the list stays honest), and only the tool
 * can refuse them.
 */
const NOT_SHAPE: Record<string, string> = {
  // Relations between values: arithmetic on addresses and the page size.
  "area-not-page-aligned.yaml": "alignment to machine.page_size",
  "size-not-page-multiple.yaml": "a multiple of machine.page_size",
  "area-outside-aspace.yaml": "inside machine.aspace",
  "contents-outside-area.yaml": "inside its area",
  "present-outside-area.yaml": "inside its area",
  "overlap.yaml": "areas overlapping",
  "20-bad-overlap.yaml": "areas overlapping (the conformance copy)",
  "frames-below-eager.yaml": "frames against the pages present at the start",
  // Cross-references between parts of the file.
  "duplicate-area-name.yaml": "names unique across areas",
  "duplicate-thread-name.yaml": "names unique across threads",
  "event-missing-thread.yaml": "when.thread names a thread",
  "event-missing-step.yaml": "when.step names a step of that thread",
  "when-thread-required.yaml": "when.thread needed only when there are several threads",
  "thread-cpu-out-of-range.yaml": "a CPU below machine.cpus (the schema checks 0..63)",
  "migrate-cpu-out-of-range.yaml": "a CPU below machine.cpus (the schema checks 0..63)",
  "run-cpu-out-of-range.yaml": "a CPU below machine.cpus (the schema checks 0..63)",
  "run-unknown-thread.yaml": "run.thread names a thread",
  "run-same-thread.yaml": "run.thread is another thread than the one interrupted",
  "run-default-thread.yaml": "run.thread is another thread than the one interrupted",
  "race-duplicate-name.yaml": "names unique across races",
  "race-during-missing-step.yaml": "during names a step of that thread",
  "race-during-unknown-thread.yaml": "during names a thread",
  "race-during-leading-zero.yaml": "during's THREAD#STEP text, read against the threads",
  "race-migrate-cpu-out-of-range.yaml": "a CPU below machine.cpus (the schema checks 0..63)",
  "race-run-unknown-thread.yaml": "run.thread names a thread",
  // kernels.md section 8: references between parts of the file.
  "hold-undeclared-lock.yaml": "hold names a lock declared under locks",
  "lock-declared-twice.yaml": "names unique across locks",
  "ptr-from-itself.yaml": "ptr.from names an earlier step of the same thread",
  "ptr-from-later-step.yaml": "ptr.from names an earlier step of the same thread",
  "ptr-from-no-step.yaml": "ptr.from names an earlier step of the same thread",
  // Values judged against the step's type, len, op and use.
  "write-value-too-big.yaml": "a value that fits the step's type",
  "write-list-length.yaml": "a list as long as the slice's len",
  "expect-value-without-yield.yaml": "a value expected only from a step that yields one",
  // Numbers beyond what a JSON Schema can say: a number's range when it is written as a string,
  // and integers beyond 2^53, which a JSON parser rounds (2^64 reads as 2^64-1 would).
  "hex-string-2-pow-64.yaml": "the range of a number written as a string",
  "number-2-pow-64.yaml": "an integer beyond 2^53",
  "number-above-u64.yaml": "an integer beyond 2^53",
  // YAML notations the tool refuses but an editor's YAML 1.2 parser reads as plain values.
  "octal-number.yaml": "0o octal, an integer to YAML 1.2",
  "unknown-tag.yaml": "an unknown tag, dropped by the YAML parser",
};

/** Files an editor's YAML parser already reports: the schema never sees them. */
const NOT_YAML = ["alias-bomb.yaml", "deep-block.yaml", "deep-flow.yaml", "duplicate-key.yaml", "second-document.yaml", "unresolved-alias.yaml", "yaml-syntax-control-char-key.yaml", "yaml-syntax-error.yaml", "yaml-syntax-repeated.yaml"];

let compiled: ReturnType<typeof compile> | undefined;
/** Compiled once for the whole file: compiling the schema is most of each check's time. */
function strictAjv(): ReturnType<typeof compile> {
  compiled ??= compile();
  return compiled;
}

function compile() {
  const warnings: unknown[] = [];
  const log = (...m: unknown[]) => warnings.push(m);
  const ajv = new Ajv2020({ strict: true, allErrors: true, logger: { log, warn: log, error: log } });
  // The editors' annotations (VS Code, yaml-language-server): declared, so strict mode still refuses any other unknown keyword.
  ajv.addVocabulary(["markdownDescription", "markdownEnumDescriptions"]);
  const validate = ajv.compile(schema);
  return { ajv, validate, warnings };
}

const name = (path: string) => path.slice(path.lastIndexOf("/") + 1);

/** What an editor sees: the YAML as data, or the YAML parser's own error. */
function asData(path: string): { data: unknown } | { yamlError: string } {
  const doc = parseDocument(readFileSync(join(ROOT, path), "utf8"));
  if (doc.errors.length > 0) return { yamlError: doc.errors[0]?.message ?? "" };
  try {
    return { data: doc.toJS() };
  } catch (e) {
    return { yamlError: (e as Error).message };
  }
}

const INVALID = [...yamlFiles("test/fixtures/invalid"), ...yamlFiles("test/fixtures/conformance").filter((f) => /\/\d+-bad-/.test(f))];
const VALID = [...yamlFiles("scenarios"), ...yamlFiles("test/fixtures/valid"), ...yamlFiles("test/fixtures/conformance").filter((f) => !/\/\d+-bad-/.test(f))];

describe("the scenario JSON Schema, under ajv's strict mode", () => {
  it("compiles with no warning", () => {
    expect(strictAjv().warnings).toEqual([]);
  });

  it.each(VALID)("accepts the valid %s", (path) => {
    const text = readFileSync(join(ROOT, path), "utf8");
    expect(loadScenario(text, path).ok).toBe(true);
    const { ajv, validate } = strictAjv();
    const seen = asData(path);
    expect("data" in seen, JSON.stringify(seen)).toBe(true);
    if ("data" in seen) expect(validate(seen.data) ? "valid" : ajv.errorsText(validate.errors)).toBe("valid");
  });

  it.each(INVALID)("refuses %s if validate refuses it for its shape", (path) => {
    const text = readFileSync(join(ROOT, path), "utf8");
    expect(loadScenario(text, path).ok, "validate refuses it").toBe(false);
    const seen = asData(path);
    if (NOT_YAML.includes(name(path))) {
      expect("yamlError" in seen, "the YAML parser reports it").toBe(true);
      return;
    }
    if (!("data" in seen)) throw new Error(`${path}: YAML error ${seen.yamlError}`);
    const { validate } = strictAjv();
    // A file refused for a reason the schema cannot say must pass it; every other one must fail it.
    expect(validate(seen.data), NOT_SHAPE[name(path)] ?? "a shape the schema knows").toBe(name(path) in NOT_SHAPE);
  });

  it("lists only files that exist", () => {
    const names = INVALID.map(name);
    for (const n of [...Object.keys(NOT_SHAPE), ...NOT_YAML]) expect(names).toContain(n);
  });

  it("says what the issue reported editors missed: pages with size, two actions in a do, cpus 65", () => {
    const { validate } = strictAjv();
    const base = { name: "x", memory: [{ start: 0x10000, pages: 1, perm: "r" }] };
    expect(validate(base)).toBe(true);
    expect(validate({ ...base, memory: [{ start: 0x10000, pages: 1, size: 0x1000, perm: "r" }] })).toBe(false);
    expect(validate({ ...base, memory: [{ start: 0x10000, perm: "r" }] })).toBe(false);
    expect(validate({ ...base, machine: { cpus: 65 } })).toBe(false);
    expect(validate({ ...base, machine: { cpus: 64 } })).toBe(true);
    const event = (action: object) => ({ ...base, threads: [{ name: "main", steps: [{ op: "get_as_str", ptr: 0x10000 }] }], events: [{ when: { step: 1, at: "before-step" }, do: action }] });
    expect(validate(event({ frames: 0 }))).toBe(true);
    expect(validate(event({ frames: 0, evict: { start: 0x10000, pages: 1 } }))).toBe(false);
    expect(validate(event({}))).toBe(false);
    expect(validate({ ...base, machine: { page_size: 8192 } })).toBe(true);
    expect(validate({ ...base, machine: { page_size: 8193 } })).toBe(false);
  });
});

// The invalid-scenario corpus: every file of test/fixtures/invalid/ has one
// problem, and `validate` must report it as exactly the line(s) below (exit 2,
// nothing on standard output, no stack trace). Hostile inputs, some made here
// in a temporary folder, must be refused just as plainly, and quickly.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, type CliResult } from "../helpers/cli.js";

const DIR = "test/fixtures/invalid";

/** File name to its problem lines, each after `DIR/NAME:`. */
const CORPUS: Record<string, string[]> = {
  "alias-bomb.yaml": ["7:8: f.0: aliases expand the file by more than 100000 values here (an alias bomb?; expected at most 100000)"],
  "alias-cycle.yaml": ["2:13: memory.0: alias *m is used inside the value it names (expected an alias to a value that ends before it)"],
  "area-not-page-aligned.yaml": ["3:12: memory.0.start: start 0x10010 is not page-aligned (page size 0x1000)"],
  "area-outside-aspace.yaml": ["3:12: memory.0.start: area 0x0..0x1000 leaves the address space 0x1000..0x800000000000"],
  "bad-hex.yaml": ["3:12: memory.0.start: \"0x1g000\" is not a number (expected an unsigned 64-bit number: decimal or 0x hex)"],
  "bool-for-number.yaml": ["4:12: memory.0.pages: expected an unsigned 64-bit number, got true"],
  "complex-key.yaml": ["2:1: (file): a key must be a plain word, not a list (expected a key such as name)"],
  "constructor-key.yaml": ["3:3: machine.constructor: unknown key \"constructor\" (allowed here: cpus, page_size, strategy, aspace, frames, aspace_lock, budget)"],
  "contents-outside-area.yaml": ["7:15: memory.0.contents.0.at: contents 0x10ffc..0x11001 lie outside the area 0x10000..0x11000"],
  "contents-value-too-big.yaml": ["7:33: memory.0.contents.0.u16.1: 0x10000 does not fit u16 (0..65535)"],
  "cpus-0.yaml": ["3:9: machine.cpus: 0 is out of range (expected a CPU count, 1..64)"],
  "cpus-65.yaml": ["3:9: machine.cpus: 65 is out of range (expected a CPU count, 1..64)"],
  "deep-block.yaml": ["3:127: memory.0.0.0.0.0.0.0.…: lists and mappings nested deeper than 64 levels (expected at most 64)"],
  "deep-flow.yaml": ["2:72: memory.0.0.0.0.0.0.0.…: lists and mappings nested deeper than 64 levels (expected at most 64)"],
  "duplicate-area-name.yaml": ["7:11: memory.1.name: area name \"buf\" is already used by memory.0 (expected each area name once)"],
  "duplicate-key.yaml": ["6:5: memory.0.pages: key \"pages\" is given twice (first on line 4; expected each key once)"],
  "duplicate-thread-name.yaml": ["6:11: threads.1.name: thread name \"worker\" is already used by threads.0 (expected each thread name once)"],
  "empty-file.yaml": ["1:1: (file): the file holds no scenario (expected a mapping with at least a name)"],
  "event-missing-step.yaml": ["7:33: events.0.when.step: thread \"main\" has no step 2 (it has 1)"],
  "event-missing-thread.yaml": ["7:21: events.0.when.thread: no thread named \"mian\" (did you mean \"main\"?) (expected one of the threads: main)"],
  "expect-value-without-yield.yaml": ["12:23: threads.0.steps.0.expect.ok: a get step without use: read yields no value: expect ok instead"],
  "float.yaml": ["4:12: memory.0.pages: 1.5 is not an integer (expected an unsigned 64-bit number: decimal or 0x hex)"],
  "frames-below-eager.yaml": ["3:11: machine.frames: 2 frames cannot hold the 3 pages present at the start"],
  "hex-string-2-pow-64.yaml": ["3:12: memory.0.start: \"0x1_0000_0000_0000_0000\" is out of range (expected an unsigned 64-bit number, 0..2^64-1)"],
  "index-wrong-trigger.yaml": ["7:38: events.0.when.index: index belongs with at: before-read, not page-fault"],
  "list-for-mapping.yaml": ["2:10: machine: expected a mapping, got a list"],
  "migrate-cpu-out-of-range.yaml": ["9:27: events.0.do.migrate.cpu: CPU 4 does not exist (machine.cpus is 2: CPUs 0..1)"],
  "missing-name.yaml": ["1:1: name: required key \"name\" is missing (expected a string)"],
  "missing-op.yaml": ["5:9: threads.0.steps.0.op: required key \"op\" is missing (expected one of get, get_as_slice, get_as_null_terminated, get_as_str, user_access, kernel_access)"],
  "missing-perm.yaml": ["3:5: memory.0.perm: required key \"perm\" is missing (expected a string)"],
  "missing-start.yaml": ["3:5: memory.0.start: required key \"start\" is missing (expected a number: decimal or 0x hex)"],
  "octal-number.yaml": ["3:12: memory.0.start: 0o200000 is an octal number (expected decimal or 0x hex)"],
  "nan.yaml": ["4:12: memory.0.pages: .nan is not an integer (expected an unsigned 64-bit number: decimal or 0x hex)"],
  "negative-size.yaml": ["4:11: memory.0.size: -4096 is out of range (expected an unsigned 64-bit number, 0..2^64-1)"],
  "nth-wrong-trigger.yaml": ["7:36: events.0.when.nth: nth counts page checks or page faults: it belongs with at: page-check or page-fault, not flag-set"],
  "number-2-pow-64.yaml": ["3:12: memory.0.start: 18446744073709551616 is out of range (expected an unsigned 64-bit number, 0..2^64-1)"],
  "number-400-digits.yaml": ["3:11: machine.budget: 99999999999999999999…99999999 (400 characters) is out of range (expected a positive count of units of work, 1..2^64-1)"],
  "number-above-u64.yaml": ["4:11: memory.0.size: 18446744073709551616 is out of range (expected an unsigned 64-bit number, 0..2^64-1)"],
  "number-text-backtracking.yaml": ["3:11: machine.budget: \"99999999999999999999…9999999x\" (41 characters) is not a number (expected a positive count of units of work: decimal or 0x hex)"],
  "ok-null-without-nullable.yaml": ["7:23: threads.0.steps.0.expect.ok: { ok: null } is the result of a nullable operation on NULL: this step needs nullable: true"],
  "overlap.yaml": ["6:12: memory.1.start: area 0x11000..0x12000 and memory.0 0x10000..0x12000 overlap"],
  "pages-and-size.yaml": ["3:5: memory.0: area: expected exactly one of size, pages, got size and pages"],
  "page-size-131072.yaml": ["3:14: machine.page_size: page size 131072 is not a power of two from 4096 to 65536"],
  "page-size-2048.yaml": ["3:14: machine.page_size: page size 2048 is not a power of two from 4096 to 65536"],
  "page-size-8193.yaml": ["3:14: machine.page_size: page size 8193 is not a power of two from 4096 to 65536"],
  "present-on-eager.yaml": ["6:5: memory.0.present: present lists the present pages of a lazy area: it needs populate: false"],
  "present-outside-area.yaml": ["7:15: memory.0.present.0: page 0x12000 is outside the area 0x10000..0x12000"],
  "proto-key.yaml": ["2:1: __proto__: unknown key \"__proto__\" (allowed here: name, description, machine, memory, threads, events, races, explore, expect)"],
  "run-cpu-out-of-range.yaml": ["10:38: events.0.do.run.cpu: CPU 2 does not exist (machine.cpus is 2: CPUs 0..1)"],
  "run-default-thread.yaml": ["8:26: events.0.do.run.thread: thread \"main\" is the thread this event interrupts: run switches in another thread (expected another thread: the scenario has none, add one under threads)"],
  "run-missing-step.yaml": ["9:16: events.0.do.run.step: required key \"step\" is missing (expected a step: a mapping with op: one of get, get_as_slice, get_as_null_terminated, get_as_str, user_access, kernel_access)"],
  "run-same-thread.yaml": ["9:26: events.0.do.run.thread: thread \"reader\" is the thread this event interrupts: run switches in another thread (expected another thread: other)"],
  "run-step-expect.yaml": ["9:71: events.0.do.run.step.expect: unknown key \"expect\" (allowed here: op, ptr, nullable)"],
  "run-step-unknown-op.yaml": ["9:45: events.0.do.run.step.op: expected op to be one of get, get_as_slice, get_as_null_terminated, get_as_str, user_access, kernel_access, got the string \"kernel_acces\" (did you mean \"kernel_access\"?)"],
  "run-step-use-write-without-mut.yaml": ["12:56: events.0.do.run.step.use: use: { write } needs mut: true (a UserConstPtr gives a shared reference, which cannot be written)"],
  "run-unknown-key.yaml": ["9:33: events.0.do.run.cpus: unknown key \"cpus\" (did you mean \"cpu\"?)"],
  "run-unknown-thread.yaml": ["9:26: events.0.do.run.thread: no thread named \"othr\" (did you mean \"other\"?) (expected another thread: other)"],
  "second-document.yaml": ["2:1: (file): a second YAML document (expected one scenario per file: nothing after the first document)"],
  "size-not-page-multiple.yaml": ["4:11: memory.0.size: size 0x1800 is not a multiple of the page size 0x1000"],
  "string-for-number.yaml": ["4:12: memory.0.pages: \"two\" is not a number (expected an unsigned 64-bit number: decimal or 0x hex)"],
  "struct-align-not-power-of-two.yaml": ["11:33: threads.0.steps.0.type.align: align 3 is not a power of two (expected 1, 2, 4, 8, …)"],
  "thread-cpu-out-of-range.yaml": ["5:10: threads.0.cpu: CPU 2 does not exist (machine.cpus is 2: CPUs 0..1)"],
  "top-level-list.yaml": ["1:1: (file): expected a scenario (a mapping with at least a name), got a list"],
  "two-actions.yaml": ["10:9: events.0.do: do: expected exactly one of unmap, protect, evict, map, write, frames, migrate, interrupt, nested, run, got evict and frames"],
  "unknown-element-type.yaml": ["5:40: threads.0.steps.0.type: expected an element type (u8, i8, c_char, u16, i16, u32, i32, u64, i64, usize, isize, ptr) or { size, align }, got the string \"u9\" (did you mean \"u8\"?)"],
  "unknown-key-far.yaml": ["2:1: colour: unknown key \"colour\" (allowed here: name, description, machine, memory, threads, events, races, explore, expect)"],
  "unknown-key-with-newline.yaml": ["2:1: per\\nm: unknown key \"per\\nm\" (allowed here: name, description, machine, memory, threads, events, races, explore, expect)"],
  "unknown-key-perms.yaml": ["5:5: memory.0.perms: unknown key \"perms\" (did you mean \"perm\"?)"],
  "unknown-op.yaml": ["5:13: threads.0.steps.0.op: expected op to be one of get, get_as_slice, get_as_null_terminated, get_as_str, user_access, kernel_access, got the string \"get_as_string\" (did you mean \"get_as_str\"?)"],
  "unknown-strategy.yaml": ["3:13: machine.strategy: expected one of none, percpu-flag, per-thread-flag, nesting-counter, exception-table, got the string \"per-cpu-flag\" (did you mean \"percpu-flag\"?)"],
  "unknown-tag.yaml": ["1:7: name: unknown YAML tag !shout (expected no tag, or a standard one such as !!str)"],
  "unresolved-alias.yaml": ["2:9: memory: alias *areas names no anchor (expected &areas on a value before it)"],
  "use-write-without-mut.yaml": ["12:14: threads.0.steps.0.use: use: { write } needs mut: true (a UserConstPtr gives a shared reference, which cannot be written)"],
  "when-thread-required.yaml": ["10:11: events.0.when: when.thread is required: the scenario has 2 threads (expected one of: a, b)"],
  "write-list-length.yaml": ["14:23: threads.0.steps.0.use.write: the write list has 2 elements, the slice has len 3"],
  "write-value-too-big.yaml": ["13:23: threads.0.steps.0.use.write: 256 does not fit u8 (0..255)"],
  "yaml-syntax-error.yaml": ["4:1: (file): YAML syntax: Flow map in block collection must be sufficiently indented and end with a }"],
  // Races and explore settings (explore.md section 1).
  "race-bad-name.yaml": ["8:13: races.0.name: a race name is a lower-case letter, then lower-case letters, digits, _ or - (e.g. munmap, evict-1)"],
  "race-duplicate-name.yaml": ["9:13: races.1.name: race name \"m\" is already used by races.0 (expected each race name once)"],
  "race-unknown-action.yaml": ["8:20: races.0.do: do: expected exactly one of unmap, protect, evict, map, write, frames, migrate, interrupt, nested, run", "8:22: races.0.do.unmapp: unknown key \"unmapp\" (did you mean \"unmap\"?)"],
  "race-run-unknown-thread.yaml": ["9:37: races.0.do.run.thread: no thread named \"othr\" (did you mean \"other\"?) (expected another thread: main, other)"],
  "race-two-actions.yaml": ["8:20: races.0.do: do: expected exactly one of unmap, protect, evict, map, write, frames, migrate, interrupt, nested, run, got unmap and evict"],
  "race-during-unknown-thread.yaml": ["8:70: races.0.during.0: no thread named \"mian\" (did you mean \"main\"?) (expected a thread, one of: main, or THREAD#STEP)"],
  "race-during-missing-step.yaml": ["8:70: races.0.during.0: thread \"main\" has no step 3 (it has 1)"],
  "race-during-leading-zero.yaml": ["8:70: races.0.during.0: \"01\" is not a step number (expected THREAD#STEP with STEP in decimal from 1, without leading zeros: main#1)"],
  "race-at-unknown-point.yaml": ["8:66: races.0.at.0: expected one of before-step, after-align-check, after-region-check, after-populate, flag-set, page-check, before-read, page-fault, flag-clear, before-use, after-step, got the string \"page-faults\" (did you mean \"page-fault\"?)"],
  "race-at-not-list.yaml": ["8:65: races.0.at: expected a list, got the string \"page-fault\""],
  "race-migrate-cpu-out-of-range.yaml": ["8:38: races.0.do.migrate.cpu: CPU 3 does not exist (machine.cpus is 1: CPUs 0..0)"],
  "explore-depth-4.yaml": ["9:19: explore.depth: 4 is out of range (expected an exploration depth, 1..3)"],
  "explore-never-completed.yaml": ["9:20: explore.never.0: expected one of panic, killed, deadlock, step-limit, got the string \"completed\""],
  "explore-hazards-allowed.yaml": ["9:21: explore.hazards: expected \"forbidden\", got the string \"allowed\""],
};

/** Inputs meant to exhaust time or memory: each must be refused within two seconds (a guard against hangs, not a benchmark). */
const HOSTILE = [
  "alias-bomb.yaml",
  "alias-cycle.yaml",
  "deep-flow.yaml",
  "deep-block.yaml",
  "proto-key.yaml",
  "constructor-key.yaml",
  "number-2-pow-64.yaml",
  "number-above-u64.yaml",
  "hex-string-2-pow-64.yaml",
  "number-400-digits.yaml",
  "number-text-backtracking.yaml",
];
const HANG_GUARD_MS = 2000;

function validate(args: readonly string[], input?: string): CliResult & { ms: number } {
  const t0 = performance.now();
  const r = cli(["validate", ...args], input === undefined ? {} : { input });
  return { ...r, ms: performance.now() - t0 };
}

/** The common contract of a refused input: exit 2, empty stdout, the exact problem lines, no stack trace. */
function expectRefused(r: CliResult, lines: readonly string[]): void {
  expect(r.stderr.split("\n").slice(0, -1)).toEqual(lines);
  expect(r.stderr.endsWith("\n")).toBe(true);
  expect(r.stdout).toBe("");
  expect(r.code).toBe(2);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/internal error|Error:|Warning:/);
}

const expected = (name: string): string[] => (CORPUS[name] ?? []).map((line) => `${DIR}/${name}:${line}`);

describe("the invalid corpus", () => {
  it("has at least 36 files, each small, and a table entry for each", () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith(".yaml")).sort();
    expect(files.length).toBeGreaterThanOrEqual(36);
    expect(files).toEqual(Object.keys(CORPUS).sort());
    for (const f of files) expect(readFileSync(join(DIR, f)).length, f).toBeLessThan(32 * 1024);
    for (const h of HOSTILE) expect(files).toContain(h);
  });

  it.each(Object.keys(CORPUS))("%s", (name) => {
    const r = validate([`${DIR}/${name}`]);
    expectRefused(r, expected(name));
    if (HOSTILE.includes(name)) expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });

  it("holds the words the format promises: overlap, did you mean, the bad number as written", () => {
    expect(CORPUS["overlap.yaml"]?.[0]).toContain("overlap");
    expect(CORPUS["unknown-key-perms.yaml"]?.[0]).toMatch(/"perms".*did you mean "perm"/);
    expect(CORPUS["unknown-key-far.yaml"]?.[0]).not.toContain("did you mean");
    expect(CORPUS["bad-hex.yaml"]?.[0]).toContain('"0x1g000"');
    expect(CORPUS["nan.yaml"]?.[0]).toContain(".nan");
    expect(CORPUS["contents-value-too-big.yaml"]?.[0]).toContain("0x10000 does not fit");
  });
});

describe("validate with several inputs", () => {
  it("reports every problem of every file, each on its own line, in argument order", () => {
    const names = Object.keys(CORPUS);
    const r = validate(names.map((n) => `${DIR}/${n}`));
    expectRefused(r, names.flatMap(expected));
  });

  it("reports every file: the valid ones on standard output, the others by their problems (exit 2)", () => {
    const r = validate(["test/fixtures/valid/spec-example.yaml", `${DIR}/overlap.yaml`, `${DIR}/cpus-0.yaml`]);
    expectRefused({ ...r, stdout: "" }, [...expected("overlap.yaml"), ...expected("cpus-0.yaml")]);
    expect(r.stdout).toBe("test/fixtures/valid/spec-example.yaml: valid (string spans a lazily mapped page)\n");
  });

  it("reads - as standard input and names it -", () => {
    const r = validate(["-"], readFileSync(join(DIR, "overlap.yaml"), "utf8"));
    expectRefused(r, ["-:6:12: memory.1.start: area 0x11000..0x12000 and memory.0 0x10000..0x12000 overlap"]);
  });

  it("mixes standard input with files", () => {
    const r = validate([`${DIR}/cpus-65.yaml`, "-"], "name: [unclosed\n");
    expectRefused(r, [...expected("cpus-65.yaml"), "-:2:1: (file): YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]"]);
  });

  it("refuses a missing file and a folder with no scenario, and still checks the other files", () => {
    const empty = mkdtempSync(join(tmpdir(), "axptr-sim-empty-"));
    const r = validate([`${DIR}/no-such-file.yaml`, empty, `${DIR}/float.yaml`]);
    rmSync(empty, { recursive: true });
    expectRefused(r, [`${empty}:1:1: (file): the folder holds no scenario files (.yaml, .yml)`, `${DIR}/no-such-file.yaml:1:1: (file): no such file`, ...expected("float.yaml")]);
  });

  it("takes a folder as its scenarios, sorted, as check does", () => {
    const r = validate(["test/fixtures", "scenarios/01-seed-string-across-lazy-page.yaml"]);
    expect(r.code).toBe(2);
    const valid = r.stdout.split("\n").slice(0, -1);
    expect(valid[0]).toBe("test/fixtures/conformance/01-seed-lazy-page.yaml: valid (seed example - a string that runs onto a page that is not mapped yet)");
    expect(valid.at(-1)).toBe("scenarios/01-seed-string-across-lazy-page.yaml: valid (seed example: a string that runs onto a page not mapped yet)");
    expect(valid.at(-2)).toBe("test/fixtures/valid/spec-example.yaml: valid (string spans a lazily mapped page)");
    const files = r.stderr.split("\n").slice(0, -1).map((l) => l.slice(0, l.indexOf(":")));
    expect(files).toEqual([...new Set(files)].sort().flatMap((f) => files.filter((g) => g === f)));
    expect(new Set(files)).toEqual(new Set([...Object.keys(CORPUS).map((n) => `${DIR}/${n}`), ...["20-bad-overlap", "21-bad-unknown-key", "22-bad-hex"].map((n) => `test/fixtures/conformance/${n}.yaml`)]));
  });
});

describe("hostile inputs made on the spot", () => {
  const tmp = mkdtempSync(join(tmpdir(), "axptr-sim-hostile-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const path = join(tmp, name);
    writeFileSync(path, text);
    return path;
  };

  it("a 50 MB file is refused by its size, before it is read", () => {
    const text = "name: big\ndescription: " + "a".repeat(50 * 1024 * 1024) + "\n";
    const path = write("big.yaml", text);
    const r = validate([path]);
    expectRefused(r, [`${path}:1:1: (file): file is too large (${text.length} bytes; a scenario may have at most 524288)`]);
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });

  it("50 MB on standard input is refused as well", () => {
    const text = "name: big\ndescription: " + "a".repeat(50 * 1024 * 1024) + "\n";
    const r = validate(["-"], text);
    expectRefused(r, [`-:1:1: (file): input is too large (${text.length} bytes; a scenario may have at most 524288)`]);
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });

  it("10,000 nested flow mappings", () => {
    const path = write("deep-map.yaml", "name: x\nmachine: " + "{a: ".repeat(10_000) + "1" + "}".repeat(10_000) + "\n");
    const r = validate([path]);
    expectRefused(r, [`${path}:2:${10 + 4 * 63}: machine.a.a.a.a.a.a.a.…: lists and mappings nested deeper than 64 levels (expected at most 64)`]);
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });

  it("10,000 nested block mappings, one more space each: the size refuses it first", () => {
    let text = "name: x\n";
    for (let i = 0; i < 10_000; i++) text += " ".repeat(i) + "a:\n";
    const path = write("deep-block-map.yaml", text);
    const r = validate([path]);
    expectRefused(r, [`${path}:1:1: (file): file is too large (${text.length} bytes; a scenario may have at most 524288)`]);
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });

  it("1,000 nested block mappings within the size limit", () => {
    let text = "name: x\n";
    for (let i = 0; i < 1_000; i++) text += " ".repeat(i) + "a:\n";
    const path = write("deep-block-map-1000.yaml", text);
    const r = validate([path]);
    // Line 66, indented 64 spaces, opens the 65th mapping (the file's own mapping is the first).
    expectRefused(r, [`${path}:66:65: a.a.a.a.a.a.a.a.…: lists and mappings nested deeper than 64 levels (expected at most 64)`]);
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });

  it("12,000 areas at one address: one line each for the first 100, then a count", () => {
    const path = write("same-area.yaml", "name: x\nmemory:\n" + "  - { start: 0x10000, pages: 1, perm: r }\n".repeat(12_000));
    const r = validate([path]);
    const lines = Array.from({ length: 100 }, (_, i) => `${path}:${i + 4}:14: memory.${i + 1}.start: area 0x10000..0x11000 and memory.0 0x10000..0x11000 overlap`);
    expectRefused(r, [...lines, `${path}:104:14: (file): 11899 more problems from here on not shown (only the first 100 of a file are)`]);
    expect(r.ms).toBeLessThan(5000);
  });

  it("50,000 unknown keys", () => {
    const path = write("many-keys.yaml", "name: x\n" + Array.from({ length: 50_000 }, (_, i) => `k${i}: 1\n`).join(""));
    const r = validate([path]);
    const allowed = "allowed here: name, description, machine, memory, threads, events, races, explore, expect";
    const lines = Array.from({ length: 100 }, (_, i) => `${path}:${i + 2}:1: k${i}: unknown key "k${i}" (${allowed})`);
    expectRefused(r, [...lines, `${path}:102:1: (file): 49900 more problems from here on not shown (only the first 100 of a file are)`]);
    expect(r.ms).toBeLessThan(5000);
  });

  it("120,000 aliases of one anchor", () => {
    const path = write("many-aliases.yaml", "name: x\na: &a 1\nb: [" + Array(120_000).fill("*a").join(", ") + "]\n");
    const r = validate([path]);
    expectRefused(r, [`${path}:3:${5 + 4 * 100_000}: b.100000: aliases expand the file by more than 100000 values here (an alias bomb?; expected at most 100000)`]);
    expect(r.ms).toBeLessThan(5000);
  });

  it("a 100,000-digit string where a number belongs", () => {
    const path = write("long-number-text.yaml", `name: x\nmachine:\n  budget: "${"9".repeat(100_000)}x"\n`);
    const r = validate([path]);
    expectRefused(r, [`${path}:3:11: machine.budget: "99999999999999999999…9999999x" (100001 characters) is not a number (expected a positive count of units of work: decimal or 0x hex)`]);
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });

  it("a 400,000-digit YAML integer", () => {
    const path = write("long-number.yaml", `name: x\nmachine:\n  budget: ${"9".repeat(400_000)}\n`);
    const r = validate([path]);
    expectRefused(r, [`${path}:3:11: machine.budget: 99999999999999999999…99999999 (400000 characters) is out of range (expected a positive count of units of work, 1..2^64-1)`]);
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });
});

// The invalid-scenario corpus: every file of test/fixtures/invalid/ has one
// problem, and `validate` must report it as exactly the line(s) below (exit 2,
// nothing on standard output, no stack trace). Hostile inputs, some made here
// in a temporary folder, must be refused just as plainly, and quickly.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, cli, type CliResult } from "../helpers/cli.js";

import { CORPUS, DIR } from "./corpus.js";
import { HOSTILE_FILES, HOSTILE_MADE } from "../../bench/hostile.mjs";

/** Inputs meant to exhaust time or memory (bench/hostile.mjs): `npm run bench` measures how long each takes against its target. */
const HOSTILE = HOSTILE_FILES;
/** A guard against hangs, not a speed target (the CLI is stopped after 15 s): timed tests flake on a loaded machine. */
const HANG_GUARD_MS = 10_000;

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

/** A hostile input made on the spot, as bench/hostile.mjs makes it. */
function made(name: string): string {
  const text = HOSTILE_MADE[name];
  if (text === undefined) throw new Error(`bench/hostile.mjs makes no ${name}`);
  return text;
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
    const text = made("big.yaml");
    const path = write("big.yaml", text);
    const r = validate([path]);
    expectRefused(r, [`${path}:1:1: (file): file is too large (${text.length} bytes; a scenario may have at most 524288)`]);
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });

  it("50 MB on standard input is refused as well", () => {
    const r = validate(["-"], made("big.yaml"));
    // A stream is read only one byte past the limit, so its whole length is not known (nor needed).
    expectRefused(r, ["-:1:1: (file): input is too large (more than 524288 bytes; a scenario may have at most 524288)"]);
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });

  it.runIf(existsSync("/dev/zero"))("endless character devices are read only up to the limit: /dev/zero, /dev/urandom", () => {
    for (const device of ["/dev/zero", "/dev/urandom"]) {
      const r = validate([device]);
      expectRefused(r, [`${device}:1:1: (file): input is too large (more than 524288 bytes; a scenario may have at most 524288)`]);
      expect(r.ms).toBeLessThan(HANG_GUARD_MS);
    }
  });

  it.runIf(existsSync("/dev/zero"))("3 GB on a pipe into standard input: refused at the limit, without reading the rest", () => {
    const t0 = performance.now();
    const r = spawnSync("bash", ["-c", 'head -c 3000000000 /dev/zero | "$NODE" "$BIN" validate -; echo "exit ${PIPESTATUS[1]}"'], {
      env: { ...process.env, NODE: process.execPath, BIN },
      encoding: "utf8",
      timeout: 15_000,
    });
    expect(r.stderr).toBe("-:1:1: (file): input is too large (more than 524288 bytes; a scenario may have at most 524288)\n");
    expect(r.stdout).toBe("exit 2\n");
    expect(performance.now() - t0).toBeLessThan(HANG_GUARD_MS);
  });

  it("10,000 nested flow mappings", () => {
    const path = write("deep-map.yaml", made("deep-map.yaml"));
    const r = validate([path]);
    expectRefused(r, [`${path}:2:${10 + 4 * 63}: machine.a.a.a.a.a.a.a.…: lists and mappings nested deeper than 64 levels (expected at most 64)`]);
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });

  it("10,000 nested block mappings, one more space each: the size refuses it first", () => {
    const text = made("deep-block-map.yaml");
    const path = write("deep-block-map.yaml", text);
    const r = validate([path]);
    expectRefused(r, [`${path}:1:1: (file): file is too large (${text.length} bytes; a scenario may have at most 524288)`]);
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });

  it("1,000 nested block mappings within the size limit", () => {
    const path = write("deep-block-map-1000.yaml", made("deep-block-map-1000.yaml"));
    const r = validate([path]);
    // Line 66, indented 64 spaces, opens the 65th mapping (the file's own mapping is the first).
    expectRefused(r, [`${path}:66:65: a.a.a.a.a.a.a.a.…: lists and mappings nested deeper than 64 levels (expected at most 64)`]);
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });

  it("12,000 areas at one address: one line each for the first 100, then a count", () => {
    const path = write("same-area.yaml", made("same-area.yaml"));
    const r = validate([path]);
    const lines = Array.from({ length: 100 }, (_, i) => `${path}:${i + 4}:14: memory.${i + 1}.start: area 0x10000..0x11000 and memory.0 0x10000..0x11000 overlap`);
    expectRefused(r, [...lines, `${path}:104:14: (file): 11899 more problems from here on not shown (only the first 100 of a file are)`]);
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });

  it("50,000 unknown keys", () => {
    const path = write("many-keys.yaml", made("many-keys.yaml"));
    const r = validate([path]);
    const allowed = "allowed here: name, description, machine, memory, threads, locks, events, races, explore, expect";
    const lines = Array.from({ length: 100 }, (_, i) => `${path}:${i + 2}:1: k${i}: unknown key "k${i}" (${allowed})`);
    expectRefused(r, [...lines, `${path}:102:1: (file): 49900 more problems from here on not shown (only the first 100 of a file are)`]);
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });

  it("120,000 aliases of one anchor", () => {
    const path = write("many-aliases.yaml", made("many-aliases.yaml"));
    const r = validate([path]);
    expectRefused(r, [`${path}:3:${5 + 4 * 100_000}: b.100000: aliases expand the file by more than 100000 values here (an alias bomb?; expected at most 100000)`]);
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });

  it("a 100,000-digit string where a number belongs", () => {
    const path = write("long-number-text.yaml", made("long-number-text.yaml"));
    const r = validate([path]);
    expectRefused(r, [`${path}:3:11: machine.budget: "99999999999999999999…9999999x" (100001 characters) is not a number (expected a positive count of units of work: decimal or 0x hex)`]);
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });

  it("a 400,000-digit YAML integer", () => {
    const path = write("long-number.yaml", made("long-number.yaml"));
    const r = validate([path]);
    expectRefused(r, [`${path}:3:11: machine.budget: 99999999999999999999…99999999 (400000 characters) is out of range (expected a positive count of units of work, 1..2^64-1)`]);
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });
});

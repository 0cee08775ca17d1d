// Valid scenarios load: the conformance cases (but 20-22, which are invalid on
// purpose), the complete example of the format spec, and loadScenario's exact
// numbers and defaults.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario, type Scenario } from "../../src/scenario/validate.js";
import { cli, ROOT } from "../helpers/cli.js";

// The public conformance cases, vendored so the suite stands on its own in a clean clone;
// where ../shared is present, a test checks that the copies have not drifted.
const CASES = "test/fixtures/conformance";
const SHARED_CASES = "../shared/conformance/cases";
const SHARED_SPEC = "../shared/spec/scenario-format.md";
const SPEC_EXAMPLE = "test/fixtures/valid/spec-example.yaml";
const U64_MAX = 18446744073709551615n;

const caseFiles = readdirSync(join(ROOT, CASES)).filter((f) => f.endsWith(".yaml")).sort();
const validCases = caseFiles.filter((f) => !/^2[0-2]-/.test(f));
const invalidCases = caseFiles.filter((f) => /^2[0-2]-/.test(f));

function load(text: string): Scenario {
  const r = loadScenario(text, "t.yaml");
  if (!r.ok) throw new Error(`expected a valid scenario, got:\n${r.problems.map((p) => `${p.line}:${p.col}: ${p.path.join(".")}: ${p.message}`).join("\n")}`);
  return r.scenario;
}

function nameOf(file: string): string {
  return /^name: (.*)$/m.exec(readFileSync(join(ROOT, file), "utf8"))?.[1]?.replace(/\s+#.*$/, "") ?? "";
}

describe("the conformance cases", () => {
  it("are all there: 19 valid ones and 20-22", () => {
    expect(validCases).toHaveLength(19);
    expect(invalidCases).toEqual(["20-bad-overlap.yaml", "21-bad-unknown-key.yaml", "22-bad-hex.yaml"]);
  });

  it.skipIf(!existsSync(join(ROOT, SHARED_CASES)))("are the same as the shared conformance cases", () => {
    for (const f of caseFiles) expect(readFileSync(join(ROOT, CASES, f), "utf8"), f).toBe(readFileSync(join(ROOT, SHARED_CASES, f), "utf8"));
  });

  it("validate with exit 0, all at once, one line each", () => {
    const files = validCases.map((f) => `${CASES}/${f}`);
    const r = cli(["validate", ...files]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(files.map((f) => `${f}: valid (${nameOf(f)})\n`).join(""));
  });

  it.each(validCases)("%s loads", (f) => {
    const r = loadScenario(readFileSync(join(ROOT, CASES, f), "utf8"), f);
    expect(r.ok ? [] : r.problems).toEqual([]);
  });

  it.each(invalidCases)("%s is refused with the words its expected.json names", (f) => {
    const want = JSON.parse(readFileSync(join(ROOT, CASES, f.replace(/\.yaml$/, ".expected.json")), "utf8")) as { exit: number; stderr: string[] };
    const r = cli(["validate", `${CASES}/${f}`]);
    expect(r.code).toBe(want.exit);
    expect(r.stdout).toBe("");
    for (const word of want.stderr) expect(r.stderr).toContain(word);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

describe("the complete example of the format spec, section 2", () => {
  it.skipIf(!existsSync(join(ROOT, SHARED_SPEC)))("is copied verbatim into the fixtures", () => {
    const spec = readFileSync(join(ROOT, SHARED_SPEC), "utf8");
    const example = /## 2\. A scenario file\s+```yaml\n([\s\S]*?)```/.exec(spec)?.[1];
    expect(example).toBeDefined();
    expect(readFileSync(join(ROOT, SPEC_EXAMPLE), "utf8")).toBe(example);
  });

  it("validates with exit 0", () => {
    const r = cli(["validate", SPEC_EXAMPLE]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${SPEC_EXAMPLE}: valid (string spans a lazily mapped page)\n`);
  });

  it("loads as written", () => {
    const s = load(readFileSync(join(ROOT, SPEC_EXAMPLE), "utf8"));
    expect(s.name).toBe("string spans a lazily mapped page");
    expect(s.description).toBe("free text");
    expect(s.machine).toEqual({
      cpus: 1,
      page_size: 4096n,
      strategy: "percpu-flag",
      aspace: { base: 0x1000n, size: 0x7fff_ffff_f000n },
      frames: "unlimited",
      aspace_lock: "per-check",
      budget: 100_000_000n,
    });
    expect(s.memory).toHaveLength(1);
    expect(s.memory[0]).toMatchObject({ name: "buf", start: 0x10000n, size: 0x2000n, populate: false, present: [0x10000n] });
    expect(s.memory[0]?.perm).toEqual({ read: true, write: true, execute: false });
    expect(s.memory[0]?.contents).toEqual([
      { at: 0x10ffan, str: "hello," },
      { at: 0x11000n, str: " world\0" },
      { at: 0x11100n, bytes: [0xffn, 0xfen, 0n] },
      { at: 0x11200n, u32: [1n, 2n, 3n, 0n] },
      { at: 0x11800n, fill: 0x41n, len: 64n },
    ]);
    expect(s.threads).toEqual([{ name: "main", cpu: 0, steps: [{ op: "get_as_str", ptr: 0x10ffan, nullable: false, expect: { ok: "hello, world" } }] }]);
    expect(s.events).toEqual([
      { when: { thread: "main", step: 1n, at: "page-fault", nth: 1n }, do: { evict: { start: 0x10000n, size: 0x1000n } }, by: "kswapd", repeat: false },
    ]);
    expect(s.expect).toEqual({ outcome: "completed", hazards: [] });
  });
});

describe("loadScenario: numbers", () => {
  const budget = (text: string) => load(`name: n\nmachine:\n  budget: ${text}\n`).machine.budget;

  it("2^64-1 is exact, as a YAML integer and as a string, in hex and decimal", () => {
    expect(budget("0xffff_ffff_ffff_ffff")).toBe(U64_MAX);
    expect(budget("0xffffffffffffffff")).toBe(U64_MAX);
    expect(budget('"0xffff_ffff_ffff_ffff"')).toBe(U64_MAX);
    expect(budget("'0xFFFF_FFFF_FFFF_FFFF'")).toBe(U64_MAX);
    expect(budget("18446744073709551615")).toBe(U64_MAX);
    expect(budget('"18446744073709551615"')).toBe(U64_MAX);
  });

  it("values just above 2^53 stay exact", () => {
    expect(budget("9007199254740993")).toBe(9007199254740993n);
    expect(budget('"9_007_199_254_740_993"')).toBe(9007199254740993n);
    expect(budget("0x20000000000001")).toBe(0x20000000000001n);
  });

  it("underscores separate digits, in YAML integers and strings", () => {
    expect(budget("0x7fff_f000_0000")).toBe(0x7fff_f000_0000n);
    expect(budget("1_000_000")).toBe(1_000_000n);
    expect(budget('"4_096"')).toBe(4096n);
    expect(budget('"0x1__0"')).toBe(0x10n);
  });

  it("decimal strings are numbers", () => {
    expect(budget('"4096"')).toBe(4096n);
    expect(budget("'1'")).toBe(1n);
  });

  it("every 64-bit place takes them: addresses, sizes, pointers, element values", () => {
    const s = load(`name: n
machine: { aspace: { base: 0, size: "0xffff_ffff_ffff_f000" } }
memory:
  - start: 0xffff_ffff_ffff_e000
    size: "0x1000"
    perm: r
    contents:
      - { at: "0xffff_ffff_ffff_e000", u64: [0xffff_ffff_ffff_ffff, "18446744073709551615"] }
      - { at: 0xffff_ffff_ffff_e010, i64: [-1, "-0x8000_0000_0000_0000", 0x7fff_ffff_ffff_ffff] }
threads:
  - name: main
    steps:
      - { op: get, ptr: "0xffff_ffff_ffff_ffff", type: u64, use: read, expect: { ok: "0xffff_ffff_ffff_ffff" } }
`);
    expect(s.machine.aspace).toEqual({ base: 0n, size: 0xffff_ffff_ffff_f000n });
    expect(s.memory[0]?.start).toBe(0xffff_ffff_ffff_e000n);
    expect(s.memory[0]?.contents?.[0]).toEqual({ at: 0xffff_ffff_ffff_e000n, u64: [U64_MAX, U64_MAX] });
    expect(s.memory[0]?.contents?.[1]?.i64).toEqual([-1n, -(1n << 63n), (1n << 63n) - 1n]);
    const step = s.threads[0]?.steps[0];
    expect(step?.op === "get" ? step.ptr : undefined).toBe(U64_MAX);
  });
});

describe("loadScenario: defaults", () => {
  it("a file with only a name gets the machine's defaults and one thread main on CPU 0", () => {
    const s = load("name: only a name\n");
    expect(s).toEqual({
      name: "only a name",
      machine: {
        cpus: 1,
        page_size: 4096n,
        strategy: "percpu-flag",
        aspace: { base: 0x1000n, size: 0x7fff_ffff_f000n },
        frames: "unlimited",
        aspace_lock: "per-check",
        budget: 100_000_000n,
      },
      memory: [],
      threads: [{ name: "main", cpu: 0, steps: [] }],
      events: [],
      races: [],
    });
  });

  it("the default address space starts at the first page when pages are larger than 4 KiB", () => {
    expect(load("name: n\n").machine.aspace).toEqual({ base: 0x1000n, size: 0x7fff_ffff_f000n });
    expect(load("name: n\nmachine: { page_size: 65536 }\n").machine.aspace).toEqual({ base: 0x10000n, size: 0x7fff_ffff_0000n });
    expect(load("name: n\nmachine: { page_size: 16384, aspace: { size: 0x100000 } }\n").machine.aspace).toEqual({ base: 0x4000n, size: 0x100000n });
  });

  it("a partial machine keeps the defaults of the keys it leaves out", () => {
    const s = load("name: n\nmachine: { cpus: 4, aspace: { base: 0x10000 } }\n");
    expect(s.machine).toMatchObject({ cpus: 4, page_size: 4096n, strategy: "percpu-flag", aspace: { base: 0x10000n, size: 0x7fff_ffff_f000n } });
  });

  it("areas are eager, threads start on CPU 0, steps read u8 through a const pointer, events fire once", () => {
    const s = load(`name: n
memory:
  - { start: 0x10000, pages: 1, perm: r }
threads:
  - name: t
    steps:
      - { op: get, ptr: 0x10000 }
      - { op: get_as_slice, ptr: 0x10000, len: 2 }
      - { op: get_as_null_terminated, ptr: 0x10000 }
events:
  - when: { step: 1, at: before-step }
    do: { frames: 0 }
`);
    expect(s.memory[0]).toEqual({ start: 0x10000n, pages: 1n, perm: { read: true, write: false, execute: false }, populate: true });
    expect(s.threads).toEqual([
      {
        name: "t",
        cpu: 0,
        steps: [
          { op: "get", ptr: 0x10000n, type: "u8", mut: false, nullable: false },
          { op: "get_as_slice", ptr: 0x10000n, type: "u8", len: 2n, mut: false, nullable: false },
          { op: "get_as_null_terminated", ptr: 0x10000n, type: "u8", mut: false, nullable: false },
        ],
      },
    ]);
    expect(s.events[0]).toEqual({ when: { step: 1n, at: "before-step" }, do: { frames: 0n }, repeat: false });
  });

  it("a BOM and CRLF line ends are fine", () => {
    expect(load("\uFEFFname: bom\r\nmachine:\r\n  cpus: 2\r\n").machine.cpus).toBe(2);
  });
});

describe("loadScenario: problems", () => {
  it("come sorted by position, with the file name given", () => {
    const r = loadScenario("name: n\nmachine: { cpus: 0 }\nmemory:\n  - { start: 0x10001, pages: 1, perm: r }\n", "some/file.yaml");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.file, p.line, p.col, p.path.join(".")])).toEqual([["some/file.yaml", 2, 18, "machine.cpus"]]);
  });

  it("rule problems are all reported at once, each at its value", () => {
    const r = loadScenario("name: n\nmemory:\n  - { start: 0x10001, pages: 1, perm: r }\n  - { start: 0x20000, size: 0x10, perm: r }\n", "f.yaml");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => `${p.line}:${p.col}: ${p.path.join(".")}`)).toEqual(["3:14: memory.0.start", "4:29: memory.1.size"]);
  });

  it("a YAML alias is data like any other: its values are checked where it is used", () => {
    const s = load("name: n\nmemory:\n  - &area { start: 0x10000, pages: 1, perm: r }\nevents:\n  - when: { step: 1, at: before-step }\n    do: { map: *area }\nthreads:\n  - name: main\n    steps:\n      - { op: get, ptr: 0x10000 }\n");
    expect(s.events[0]?.do.map).toEqual(s.memory[0]);
  });

  it("__proto__ never reaches an object's prototype", () => {
    const r = loadScenario("name: n\nmachine:\n  __proto__: { cpus: 64 }\n", "f.yaml");
    expect(r.ok).toBe(false);
    expect(({} as Record<string, unknown>).cpus).toBeUndefined();
  });
});

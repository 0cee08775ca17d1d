import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";

const SEED = `name: seed
memory:
  - start: 0x10000
    pages: 2
    perm: r
    populate: false
    present: [0x10000]
    contents:
      - { at: 0x10ffa, str: "hello," }
      - { at: 0x11000, str: " world\\0" }
threads:
  - name: main
    steps:
      - op: get_as_str
        ptr: 0x10ffa
        expect: { ok: "hello, world" }
`;

describe("axptr-sim run", () => {
  it("prints the seed example's JSON result from standard input", () => {
    const r = cli(["run", "--format", "json", "-"], { input: SEED });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.scenario).toEqual({ name: "seed", file: "-" });
    expect(doc.outcome).toBe("completed");
    expect(doc.steps).toEqual([
      { thread: "main", step: 1, op: "get_as_str", result: { status: "ok", value: "hello, world" }, expected: { status: "ok", value: "hello, world" }, met: true },
    ]);
    expect(doc.events.map((e: { kind: string }) => e.kind)).toEqual([
      "step-start", "align-check", "flag-set", "page-check", "read", "page-check", "page-fault", "handler", "page-mapped", "read", "flag-clear", "step-end",
    ]);
    expect(doc.summary).toEqual({ events: 12, faults: 1, resolved: 1, expectations: { met: 1, failed: 0 } });
  });
});

const SEED_FILE = "scenarios/01-seed-string-across-lazy-page.yaml";
const PANIC_FILE = "scenarios/02-seed-without-flag-panics.yaml";
const MIGRATE_FILE = "scenarios/23-migration-mid-scan-percpu-flag.yaml";
const ESC = "\u001b";

/** A u64 above 2^53, a negative i64, and upper-case hex in the file: JSON must be exact and lower-case. */
const NUMBERS = `name: numbers
memory:
  - start: 0x2A000
    pages: 1
    perm: rw
    contents:
      - { at: 0x2A008, u64: [0xffff_ffff_ffff_fff0] }
      - { at: 0x2A010, i64: [-5] }
      - { at: 0x2A018, u64: [9007199254740991, 9007199254740992] }
threads:
  - name: main
    steps:
      - { op: get, ptr: 0x2A008, type: u64, use: read, expect: { ok: "0xffff_ffff_ffff_fff0" } }
      - { op: get, ptr: 0x2A010, type: i64, use: read, expect: { ok: -5 } }
      - { op: get_as_slice, ptr: 0x2A018, type: u64, len: 2, use: read }
      - { op: get, ptr: 0x2AFFF, type: u8, use: read }
`;

const FAILING = SEED.replace('expect: { ok: "hello, world" }', 'expect: { ok: "hello, there" }');

type Doc = { [k: string]: unknown; events: { [k: string]: unknown }[]; steps: { [k: string]: unknown }[] };

describe("axptr-sim run --format ndjson", () => {
  it("prints each event on a line, then one result line with every other field and no events", () => {
    const r = cli(["run", "--format", "ndjson", "-"], { input: SEED });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith("\n")).toBe(true);
    const lines = r.stdout.slice(0, -1).split("\n");
    const objs = lines.map((l) => JSON.parse(l) as { [k: string]: unknown });
    const doc = JSON.parse(cli(["run", "--format", "json", "-"], { input: SEED }).stdout) as Doc;
    const events = objs.slice(0, -1);
    const last = objs[objs.length - 1] as { [k: string]: unknown };
    // The same objects as the document's events, in order.
    expect(events).toEqual(doc.events);
    expect(events.length).toBe(12);
    expect(events.every((e) => e.kind !== "result")).toBe(true);
    expect(last.kind).toBe("result");
    expect(last).not.toHaveProperty("events");
    const { events: _events, ...rest } = doc;
    expect(last).toEqual({ kind: "result", ...rest });
    expect(last.outcome).toBe("completed");
    expect(last.steps).toEqual(doc.steps);
    expect(last.summary).toEqual({ events: 12, faults: 1, resolved: 1, expectations: { met: 1, failed: 0 } });
    // One compact object a line.
    expect(lines.every((l) => l.startsWith("{") && l.endsWith("}") && !l.includes("\n"))).toBe(true);
  });

  it("does the same for each of several files, in order", () => {
    const r = cli(["run", "--format", "ndjson", SEED_FILE, PANIC_FILE]);
    expect(r.code).toBe(0);
    const objs = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as { kind: string; scenario?: { file: string }; outcome?: string });
    const results = objs.filter((o) => o.kind === "result");
    expect(results.map((o) => [o.scenario?.file, o.outcome])).toEqual([[SEED_FILE, "completed"], [PANIC_FILE, "panic"]]);
    expect(objs[objs.length - 1]?.kind).toBe("result");
  });
});

describe("axptr-sim run --format json", () => {
  it("prints an array in argument order for several files", () => {
    const r = cli(["run", "--format", "json", PANIC_FILE, SEED_FILE, "-"], { input: SEED });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const docs = JSON.parse(r.stdout) as Doc[];
    expect(Array.isArray(docs)).toBe(true);
    expect(docs.map((d) => d.scenario)).toEqual([
      { name: "the seed example without context-aware handling panics the kernel", file: PANIC_FILE },
      { name: "seed example: a string that runs onto a page not mapped yet", file: SEED_FILE },
      { name: "seed", file: "-" },
    ]);
    expect(docs.map((d) => [d.format, d.outcome])).toEqual([
      ["axptr-sim-trace/1", "panic"],
      ["axptr-sim-trace/1", "completed"],
      ["axptr-sim-trace/1", "completed"],
    ]);
    // Each element is the single-file document.
    expect(docs[1]).toEqual(JSON.parse(cli(["run", "--format", "json", SEED_FILE]).stdout));
  });

  it("writes numbers above 2^53 - 1 as decimal strings, signed values negative, addresses as lower-case hex", () => {
    const r = cli(["run", "--format", "json", "-"], { input: NUMBERS });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.steps.map((s) => [s.result, s.met])).toEqual([
      [{ status: "ok", value: "18446744073709551600" }, true],
      [{ status: "ok", value: -5 }, true],
      [{ status: "ok", value: [9007199254740991, "9007199254740992"] }, null],
      [{ status: "ok", value: 0 }, null],
    ]);
    expect(doc.steps[0]?.expected).toEqual({ status: "ok", value: "18446744073709551600" });
    const addrs = doc.events.filter((e) => "addr" in e).map((e) => e.addr);
    expect(addrs.length).toBeGreaterThan(4);
    for (const a of addrs) expect(a).toMatch(/^0x(0|[1-9a-f][0-9a-f]*)$/);
    expect(addrs).toContain("0x2a008");
    expect(addrs).toContain("0x2afff");
    expect(r.stdout).not.toMatch(/0x[0-9a-f]*[A-F]/);
    // seq stays a number; every event has the required fields.
    for (const [i, e] of doc.events.entries()) {
      expect(e.seq).toBe(i + 1);
      expect(Object.keys(e).slice(0, 5)).toEqual(["seq", "thread", "step", "cpu", "kind"]);
      expect(e.flags).toEqual({ cpu0: expect.any(Boolean) });
    }
  });

  it("is byte-identical across runs", () => {
    const files = readdirSync(join(ROOT, "scenarios")).filter((f) => f.endsWith(".yaml")).sort().map((f) => `scenarios/${f}`);
    const a = cli(["run", "--format", "json", ...files]);
    const b = cli(["run", "--format", "json", ...files]);
    expect(a.code).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(10_000);
    expect(b.stdout).toBe(a.stdout);
    const t1 = cli(["run", MIGRATE_FILE]);
    expect(cli(["run", MIGRATE_FILE]).stdout).toBe(t1.stdout);
    const n1 = cli(["run", "--format", "ndjson", "-"], { input: NUMBERS });
    expect(cli(["run", "--format", "ndjson", "-"], { input: NUMBERS }).stdout).toBe(n1.stdout);
  });
});

describe("axptr-sim run: exit codes and options", () => {
  it("exits 1 when an expectation fails, and still prints the output", () => {
    const text = cli(["run", "-"], { input: FAILING });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('  ✗ main#1 get_as_str ptr=0x10ffa → ok "hello, world"  (expected ok "hello, there")\n');
    expect(text.stdout).toContain("expected  0 met, 1 failed\n");
    expect(text.stderr).toBe("axptr-sim: 1 expectation failed\n");
    const json = cli(["run", "--format", "json", "-"], { input: FAILING });
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as Doc;
    expect(doc.steps[0]?.met).toBe(false);
    expect(doc.summary).toEqual({ events: 12, faults: 1, resolved: 1, expectations: { met: 0, failed: 1 } });
  });

  it("--strategy overrides the file's, and the file's expectations are still judged", () => {
    const r = cli(["run", "--format", "json", "--strategy", "none", SEED_FILE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("axptr-sim: 2 expectations failed\n");
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.machine).toEqual({ cpus: 1, strategy: "none", page_size: 4096 });
    expect(doc.outcome).toBe("panic");
    expect(doc.steps[0]?.result).toEqual({ status: "panic", message: expect.stringContaining("0x11000") });
    expect(doc.events.every((e) => JSON.stringify(e.flags) === "{}")).toBe(true);
    expect(doc.events.find((e) => e.kind === "handler")?.decision).toBe("unhandled");
    const text = cli(["run", "--strategy", "none", SEED_FILE]);
    expect(text.stdout).toMatch(/^machine   1 CPU, strategy none, /m);
    // An unknown strategy is a usage error.
    const bad = cli(["run", "--strategy", "bogus", SEED_FILE]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain("bogus");
  });

  it("--quiet prints no event table, but the step results and the summary", () => {
    const full = cli(["run", SEED_FILE]);
    const quiet = cli(["run", "--quiet", SEED_FILE]);
    expect(quiet.code).toBe(0);
    expect(full.stdout).toMatch(/^ +#  cpu  thread  step  state +event$/m);
    expect(quiet.stdout).not.toMatch(/cpu  thread  step/);
    expect(quiet.stdout).not.toContain("PAGE FAULT");
    expect(quiet.stdout).not.toContain("access_user_memory begins");
    // Exactly the full output without the table (and the blank line before it).
    const fullLines = full.stdout.split("\n");
    const tableStart = fullLines.findIndex((l) => /cpu  thread  step/.test(l));
    const tableEnd = fullLines.indexOf("", tableStart);
    expect(quiet.stdout).toBe([...fullLines.slice(0, tableStart - 1), ...fullLines.slice(tableEnd)].join("\n"));
    expect(quiet.stdout).toContain('\nsteps\n  ✓ main#1 get_as_str ptr=0x10ffa → ok "hello, world"  (expected ok "hello, world")\n  ✓ run: outcome completed\n');
    expect(quiet.stdout).toContain("\noutcome   completed\nfaults    1 (1 resolved) in 12 events\nhazards   none\nexpected  2 met\n");
  });

  it("colours nothing with NO_COLOR or --no-color, and colours with FORCE_COLOR", () => {
    const plain = cli(["run", SEED_FILE]);
    expect(plain.stdout).not.toContain(ESC);
    const forced = cli(["run", SEED_FILE], { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain(`${ESC}[`);
    expect(forced.stdout.replace(/\u001b\[[0-9;]*m/g, "")).toBe(plain.stdout);
    expect(cli(["run", "--no-color", SEED_FILE], { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } }).stdout).toBe(plain.stdout);
    expect(cli(["run", SEED_FILE], { env: { NO_COLOR: "1", FORCE_COLOR: "1" } }).stdout).toBe(plain.stdout);
    // Not on a pipe without FORCE_COLOR, even when NO_COLOR is unset.
    expect(cli(["run", SEED_FILE], { env: { NO_COLOR: undefined } }).stdout).toBe(plain.stdout);
    // JSON never carries colour.
    const json = cli(["run", "--format", "json", SEED_FILE], { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
    expect(json.stdout).not.toContain(ESC);
  });

  it("runs nothing and prints nothing when one of several files is invalid: exit 2", () => {
    for (const format of ["text", "json", "ndjson"]) {
      const r = cli(["run", "--format", format, SEED_FILE, "test/fixtures/invalid/overlap.yaml", "-"], { input: "name: x\nthreads: 5\n" });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines.length).toBe(2);
      expect(lines[0]).toMatch(/^test\/fixtures\/invalid\/overlap\.yaml:\d+:\d+: memory\.\d+\.\w+: .*overlap/);
      expect(lines[1]).toMatch(/^-:2:10: threads: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("a missing file is exit 2 naming it", () => {
    const r = cli(["run", "nope.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("nope.yaml:1:1: (file): no such file\n");
  });

  it("an unknown option or command is exit 2 without a stack trace", () => {
    for (const args of [["run", "--bogus", SEED_FILE], ["frobnicate"], ["run"], ["run", "--format", "yaml", SEED_FILE]]) {
      const r = cli(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^axptr-sim: /);
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    }
    expect(cli(["run", "--bogus", SEED_FILE]).stderr).toContain("--bogus");
  });

  it("--help and --version exit 0", () => {
    const help = cli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: axptr-sim /);
    for (const c of ["run", "validate", "check", "compare", "schema"]) expect(help.stdout).toMatch(new RegExp(`^  ${c} `, "m"));
    const runHelp = cli(["run", "--help"]);
    expect(runHelp.code).toBe(0);
    expect(runHelp.stdout).toContain("--format <format>");
    expect(runHelp.stdout).toContain("--quiet");
    const version = cli(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toBe(`${(packageJson()).version}\n`);
    const helpRun = cli(["help", "run"]);
    expect(helpRun.code).toBe(0);
    expect(helpRun.stdout).toBe(runHelp.stdout);
  });

  it("no command at all shows the help on standard error and exits 2; a near-miss command gets a suggestion", () => {
    const bare = cli([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe("");
    expect(bare.stderr).toMatch(/^Usage: axptr-sim /);
    const typo = cli(["vaildate", "x.yaml"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe("axptr-sim: unknown command 'vaildate'\n(Did you mean validate?)\n(axptr-sim --help lists the commands; axptr-sim help COMMAND shows its options)\n");
  });
});

function packageJson(): { version: string } {
  // The version users see is package.json's.
  return JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
}

describe("axptr-sim run: a scenario too large to trace", () => {
  it("is refused with exit 2, the file named, nothing on stdout and no stack trace", () => {
    const r = cli(["run", "-"], {
      input: `name: s
memory: [{ start: 0x10000000, size: 0x10000000, perm: r }]
threads: [{ name: main, steps: [{ op: get, ptr: 0x10000000, type: { size: 0x10000000, align: 1 }, use: read }] }]
`,
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("-:1:1: (file): too large to trace: a value of 1 {size: 268435456, align: 1} elements is larger than the 1048576 numbers a step may yield (a struct element counts its bytes, a zero-sized one counts 1); read fewer elements\n");
  });
});

describe("populate at the end of the budget (issue 22)", () => {
  // semantics.md section 6 charges a unit per page made present; a page that gets no frame is not made present,
  // so with both units spent on the align and region checks the step is Err(ENOMEM), not step-limit.
  it("is ENOMEM when no frame is free, with the two units spent on the checks", () => {
    const r = cli(["run", "test/fixtures/sim/enomem-at-budget-end.yaml", "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("{\n  \"format\": \"axptr-sim-trace/1\",\n  \"scenario\": {\n    \"name\": \"populate with no free frame at the budget's end is ENOMEM\",\n    \"file\": \"test/fixtures/sim/enomem-at-budget-end.yaml\"\n  },\n  \"machine\": {\n    \"cpus\": 1,\n    \"strategy\": \"percpu-flag\",\n    \"page_size\": 4096\n  },\n  \"outcome\": \"completed\",\n  \"steps\": [\n    {\"thread\":\"main\",\"step\":1,\"op\":\"get\",\"result\":{\"status\":\"err\",\"errno\":\"ENOMEM\"},\"expected\":null,\"met\":null}\n  ],\n  \"events\": [\n    {\"seq\":1,\"thread\":\"main\",\"step\":1,\"cpu\":0,\"kind\":\"step-start\",\"op\":\"get\",\"args\":\"ptr=0x10000 T=u32\",\"flags\":{\"cpu0\":false}},\n    {\"seq\":2,\"thread\":\"main\",\"step\":1,\"cpu\":0,\"kind\":\"align-check\",\"addr\":\"0x10000\",\"align\":4,\"ok\":true,\"flags\":{\"cpu0\":false}},\n    {\"seq\":3,\"thread\":\"main\",\"step\":1,\"cpu\":0,\"kind\":\"region-check\",\"addr\":\"0x10000\",\"size\":4,\"access\":\"read\",\"ok\":true,\"flags\":{\"cpu0\":false}},\n    {\"seq\":4,\"thread\":\"main\",\"step\":1,\"cpu\":0,\"kind\":\"populate\",\"addr\":\"0x10000\",\"size\":4096,\"ok\":false,\"errno\":\"ENOMEM\",\"flags\":{\"cpu0\":false}},\n    {\"seq\":5,\"thread\":\"main\",\"step\":1,\"cpu\":0,\"kind\":\"step-end\",\"result\":{\"status\":\"err\",\"errno\":\"ENOMEM\"},\"flags\":{\"cpu0\":false}}\n  ],\n  \"hazards\": [],\n  \"unfired\": [],\n  \"expectations\": [],\n  \"summary\": {\n    \"events\": 5,\n    \"faults\": 0,\n    \"resolved\": 0,\n    \"expectations\": {\n      \"met\": 0,\n      \"failed\": 0\n    }\n  }\n}\n");
  });
});

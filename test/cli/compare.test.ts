// `axptr-sim compare`: one scenario under several strategies, side by side; it informs, so it exits 0.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";

const SEED = "scenarios/01-seed-string-across-lazy-page.yaml";
const MIGRATE = "scenarios/23-migration-mid-scan-percpu-flag.yaml";
const ALL = ["none", "percpu-flag", "per-thread-flag", "nesting-counter", "exception-table"];

/** The table's rows as label → cells (columns are separated by at least two spaces). */
function table(stdout: string): { header: string[]; rows: Map<string, string[]> } {
  const lines = stdout.split("\n");
  const at = lines.indexOf("");
  const [head, ...rest] = lines.slice(at + 1).filter((l) => l !== "");
  const split = (l: string) => l.trim().split(/ {2,}/);
  return { header: split(head as string), rows: new Map(rest.map((l) => { const [label, ...cells] = split(l); return [label as string, cells]; })) };
}

describe("axptr-sim compare", () => {
  it("shows every strategy by default, and exits 0 although one of them panics", () => {
    const r = cli(["compare", SEED]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines.slice(0, 3)).toEqual(["scenario  seed example: a string that runs onto a page not mapped yet", `file      ${SEED}`, ""]);
    expect(lines[3]).toMatch(/^ +none {2,}percpu-flag {2,}per-thread-flag {2,}nesting-counter {2,}exception-table$/);
    const { header, rows } = table(r.stdout);
    expect(header).toEqual(ALL);
    expect(rows.get("outcome")).toEqual(["panic", "completed", "completed", "completed", "completed"]);
    expect(rows.get("faults (resolved)")).toEqual(["1 (0)", "1 (1)", "1 (1)", "1 (1)", "1 (1)"]);
    expect(rows.get("hazards")).toEqual(["none", "none", "none", "none", "none"]);
    const step = rows.get("main#1 get_as_str") as string[];
    expect(step.length).toBe(5);
    expect(step[0]).toMatch(/^panic/);
    expect(step.slice(1)).toEqual(Array(4).fill('ok "hello, world"'));
    expect([...rows.keys()]).toEqual(["main#1 get_as_str", "outcome", "faults (resolved)", "hazards"]);
  });

  it("keeps the order of --strategies", () => {
    const r = cli(["compare", "--strategies", "percpu-flag,none", SEED]);
    expect(r.code).toBe(0);
    const { header, rows } = table(r.stdout);
    expect(header).toEqual(["percpu-flag", "none"]);
    expect(rows.get("outcome")).toEqual(["completed", "panic"]);
    expect(rows.get("faults (resolved)")).toEqual(["1 (1)", "1 (0)"]);
  });

  it("reads standard input as -", () => {
    const r = cli(["compare", "-", "--strategies", "none"], { input: readFileSync(join(ROOT, SEED), "utf8") });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[1]).toBe("file      -");
    expect(table(r.stdout).rows.get("outcome")).toEqual(["panic"]);
  });

  it("--format json: every strategy's outcome, steps and hazards (migrated-in-access only under percpu-flag)", () => {
    const r = cli(["compare", "--format", "json", MIGRATE]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const step = [{ thread: "main", step: 1, op: "get_as_str", result: { status: "ok", value: "abcd" } }];
    const hazard = { kind: "migrated-in-access", seq: 8, message: expect.stringMatching(/cpu0.*cpu1|cpu1.*cpu0/) };
    expect(doc).toEqual({
      format: "axptr-sim-compare/1",
      scenario: { name: "under a per-CPU flag, a thread that migrates mid-scan leaves its protection on the old CPU", file: MIGRATE },
      strategies: ALL.map((strategy) => ({
        strategy,
        outcome: "completed",
        steps: step,
        faults: 0,
        resolved: 0,
        hazards: strategy === "percpu-flag" ? [hazard] : [],
      })),
    });
    expect(r.stdout.endsWith("}\n")).toBe(true);
  });

  it("--format json keeps a panic's message", () => {
    const r = cli(["compare", "--format", "json", "--strategies", "none,percpu-flag", SEED]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.strategies.map((s: { strategy: string }) => s.strategy)).toEqual(["none", "percpu-flag"]);
    expect(doc.strategies[0].outcome).toBe("panic");
    expect(doc.strategies[0].steps[0].result).toEqual({ status: "panic", message: expect.stringContaining("0x11000") });
    expect(doc.strategies[1].steps[0].result).toEqual({ status: "ok", value: "hello, world" });
  });

  it("an unknown strategy is exit 2 with a clear message", () => {
    const r = cli(["compare", "--strategies", "percpu-flag,percpu-flags", SEED]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      'axptr-sim: --strategies: unknown strategy "percpu-flags" (known: none, percpu-flag, per-thread-flag, nesting-counter, exception-table, global-flag)\n',
    );
  });

  it("an empty strategy list is exit 2", () => {
    const r = cli(["compare", "--strategies", ",", SEED]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("axptr-sim: --strategies: name at least one strategy\n");
  });

  it("an invalid file is exit 2 with its position, and no stack trace", () => {
    const r = cli(["compare", "test/fixtures/invalid/overlap.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^test\/fixtures\/invalid\/overlap\.yaml:\d+:\d+: memory\.\d+\.\w+: .*overlap/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("colours only when asked", () => {
    const plain = cli(["compare", SEED]);
    expect(plain.stdout).not.toContain("\u001b");
    const forced = cli(["compare", SEED], { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain("\u001b[");
    expect(forced.stdout.replace(/\u001b\[[0-9;]*m/g, "")).toBe(plain.stdout);
    expect(cli(["compare", "--no-color", SEED], { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } }).stdout).toBe(plain.stdout);
  });
});

// `--kernel` on run, compare, explore and report (kernels.md section 1), with exact messages.
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const SEED = "scenarios/01-seed-string-across-lazy-page.yaml";
const EXIT = "scenarios/45-starry-2025-04-exit-strands-flag.yaml";
const VM = "scenarios/47-starry-2025-12-fixup-only-in-user-copy.yaml";
const MIGRATE = "scenarios/41-races-migration-two-cpus.yaml";

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown> & { machine: Record<string, unknown> };

describe("run --kernel", () => {
  it("a starry-* kernel also sets the strategy, and the document and text name it", () => {
    const r = cli(["run", "--format", "json", "--kernel", "starry-2025-08", SEED]);
    expect(r.code).toBe(0);
    expect(json(r.stdout).machine).toEqual({ cpus: 1, strategy: "global-flag", page_size: 4096, kernel: "starry-2025-08" });
    const t = cli(["run", "--kernel", "starry-2025-12", SEED]);
    expect(t.stdout.split("\n")[2]).toBe("machine   1 CPU, kernel starry-2025-12, strategy per-thread-flag, page 4 KiB, frames unlimited, lock per-check");
  });

  it("without --kernel and without machine.kernel nothing names a kernel", () => {
    expect(json(cli(["run", "--format", "json", SEED]).stdout).machine).toEqual({ cpus: 1, strategy: "percpu-flag", page_size: 4096 });
  });

  it("--strategy under a starry-* kernel, the file's or --kernel's, is exit 2 naming both", () => {
    const a = cli(["run", "--kernel", "starry-2025-07", "--strategy", "none", SEED]);
    expect([a.code, a.stderr]).toEqual([2, "axptr-sim: --strategy none cannot be given with --kernel starry-2025-07: a starry-* kernel fixes the strategy (percpu-flag); leave out --strategy, or name an axptr-* kernel\n"]);
    const b = cli(["run", "--strategy", "none", EXIT]);
    expect([b.code, b.stderr]).toEqual([
      2,
      `axptr-sim: --strategy none cannot be given with ${EXIT}: machine.kernel starry-2025-04: a starry-* kernel fixes the strategy (percpu-flag); leave out --strategy, or name an axptr-* kernel\n`,
    ]);
  });

  it("vm_* steps are checked against the kernel in effect, with file:line:column", () => {
    const r = cli(["run", "--kernel", "axptr-0.1", VM]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `${VM}:17:15: threads.0.steps.0.op: vm_write is a starry-vm user copy: it exists only under machine.kernel starry-2025-08 and starry-2025-12, not under axptr-0.1\n` +
        `${VM}:18:15: threads.0.steps.1.op: vm_read is a starry-vm user copy: it exists only under machine.kernel starry-2025-08 and starry-2025-12, not under axptr-0.1\n`,
    );
  });

  it("--kernel overrides the file's: scenario 14's SIGSEGV is an exit under starry-2025-04, a livelock under starry-2025-07 (its expectations then fail: exit 1)", () => {
    const exit = cli(["run", "--format", "json", "--kernel", "starry-2025-04", "scenarios/14-protected-mid-scan.yaml"]);
    expect(exit.code).toBe(0);
    const e = json(exit.stdout) as unknown as { outcome: string; hazards: { kind: string }[] };
    expect([e.outcome, e.hazards.map((h) => h.kind)]).toEqual(["killed", ["stranded-by-exit"]]);
    const retry = cli(["run", "--format", "json", "--kernel", "starry-2025-07", "scenarios/14-protected-mid-scan.yaml"]);
    expect([retry.code, (json(retry.stdout) as unknown as { outcome: string }).outcome, retry.stderr]).toEqual([1, "livelock", "axptr-sim: 2 expectations failed\n"]);
  });
});

describe("compare --kernel", () => {
  it("all: the six kernels side by side, each under its own strategy", () => {
    const r = cli(["compare", "--format", "json", "--kernel", "all", SEED]);
    const doc = json(r.stdout) as unknown as { machine: unknown; strategies: { kernel: string; strategy: string; outcome: string }[] };
    expect(doc.machine).toEqual({ kernel: "all" });
    expect(doc.strategies.map((s) => `${s.kernel}/${s.strategy}/${s.outcome}`)).toEqual([
      "axptr-doc/percpu-flag/completed",
      "axptr-0.1/percpu-flag/completed",
      "starry-2025-04/percpu-flag/completed",
      "starry-2025-07/percpu-flag/completed",
      "starry-2025-08/global-flag/completed",
      "starry-2025-12/per-thread-flag/completed",
    ]);
  });

  it("a kernel named: the strategies with global-flag last; none named: the five, no kernel", () => {
    const named = json(cli(["compare", "--format", "json", "--kernel", "axptr-0.1", SEED]).stdout) as unknown as { machine: unknown; strategies: { strategy: string }[] };
    expect(named.machine).toEqual({ kernel: "axptr-0.1" });
    expect(named.strategies.map((s) => s.strategy)).toEqual(["none", "percpu-flag", "per-thread-flag", "nesting-counter", "exception-table", "global-flag"]);
    const plain = json(cli(["compare", "--format", "json", SEED]).stdout) as unknown as { strategies: { strategy: string }[] };
    expect("machine" in plain).toBe(false);
    expect(plain.strategies.map((s) => s.strategy)).toEqual(["none", "percpu-flag", "per-thread-flag", "nesting-counter", "exception-table"]);
  });

  it("under a starry-* kernel, compare of strategies is exit 2 pointing to --kernel all", () => {
    const r = cli(["compare", EXIT]);
    expect([r.code, r.stderr]).toEqual([2, `axptr-sim: ${EXIT}: compare compares strategies, and machine.kernel starry-2025-04 fixes the strategy: use compare --kernel all to put the kernels side by side\n`]);
  });
});

describe("explore --kernel", () => {
  it("all: one document per kernel in kernels.md's order; starry-2025-07 has no migration inside the access", () => {
    const r = cli(["explore", "--format", "json", "--kernel", "all", MIGRATE]);
    const docs = JSON.parse(r.stdout) as { machine: { kernel: string; strategy: string }; schedules: number; classes: { hazards: string[] }[] }[];
    expect(docs.map((d) => `${d.machine.kernel}/${d.machine.strategy}`)).toEqual([
      "axptr-doc/percpu-flag",
      "axptr-0.1/percpu-flag",
      "starry-2025-04/percpu-flag",
      "starry-2025-07/percpu-flag",
      "starry-2025-08/global-flag",
      "starry-2025-12/per-thread-flag",
    ]);
    expect(docs[3]?.classes.flatMap((c) => c.hazards)).toEqual([]);
    expect(docs[3]?.schedules).toBeLessThan(docs[0]?.schedules ?? 0);
  });

  it("--strategy with --kernel all is exit 2", () => {
    const r = cli(["explore", "--kernel", "all", "--strategy", "none", MIGRATE]);
    expect([r.code, r.stderr]).toEqual([2, "axptr-sim: --strategy none cannot be given with --kernel all: the starry-* kernels fix their strategies\n"]);
  });
});

// The `run` action as a user sees it: JSON and NDJSON carry `run` and
// `run-result` with their fields, the text trace indents the switched-in
// thread under a line naming it, and `compare` shows its result per strategy.
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const PREEMPT = "scenarios/32-preempted-scan-hides-kernel-bug.yaml";
const CLEARS = "scenarios/33-preempting-thread-clears-flag.yaml";
const BLOCKED = `
name: blocked behind the lock
machine: { aspace_lock: held, strategy: per-thread-flag }
memory:
  - { start: 0x10000, pages: 1, perm: r, contents: [{ at: 0x10000, str: "ab\\0" }] }
threads:
  - { name: a, steps: [{ op: get_as_str, ptr: 0x10000 }] }
  - { name: b, steps: [] }
events:
  - when: { thread: a, step: 1, at: flag-set }
    do: { run: { thread: b, step: { op: get_as_str, ptr: 0x10000 } } }
    by: timer
`;

type Ev = Record<string, unknown>;

describe("run and run-result in JSON", () => {
  it("run is the interrupted thread's (to, to_cpu), the operation's events are the other thread's, run-result carries the result", () => {
    const r = cli(["run", PREEMPT, "--format", "json"]);
    expect(r.code).toBe(0);
    const events = (JSON.parse(r.stdout) as { events: Ev[] }).events;
    const i = events.findIndex((e) => e.kind === "run");
    expect(events[i]).toEqual({
      seq: 7, thread: "reader", step: 1, cpu: 0, kind: "run",
      to: "worker", to_cpu: 0, op: "kernel_access", args: "addr=0x1a0000 read", by: "scheduler (preemption)",
      flags: { cpu0: true },
    });
    expect(events.slice(i + 1, i + 7).map((e) => [e.seq, e.thread, e.cpu, e.step, e.in_run, e.kind])).toEqual([
      [8, "worker", 0, 1, true, "page-fault"],
      [9, "worker", 0, 1, true, "hazard"],
      [10, "worker", 0, 1, true, "handler"],
      [11, "worker", 0, 1, true, "page-mapped"],
      [12, "worker", 0, 1, true, "read"],
      [13, "worker", 0, 1, true, "run-result"],
    ]);
    expect(events[i + 6]).toEqual({ seq: 13, thread: "worker", step: 1, cpu: 0, in_run: true, kind: "run-result", op: "kernel_access", result: { status: "ok" }, flags: { cpu0: true } });
    expect(events[i + 7]).toMatchObject({ seq: 14, thread: "reader", kind: "read" });
    expect(events[i + 7]).not.toHaveProperty("in_run");
  });

  it("a run-result keeps its value (a step-end does not repeat it)", () => {
    const events = (JSON.parse(cli(["run", CLEARS, "--format", "json"]).stdout) as { events: Ev[] }).events;
    expect(events.find((e) => e.kind === "run-result")).toMatchObject({ thread: "b", result: { status: "ok", value: "-v" } });
  });

  it("foreign-flag is in hazards with its event and one sentence", () => {
    const doc = JSON.parse(cli(["run", PREEMPT, "--format", "json"]).stdout) as { hazards: Ev[] };
    expect(doc.hazards).toEqual([
      {
        kind: "foreign-flag",
        seq: 9,
        message:
          "Thread worker's kernel-mode fault at 0x1a0000 was judged by cpu0's flag, which thread reader set for its own open access: another thread's protection covers this thread's access, so a kernel bug is taken for a user access (resolved, or the process killed) instead of being reported.",
      },
    ]);
  });

  it("blocked: run-result { status: blocked } with the thread that holds the lock", () => {
    const r = cli(["run", "-", "--format", "ndjson"], { input: BLOCKED });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Ev);
    const i = lines.findIndex((e) => e.kind === "run");
    expect(lines.slice(i, i + 2)).toEqual([
      { seq: 6, thread: "a", step: 1, cpu: 0, kind: "run", to: "b", to_cpu: 0, op: "get_as_str", args: "ptr=0x10000", by: "timer", flags: { a: true, b: false } },
      { seq: 7, thread: "b", step: 1, cpu: 0, in_run: true, kind: "run-result", op: "get_as_str", result: { status: "blocked" }, blocked_by: "a", flags: { a: true, b: false } },
    ]);
    expect(lines.at(-1)).toMatchObject({ kind: "result", outcome: "completed" });
  });
});

describe("run in the text trace", () => {
  it("names the thread switched in, its CPU and why, indents its events, and says who goes on", () => {
    const out = cli(["run", CLEARS, "--no-color"]).stdout.split("\n");
    const at = out.findIndex((l) => l.includes("⇄ thread b switched in"));
    expect(out.slice(at, at + 8).map((l) => l.slice(30))).toEqual([
      "  ⇄ thread b switched in on cpu0 by scheduler (preemption): get_as_str ptr=0x1c0000",
      "    │ align check 0x1c0000 % 1: ok",
      "    │ access_user_memory begins: state set",
      "    │ page check 0x1c0000: ok",
      "    │ kernel read 0x1c0000..0x1c0003 (3 bytes)",
      "    │ access_user_memory ends: state cleared",
      "    │ ⚠ HAZARD flag-cleared-early: Thread b's access ended and cleared cpu0's flag, which the still-open access of thread a had set: that access is no longer protected on cpu0, and its next fault there will be treated as a kernel bug.",
      '  ⇄ thread b\'s get_as_str → ok "-v"; back to thread a',
    ]);
  });

  it("says why a blocked thread did nothing", () => {
    const out = cli(["run", "-", "--no-color"], { input: BLOCKED }).stdout;
    expect(out).toContain("⇄ thread b switched in on cpu0 by timer: get_as_str ptr=0x10000\n");
    expect(out).toContain("⇄ thread b's get_as_str → blocked (the address-space lock is held by thread a: it sleeps, the rest does not happen here); back to thread a\n");
  });
});

describe("run in compare", () => {
  it("shows the run-result under the step it interrupted, for each strategy (none: b ran before a's fault panicked)", () => {
    const r = cli(["compare", CLEARS, "--no-color"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").slice(3, 6)).toEqual([
      "                      none     percpu-flag         per-thread-flag   nesting-counter   exception-table",
      "a#1 get_as_str        panic    panic               ok \"/etc/passwd\"  ok \"/etc/passwd\"  ok \"/etc/passwd\"",
      "  ↳ run b get_as_str  ok \"-v\"  ok \"-v\"             ok \"-v\"           ok \"-v\"           ok \"-v\"",
    ]);
  });

  it("JSON lists each strategy's runs; a run that ended the whole run has result null", () => {
    const doc = JSON.parse(cli(["compare", PREEMPT, "--format", "json"]).stdout) as { strategies: { strategy: string; runs: Ev[] }[] };
    expect(doc.strategies.map((s) => [s.strategy, s.runs])).toEqual([
      // Without state the bug panics inside the run: the run ends there, and no run-result exists.
      ["none", [{ thread: "reader", step: 1, to: "worker", op: "kernel_access", result: null }]],
      ["percpu-flag", [{ thread: "reader", step: 1, to: "worker", op: "kernel_access", result: { status: "ok" } }]],
      ["per-thread-flag", [{ thread: "reader", step: 1, to: "worker", op: "kernel_access", result: null }]],
      ["nesting-counter", [{ thread: "reader", step: 1, to: "worker", op: "kernel_access", result: null }]],
      ["exception-table", [{ thread: "reader", step: 1, to: "worker", op: "kernel_access", result: null }]],
    ]);
  });
});

// The `run` action (semantics.md section 5, "Another thread runs"): another
// thread switched in for one operation, under every strategy; `blocked`
// under aspace_lock: held; a run-ending result inside it; and the two
// hazards it brings, foreign-flag and the cross-thread flag-cleared-early,
// exactly where they must and must not appear.
import { describe, expect, it } from "vitest";
import { STRATEGIES } from "../../src/scenario/schema.js";
import type { TraceEvent } from "../../src/sim/events.js";
import { hazardKinds, lines, ofKind, results, run } from "./helpers.js";

type S = (typeof STRATEGIES)[number];

// Thread a scans "xyz" from 0x20ffe over two lazy pages; thread b reads "b" at 0x20100 (the first page).
const MEMORY = `memory:
  - start: 0x20000
    pages: 2
    perm: r
    populate: false
    contents:
      - { at: 0x20ffe, str: "xyz\\0" }
      - { at: 0x20100, str: "b\\0" }`;

function two(o: { strategy?: S; machine?: string; at?: string; b: string; cpu?: number; bSteps?: string; extraEvents?: string; cpus?: number }): string {
  const cpu = o.cpu !== undefined ? `, cpu: ${o.cpu}` : "";
  return `
name: run
machine: { strategy: ${o.strategy ?? "percpu-flag"}, cpus: ${o.cpus ?? 2}${o.machine ? `, ${o.machine}` : ""} }
${MEMORY}
threads:
  - name: a
    steps:
      - { op: get_as_str, ptr: 0x20ffe }
  - name: b
    steps: ${o.bSteps ?? "[]"}
events:
  - when: { thread: a, step: 1, at: ${o.at ?? "before-read, index: 0"} }
    do: { run: { thread: b, step: ${o.b}${cpu} } }
    by: scheduler
${o.extraEvents ?? ""}`;
}

const B_SCAN = "{ op: get_as_str, ptr: 0x20100 }";
/** A kernel bug of b's: a direct kernel read of a's next lazy page. */
const B_BUG = "{ op: kernel_access, addr: 0x21000, access: read }";

/** The events from `run` to `run-result`, as brief lines. */
function runPart(t: ReturnType<typeof run>): string[] {
  const all = lines(t);
  const from = all.findIndex((l) => l.startsWith("run "));
  const to = all.findIndex((l) => l.startsWith("run-result "));
  return all.slice(from, to + 1);
}

describe("the run action's events", () => {
  it("run (the interrupted thread's, with to and to_cpu), the other thread's operation, then run-result", () => {
    const t = run(two({ b: B_SCAN }));
    expect(lines(t).slice(3, 6)).toEqual(["page-check addr=0x20000 ok=true", "injected action=run by=scheduler", "run to=b to_cpu=0 op=get_as_str by=scheduler"]);
    const r = ofKind(t, "run")[0];
    expect(r && [r.thread, r.cpu, r.step, r.in_run]).toEqual(["a", 0, 1, undefined]);
    const rr = ofKind(t, "run-result")[0];
    expect(rr && [rr.thread, rr.cpu, rr.step, rr.result]).toEqual(["b", 0, 1, { status: "ok", value: "b" }]);
  });

  it("the other thread's events carry its name, the run's CPU, the outer step's number and in_run", () => {
    const t = run(two({ b: B_SCAN, cpu: 1 }));
    const from = t.events.findIndex((e) => e.kind === "run");
    const to = t.events.findIndex((e) => e.kind === "run-result");
    const inside = t.events.slice(from + 1, to + 1);
    // align, flag-set, page check, fault, handler, page mapped, read, flag-clear, run-result.
    expect(inside.length).toBe(9);
    expect(inside.every((e: TraceEvent) => e.thread === "b" && e.cpu === 1 && e.step === 1 && e.in_run === true && e.nested === undefined)).toBe(true);
    // Before and after, thread a on its own CPU, not in a run.
    expect(t.events.slice(0, from + 1).every((e) => e.thread === "a" && e.cpu === 0 && e.in_run === undefined)).toBe(true);
    expect(t.events[to + 1]).toMatchObject({ thread: "a", cpu: 0, kind: "read" });
    expect(t.events[to + 1]?.in_run).toBeUndefined();
  });

  it("cpu defaults to the running thread's CPU where it is now (after a migration)", () => {
    const t = run(two({ b: B_SCAN, cpus: 3, extraEvents: "  - { when: { thread: a, step: 1, at: flag-set }, do: { migrate: { cpu: 2 } } }" }));
    expect(ofKind(t, "run").map((e) => [e.cpu, e.to_cpu])).toEqual([[2, 2]]);
    expect(ofKind(t, "flag-set").map((e) => [e.thread, e.cpu])).toEqual([["a", 0], ["b", 2]]);
  });

  it("the other thread's own steps keep their CPU and run later as usual", () => {
    const t = run(two({ strategy: "per-thread-flag", b: B_SCAN, cpu: 1, bSteps: `[${B_SCAN}]` }));
    expect(results(t)).toEqual(['ok:"xyz"', 'ok:"b"']);
    expect(ofKind(t, "step-start").map((e) => [e.thread, e.cpu])).toEqual([["a", 0], ["b", 0]]);
  });

  it("neither counts for nth nor fires triggers: b's faults are not a's, b's own step-1 trigger waits for b's own step", () => {
    const t = run(
      two({
        b: B_SCAN,
        bSteps: `[${B_SCAN}]`,
        strategy: "per-thread-flag",
        extraEvents: [
          "  - { when: { thread: a, step: 1, at: page-fault, nth: 1 }, do: { frames: 50 }, by: a-first-fault }",
          "  - { when: { thread: b, step: 1, at: flag-set }, do: { frames: 50 }, by: b-own-step }",
        ].join("\n"),
      }),
    );
    const injected = ofKind(t, "injected").map((e) => [e.by, e.thread, e.in_run ?? false]);
    expect(injected).toEqual([
      ["scheduler", "a", false],
      // a's first fault is at 0x21000 (b's fault at 0x20100 inside the run did not count).
      ["a-first-fault", "a", false],
      ["b-own-step", "b", false],
    ]);
    const aFault = ofKind(t, "page-fault").filter((e) => e.thread === "a").map((e) => e.addr);
    expect(aFault).toEqual([0x21000n]);
  });

  it("the run action is one unit of work; the other thread's operation spends its own", () => {
    // a: align 1, page check 1, then the action 1; b: align, page check, fault, page mapped, 2 reads = 6.
    // Then a: 2 reads, page check, fault, mapped, 2 reads, = 7. Total 3 + 6 + 7 = 16.
    const yaml = (budget: number) => two({ strategy: "per-thread-flag", machine: `budget: ${budget}`, b: B_SCAN });
    expect(run(yaml(16)).outcome).toBe("completed");
    expect(run(yaml(15)).outcome).toBe("step-limit");
    // With 2 units the action itself would exceed the budget: it does not happen.
    const t = run(yaml(2));
    expect(lines(t).slice(-2)).toEqual(["page-check addr=0x20000 ok=true", "step-end result=step-limit"]);
  });
});

describe("run under each strategy", () => {
  // b's own scan while a is mid-scan, both on cpu0: what each design makes of it.
  const expected: Record<S, { results: string[]; outcome: string; hazards: string[]; runResult: string | undefined }> = {
    none: { results: ["panic:Unhandled kernel page fault @0x20100", "not-run"], outcome: "panic", hazards: [], runResult: undefined },
    "percpu-flag": { results: ["panic:Unhandled kernel page fault @0x21000", "not-run"], outcome: "panic", hazards: ["flag-cleared-early"], runResult: 'ok:"b"' },
    "per-thread-flag": { results: ['ok:"xyz"'], outcome: "completed", hazards: [], runResult: 'ok:"b"' },
    "nesting-counter": { results: ['ok:"xyz"'], outcome: "completed", hazards: [], runResult: 'ok:"b"' },
    "exception-table": { results: ['ok:"xyz"'], outcome: "completed", hazards: [], runResult: 'ok:"b"' },
  };

  it.each(STRATEGIES)("%s", (strategy) => {
    const t = run(two({ strategy, b: B_SCAN, bSteps: strategy === "none" || strategy === "percpu-flag" ? `[${B_SCAN}]` : "[]" }));
    const want = expected[strategy];
    expect(results(t)).toEqual(want.results);
    expect(t.outcome).toBe(want.outcome);
    expect(hazardKinds(t)).toEqual(want.hazards);
    const rr = ofKind(t, "run-result")[0];
    expect(rr ? lines({ ...t, events: [rr] })[0] : undefined).toBe(want.runResult === undefined ? undefined : `run-result op=get_as_str result=${want.runResult}`);
  });

  it("percpu-flag: the other thread uses the flag of the CPU it runs on", () => {
    const t = run(two({ b: B_SCAN, cpu: 1 }));
    const set = ofKind(t, "flag-set").map((e) => [e.thread, e.flags]);
    expect(set).toEqual([
      ["a", { cpu0: true, cpu1: false }],
      ["b", { cpu0: true, cpu1: true }],
    ]);
    // b's end clears cpu1 only: a's protection on cpu0 stays, so no hazard, and a completes.
    expect(ofKind(t, "flag-clear").map((e) => [e.thread, e.flags])).toEqual([
      ["b", { cpu0: true, cpu1: false }],
      ["a", { cpu0: false, cpu1: false }],
    ]);
    expect(hazardKinds(t)).toEqual([]);
    expect(t.outcome).toBe("completed");
  });

  it("per-thread-flag and nesting-counter: the other thread has its own state", () => {
    expect(ofKind(run(two({ strategy: "per-thread-flag", b: B_SCAN })), "flag-set").map((e) => e.flags)).toEqual([
      { a: true, b: false },
      { a: true, b: true },
    ]);
    expect(ofKind(run(two({ strategy: "nesting-counter", b: B_SCAN })), "flag-clear").map((e) => e.flags)).toEqual([
      { a: 1, b: 0 },
      { a: 0, b: 0 },
    ]);
  });
});

describe("a run-ending result inside run", () => {
  it("ends the whole run: no run-result, the interrupted step gets the result, its step-end is its own", () => {
    const t = run(two({ strategy: "per-thread-flag", b: B_BUG, bSteps: `[${B_SCAN}]` }));
    expect(results(t)).toEqual(["panic:Unhandled kernel page fault @0x21000", "not-run"]);
    expect(ofKind(t, "run-result")).toEqual([]);
    expect(runPart(t)).toEqual([]);
    expect(lines(t).slice(-4)).toEqual([
      "run to=b to_cpu=0 op=kernel_access by=scheduler",
      "page-fault addr=0x21000 access=read mode=kernel interrupt=false",
      "handler decision=unhandled addr=0x21000",
      "step-end result=panic:Unhandled kernel page fault @0x21000",
    ]);
    const end = t.events.at(-1);
    expect(end && [end.thread, end.cpu, end.in_run]).toEqual(["a", 0, undefined]);
  });

  it("the budget running out at the other thread's first unit: run, then the interrupted step ends, no event of the other thread", () => {
    // a: align, page check, action = 3 units; b's align check would be the 4th.
    const t = run(two({ strategy: "per-thread-flag", machine: "budget: 3", b: B_SCAN }));
    expect(results(t)).toEqual(["step-limit"]);
    expect(lines(t).slice(-3)).toEqual(["injected action=run by=scheduler", "run to=b to_cpu=0 op=get_as_str by=scheduler", "step-end result=step-limit"]);
    const end = t.events.at(-1);
    expect(end && [end.thread, end.in_run]).toEqual(["a", undefined]);
    expect(ofKind(t, "run-result")).toEqual([]);
  });

  it("step-limit inside the run ends the run the same way", () => {
    // a: align, page check, action = 3; b: align 1, then the page check would be the 5th unit.
    const t = run(two({ strategy: "per-thread-flag", machine: "budget: 4", b: B_SCAN }));
    expect(results(t)).toEqual(["step-limit"]);
    expect(lines(t).slice(-3)).toEqual(["align-check addr=0x20100 align=1 ok=true", "flag-set", "step-end result=step-limit"]);
    expect(ofKind(t, "run-result")).toEqual([]);
  });
});

describe("blocked (aspace_lock: held)", () => {
  it("at its start: another thread holds the lock, so nothing happens but run and run-result blocked", () => {
    const t = run(two({ strategy: "per-thread-flag", machine: "aspace_lock: held", b: B_SCAN, bSteps: `[${B_SCAN}]` }));
    expect(runPart(t)).toEqual(["run to=b to_cpu=0 op=get_as_str by=scheduler", "run-result op=get_as_str result=blocked blocked_by=a"]);
    // a goes on holding the lock, and its own fault then waits for it: deadlock.
    expect(results(t)).toEqual(["deadlock", "not-run"]);
    expect(ofKind(t, "lock").map((e) => [e.thread, e.decision])).toEqual([["a", "acquired"]]);
    expect(ofKind(t, "handler").map((e) => [e.thread, e.decision])).toEqual([["a", "deadlock"]]);
  });

  it("at its start even for NULL with nullable, which takes the lock first when it is free", () => {
    const nul = "{ op: get_as_str, ptr: 0, nullable: true }";
    const held = run(two({ strategy: "per-thread-flag", machine: "aspace_lock: held", b: nul }));
    expect(ofKind(held, "run-result").map((e) => e.result)).toEqual([{ status: "blocked" }]);
    // Per-check: no lock is modelled, NULL is None at once.
    const free = run(two({ strategy: "per-thread-flag", b: nul, at: "before-step" }));
    expect(runPart(free)).toEqual(["run to=b to_cpu=0 op=get_as_str by=scheduler", "run-result op=get_as_str result=ok:null"]);
    // Held, but a holds nothing yet (before-step): b takes the lock before looking at the pointer.
    const first = run(two({ strategy: "per-thread-flag", machine: "aspace_lock: held", b: nul, at: "before-step" }));
    expect(runPart(first)).toEqual([
      "run to=b to_cpu=0 op=get_as_str by=scheduler",
      "lock decision=acquired",
      "lock decision=released",
      "run-result op=get_as_str result=ok:null",
    ]);
  });

  it("at its start even for a len * size that overflows; with the lock free, the lock comes before the layout panic", () => {
    const huge = "{ op: get_as_slice, ptr: 0x20000, type: u64, len: 0x2000000000000000 }";
    const held = run(two({ strategy: "per-thread-flag", machine: "aspace_lock: held", b: huge }));
    expect(ofKind(held, "run-result").map((e) => e.result)).toEqual([{ status: "blocked" }]);
    expect(held.outcome).toBe("deadlock");
    const free = run(two({ strategy: "per-thread-flag", machine: "aspace_lock: held", b: huge, at: "before-step" }));
    expect(lines(free).slice(-3)).toEqual([
      "run to=b to_cpu=0 op=get_as_slice by=scheduler",
      "lock decision=acquired",
      "step-end result=panic:called `Result::unwrap()` on an `Err` value: LayoutError (2305843009213693952 × 8 bytes exceeds isize::MAX)",
    ]);
  });

  it("at a fault whose handler needs the lock another thread holds: what came before stays done", () => {
    const t = run(two({ strategy: "per-thread-flag", machine: "aspace_lock: held", b: "{ op: user_access, addr: 0x21000, access: read }" }));
    expect(runPart(t)).toEqual([
      "run to=b to_cpu=0 op=user_access by=scheduler",
      "page-fault addr=0x21000 access=read mode=user interrupt=false",
      "handler decision=blocked addr=0x21000",
      "run-result op=user_access result=blocked blocked_by=a",
    ]);
    // The fault happened and was counted; the page was not made present; then a goes on (and deadlocks on its own fault).
    expect(t.summary.faults).toBe(2);
    expect(t.summary.resolved).toBe(0);
    expect(ofKind(t, "page-mapped")).toEqual([]);
    expect(results(t)).toEqual(["deadlock"]);
  });

  it("a hazard the state decides comes before the lock: foreign-flag, then blocked", () => {
    const t = run(two({ machine: "aspace_lock: held", b: B_BUG, cpus: 1 }));
    expect(runPart(t)).toEqual([
      "run to=b to_cpu=0 op=kernel_access by=scheduler",
      "page-fault addr=0x21000 access=read mode=kernel interrupt=false",
      "hazard hazard=foreign-flag",
      "handler decision=blocked addr=0x21000",
      "run-result op=kernel_access result=blocked blocked_by=a",
    ]);
  });

  it("a kernel bug whose flag is false panics before the lock is looked at", () => {
    const t = run(two({ strategy: "per-thread-flag", machine: "aspace_lock: held", b: B_BUG }));
    expect(results(t)).toEqual(["panic:Unhandled kernel page fault @0x21000"]);
    expect(ofKind(t, "run-result")).toEqual([]);
  });

  it("never while the lock is free: per-check has no lock to wait for", () => {
    const t = run(two({ strategy: "per-thread-flag", b: B_SCAN }));
    expect(ofKind(t, "run-result").map((e) => e.result.status)).toEqual(["ok"]);
    expect(ofKind(t, "lock")).toEqual([]);
  });
});

describe("foreign-flag", () => {
  it("must appear: b's kernel bug on cpu0 is covered by a's flag, and resolved", () => {
    const t = run(two({ b: B_BUG, cpus: 1 }));
    expect(hazardKinds(t)).toEqual(["foreign-flag"]);
    expect(runPart(t)).toEqual([
      "run to=b to_cpu=0 op=kernel_access by=scheduler",
      "page-fault addr=0x21000 access=read mode=kernel interrupt=false",
      "hazard hazard=foreign-flag",
      "handler decision=resolved addr=0x21000",
      "page-mapped addr=0x21000",
      "read addr=0x21000 size=1 mode=kernel",
      "run-result op=kernel_access result=ok",
    ]);
    expect(t.hazards[0]?.message).toBe(
      "Thread b's kernel-mode fault at 0x21000 was judged by cpu0's flag, which thread a set for its own open access: another thread's protection covers this thread's access, so a kernel bug is taken for a user access (resolved, or the process killed) instead of being reported.",
    );
  });

  it("must appear for a flag left behind by a migrated thread, outside any run of the same CPU", () => {
    const t = run(
      two({
        b: B_BUG,
        cpu: 0,
        extraEvents: "  - { when: { thread: a, step: 1, at: flag-set }, do: { migrate: { cpu: 1 } } }",
      }),
    );
    expect(hazardKinds(t)).toEqual(["migrated-in-access", "foreign-flag"]);
    // b's bug resolved on cpu0 under a's left-behind flag; a's own fault on cpu1 then panics.
    expect(ofKind(t, "handler").map((e) => [e.thread, e.cpu, e.decision])).toEqual([
      ["b", 0, "resolved"],
      ["a", 1, "unhandled"],
    ]);
  });

  it("must not appear: b's fault inside b's own access on the same CPU (b's flag covers it)", () => {
    expect(hazardKinds(run(two({ b: B_SCAN, cpu: 1 })))).toEqual([]);
    expect(hazardKinds(run(two({ b: B_SCAN })))).not.toContain("foreign-flag");
  });

  it("must not appear: b on a CPU whose flag is clear (the bug panics, as it should)", () => {
    const t = run(two({ b: B_BUG, cpu: 1 }));
    expect(hazardKinds(t)).toEqual([]);
    expect(results(t)).toEqual(["panic:Unhandled kernel page fault @0x21000"]);
  });

  it.each(["none", "per-thread-flag", "nesting-counter", "exception-table"] as const)("must not appear under %s (no per-CPU state)", (strategy) => {
    expect(hazardKinds(run(two({ strategy, b: B_BUG })))).toEqual([]);
  });

  it("must not appear for an interrupt's fault (that is interrupt-in-access)", () => {
    const t = run(`
name: irq
machine: { strategy: percpu-flag }
${MEMORY}
threads: [{ name: a, steps: [{ op: get_as_str, ptr: 0x20ffe }] }]
events:
  - when: { step: 1, at: flag-set }
    do: { interrupt: { addr: 0x20000, access: read } }
`);
    expect(hazardKinds(t)).toEqual(["interrupt-in-access"]);
  });
});

describe("flag-cleared-early across threads", () => {
  it("must appear: b's end clears cpu0's flag that a's open access set; a's next fault panics", () => {
    const t = run(two({ b: B_SCAN, cpus: 1 }));
    expect(hazardKinds(t)).toEqual(["flag-cleared-early"]);
    expect(runPart(t).slice(-3)).toEqual(["flag-clear", "hazard hazard=flag-cleared-early", 'run-result op=get_as_str result=ok:"b"']);
    expect(t.hazards[0]?.message).toBe(
      "Thread b's access ended and cleared cpu0's flag, which the still-open access of thread a had set: that access is no longer protected on cpu0, and its next fault there will be treated as a kernel bug.",
    );
    expect(results(t)).toEqual(["panic:Unhandled kernel page fault @0x21000"]);
  });

  it("must not appear: b's access on another CPU clears only that CPU's flag", () => {
    expect(hazardKinds(run(two({ b: B_SCAN, cpu: 1 })))).toEqual([]);
  });

  it("must not appear: a's own end, with no other thread's access open", () => {
    const t = run(two({ strategy: "percpu-flag", b: "{ op: get, ptr: 0x20100 }", cpus: 1 }));
    expect(hazardKinds(t)).toEqual([]);
    expect(results(t)).toEqual(['ok:"xyz"']);
  });

  it.each(["per-thread-flag", "nesting-counter", "exception-table", "none"] as const)("must not appear under %s", (strategy) => {
    expect(hazardKinds(run(two({ strategy, b: B_SCAN })))).not.toContain("flag-cleared-early");
  });

  it("a nested access's end still reports it, once, with the nested sentence", () => {
    const t = run(`
name: nested
${MEMORY}
threads: [{ name: a, steps: [{ op: get_as_str, ptr: 0x20ffe }] }]
events:
  - when: { step: 1, at: before-read, index: 0 }
    do: { nested: { op: get_as_str, ptr: 0x20100 } }
`);
    expect(hazardKinds(t)).toEqual(["flag-cleared-early"]);
    expect(t.hazards[0]?.message).toMatch(/^A nested access ended/);
  });
});

// The five strategies (semantics.md section 4): how their state shows in the
// trace, and each hazard exactly where the strategy table says it applies.
import { describe, expect, it } from "vitest";
import { STRATEGIES } from "../../src/scenario/schema.js";
import { makeStrategy } from "../../src/sim/strategies/index.js";
import type { Trace } from "../../src/sim/events.js";
import { hazardKinds, ofKind, result, results, run, stepLines } from "./helpers.js";

type S = (typeof STRATEGIES)[number];

/** Flags of every step-end of a step that did not end the run: no state may still say "accessing". */
function settled(t: Trace): boolean {
  return t.events
    .filter((e) => e.kind === "step-end" && ["ok", "err"].includes(e.result.status))
    .every((e) => Object.values(e.flags).every((v) => v === false || v === 0));
}

describe("flags rendering", () => {
  const scan = (strategy: S, extra = "") =>
    run(`
name: flags
machine: { strategy: ${strategy}, cpus: 2 }
memory:
  - { start: 0x10000, pages: 1, perm: rw, contents: [{ at: 0x10000, str: "ab\\0" }] }
threads:
  - name: main
    cpu: 0
    steps:
      - { op: get_as_str, ptr: 0x10000 }
  - name: other
    cpu: 1
    steps:
      - { op: get_as_str, ptr: 0x10000 }
${extra}`);

  const flagsOf = (t: Trace, kind: "flag-set" | "flag-clear" | "step-start") => t.events.filter((e) => e.kind === kind).map((e) => e.flags);

  it("percpu-flag: one bool per CPU, in CPU order", () => {
    const t = scan("percpu-flag");
    expect(flagsOf(t, "step-start")).toEqual([{ cpu0: false, cpu1: false }, { cpu0: false, cpu1: false }]);
    expect(flagsOf(t, "flag-set")).toEqual([{ cpu0: true, cpu1: false }, { cpu0: false, cpu1: true }]);
    expect(flagsOf(t, "flag-clear")).toEqual([{ cpu0: false, cpu1: false }, { cpu0: false, cpu1: false }]);
    expect(Object.keys(t.events[0]?.flags ?? {})).toEqual(["cpu0", "cpu1"]);
    expect(t.events.filter((e) => e.kind === "flag-set").map((e) => [e.thread, e.cpu])).toEqual([["main", 0], ["other", 1]]);
  });

  it("per-thread-flag: one bool per thread, in the file's thread order", () => {
    const t = scan("per-thread-flag");
    expect(flagsOf(t, "flag-set")).toEqual([{ main: true, other: false }, { main: false, other: true }]);
    expect(flagsOf(t, "flag-clear")).toEqual([{ main: false, other: false }, { main: false, other: false }]);
    expect(Object.keys(t.events[0]?.flags ?? {})).toEqual(["main", "other"]);
  });

  it("nesting-counter: a count per thread", () => {
    const t = scan("nesting-counter");
    expect(flagsOf(t, "flag-set")).toEqual([{ main: 1, other: 0 }, { main: 0, other: 1 }]);
    expect(flagsOf(t, "flag-clear")).toEqual([{ main: 0, other: 0 }, { main: 0, other: 0 }]);
  });

  it("none and exception-table: no state, {} on every event, yet flag-set and flag-clear are emitted", () => {
    for (const s of ["none", "exception-table"] as const) {
      const t = scan(s);
      expect(t.events.every((e) => JSON.stringify(e.flags) === "{}")).toBe(true);
      expect(flagsOf(t, "flag-set")).toEqual([{}, {}]);
      expect(flagsOf(t, "flag-clear")).toEqual([{}, {}]);
      expect(results(t)).toEqual(['ok:"ab"', 'ok:"ab"']);
    }
  });

  it("the flag-set and flag-clear triggers fire under every strategy", () => {
    for (const s of STRATEGIES) {
      const t = scan(
        s,
        `events:
  - { when: { thread: main, step: 1, at: flag-set }, do: { frames: 5 }, by: set }
  - { when: { thread: main, step: 1, at: flag-clear }, do: { frames: 6 }, by: clear }`,
      );
      expect(stepLines(t, 1, "main")).toEqual([
        "step-start op=get_as_str",
        "align-check addr=0x10000 align=1 ok=true",
        "flag-set",
        "injected action=frames by=set",
        "page-check addr=0x10000 ok=true",
        "read addr=0x10000 size=3 mode=kernel",
        "injected action=frames by=clear",
        "flag-clear",
        'step-end result=ok:"ab"',
      ]);
      // The flag-clear trigger fires just before the flag is cleared.
      const clearInjected = t.events.find((e) => e.kind === "injected" && e.by === "clear");
      if (s === "percpu-flag") expect(clearInjected?.flags).toEqual({ cpu0: true, cpu1: false });
      if (s === "nesting-counter") expect(clearInjected?.flags).toEqual({ main: 1, other: 0 });
    }
  });

  it("the default strategy is percpu-flag with one CPU", () => {
    const t = run(`
name: default
memory: [{ start: 0x10000, pages: 1, perm: r }]
threads: [{ name: main, steps: [{ op: get_as_str, ptr: 0x10000 }] }]
`);
    expect(t.machine.strategy).toBe("percpu-flag");
    expect(t.events.find((e) => e.kind === "flag-set")?.flags).toEqual({ cpu0: true });
  });

  it("the strategy option overrides the file's", () => {
    const yaml = `
name: o
machine: { strategy: percpu-flag }
memory: [{ start: 0x10000, pages: 1, perm: r }]
threads: [{ name: main, steps: [{ op: get_as_str, ptr: 0x10000 }] }]
`;
    expect(run(yaml, { strategy: "nesting-counter" }).events.find((e) => e.kind === "flag-set")?.flags).toEqual({ main: 1 });
    expect(run(yaml, { strategy: "nesting-counter" }).machine.strategy).toBe("nesting-counter");
    expect(run(yaml).machine.strategy).toBe("percpu-flag");
  });
});

describe("the strategies' answers", () => {
  const site = { thread: "a", cpu: 0, interrupt: false, site: true };
  it("percpu-flag: end clears the slot begin set, wherever the thread is now", () => {
    const s = makeStrategy("percpu-flag", 2, ["a"]);
    const token = s.begin({ thread: "a", cpu: 0 });
    expect(s.accessing(site)).toBe(true);
    expect(s.accessing({ ...site, cpu: 1 })).toBe(false);
    s.end(token, { thread: "a", cpu: 1 });
    expect(s.flags()).toEqual({ cpu0: false, cpu1: false });
    expect(s.anyAccessing()).toBe(false);
  });

  it("nesting-counter counts, per-thread-flag does not", () => {
    const c = makeStrategy("nesting-counter", 1, ["a", "b"]);
    const p = makeStrategy("per-thread-flag", 1, ["a", "b"]);
    for (const s of [c, p]) {
      const t1 = s.begin({ thread: "a", cpu: 0 });
      const t2 = s.begin({ thread: "a", cpu: 0 });
      s.end(t2, { thread: "a", cpu: 0 });
      expect(s.accessing(site)).toBe(s === c);
      expect(s.accessing({ ...site, thread: "b" })).toBe(false);
      s.end(t1, { thread: "a", cpu: 0 });
      expect(s.anyAccessing()).toBe(false);
    }
  });

  it("exception-table: only user-access sites outside interrupt context, with no state", () => {
    const s = makeStrategy("exception-table", 1, ["a"]);
    expect(s.fixups).toBe(true);
    expect(s.accessing(site)).toBe(true);
    expect(s.accessing({ ...site, site: false })).toBe(false);
    expect(s.accessing({ ...site, interrupt: true })).toBe(false);
    expect(s.flags()).toEqual({});
  });

  it("none: never accessing", () => {
    const s = makeStrategy("none", 1, ["a"]);
    s.begin({ thread: "a", cpu: 0 });
    expect(s.accessing(site)).toBe(false);
    expect(s.fixups).toBe(false);
  });
});

// One string over two pages: the first eager, the second lazy, so the only fault comes after the action.
const TWO_PAGES = `
  - { start: 0x10000, pages: 1, perm: rw, contents: [{ at: 0x10ffc, str: "abcd" }] }
  - { start: 0x11000, pages: 1, perm: rw, populate: false, contents: [{ at: 0x11000, str: "ef\\0" }] }
  - { start: 0x20000, pages: 1, perm: rw, contents: [{ at: 0x20000, str: "n\\0" }] }
  - { start: 0x30000, pages: 1, perm: rw, populate: false }`;

function hazardRun(strategy: S, event: string, cpus = 1): Trace {
  return run(`
name: hazard
machine: { strategy: ${strategy}, cpus: ${cpus} }
memory:${TWO_PAGES}
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: 0x10ffc }
      - { op: get_as_str, ptr: 0x20000 }
events:
  - ${event}
`);
}

describe("migrated-in-access (migrate mid-scan)", () => {
  const migrate = "{ when: { step: 1, at: before-read, index: 2 }, do: { migrate: { cpu: 1 } } }";

  it("percpu-flag: reported; the protection stays on cpu0 and the fault on cpu1 panics", () => {
    const t = hazardRun("percpu-flag", migrate, 2);
    expect(hazardKinds(t)).toEqual(["migrated-in-access"]);
    expect(t.outcome).toBe("panic");
    expect(results(t)).toEqual(["panic:Unhandled kernel page fault @0x11000", "not-run"]);
    const lines = stepLines(t, 1);
    expect(lines.slice(3)).toEqual([
      "page-check addr=0x10000 ok=true",
      "read addr=0x10ffc size=2 mode=kernel",
      "injected action=migrate",
      "migrate from=0 to=1",
      "hazard hazard=migrated-in-access",
      "read addr=0x10ffe size=2 mode=kernel",
      "page-check addr=0x11000 ok=true",
      "page-fault addr=0x11000 access=read mode=kernel interrupt=false",
      "handler decision=unhandled addr=0x11000",
      "step-end result=panic:Unhandled kernel page fault @0x11000",
    ]);
    const mig = t.events.find((e) => e.kind === "migrate");
    expect(mig?.flags).toEqual({ cpu0: true, cpu1: false });
    expect(mig?.cpu).toBe(1);
    const h = t.events.find((e) => e.kind === "hazard");
    expect(t.hazards).toEqual([{ kind: "migrated-in-access", seq: h?.seq, message: expect.stringMatching(/cpu0.*cpu1/) }]);
  });

  it("percpu-flag without a fault after the migration: the end still clears cpu0's slot, nothing is stranded", () => {
    const t = hazardRun("percpu-flag", "{ when: { step: 1, at: before-read, index: 5 }, do: { migrate: { cpu: 1 } } }", 2);
    expect(hazardKinds(t)).toEqual(["migrated-in-access"]);
    expect(t.outcome).toBe("completed");
    expect(t.events.find((e) => e.kind === "flag-clear")?.flags).toEqual({ cpu0: false, cpu1: false });
    // The next step runs on cpu1.
    expect(t.events.filter((e) => e.step === 2 && e.kind === "flag-set").map((e) => [e.cpu, e.flags])).toEqual([[1, { cpu0: false, cpu1: true }]]);
    expect(settled(t)).toBe(true);
  });

  it.each(["per-thread-flag", "nesting-counter", "exception-table"] as const)("%s: not reported, the fault on cpu1 resolves", (s) => {
    const t = hazardRun(s, migrate, 2);
    expect(hazardKinds(t)).toEqual([]);
    expect(t.outcome).toBe("completed");
    expect(results(t)).toEqual(['ok:"abcdef"', 'ok:"n"']);
    expect(ofKind(t, "migrate").map((e) => [e.from, e.to, e.cpu])).toEqual([[0, 1, 1]]);
    expect(ofKind(t, "handler").map((e) => [e.decision, e.cpu])).toEqual([["resolved", 1]]);
    expect(settled(t)).toBe(true);
  });

  it("none: not reported (there is no state to leave behind); the fault panics as every kernel fault does", () => {
    const t = hazardRun("none", migrate, 2);
    expect(hazardKinds(t)).toEqual([]);
    expect(t.outcome).toBe("panic");
  });

  it("percpu-flag: a migration outside any access is no hazard", () => {
    const t = hazardRun("percpu-flag", "{ when: { step: 1, at: after-align-check }, do: { migrate: { cpu: 1 } } }", 2);
    expect(hazardKinds(t)).toEqual([]);
    expect(t.outcome).toBe("completed");
    expect(t.events.find((e) => e.kind === "flag-set")?.flags).toEqual({ cpu0: false, cpu1: true });
  });
});

describe("flag-cleared-early (a nested access inside the scan)", () => {
  const nested = "{ when: { step: 1, at: before-read, index: 1 }, do: { nested: { op: get_as_str, ptr: 0x20000 } } }";

  it.each(["percpu-flag", "per-thread-flag"] as const)("%s: reported when the nested access ends; the outer scan's next fault panics", (s) => {
    const t = hazardRun(s, nested);
    expect(hazardKinds(t)).toEqual(["flag-cleared-early"]);
    expect(t.outcome).toBe("panic");
    expect(results(t)).toEqual(["panic:Unhandled kernel page fault @0x11000", "not-run"]);
    const lines = stepLines(t, 1);
    expect(lines.slice(5, 14)).toEqual([
      "injected action=nested",
      "align-check addr=0x20000 align=1 ok=true",
      "flag-set",
      "page-check addr=0x20000 ok=true",
      "read addr=0x20000 size=2 mode=kernel",
      "flag-clear",
      "hazard hazard=flag-cleared-early",
      'nested-result op=get_as_str result=ok:"n"',
      "read addr=0x10ffd size=3 mode=kernel",
    ]);
    const clear = t.events.find((e) => e.kind === "flag-clear");
    expect(clear?.nested).toBe(1);
    expect(clear?.flags).toEqual(s === "percpu-flag" ? { cpu0: false } : { main: false });
  });

  it("nesting-counter: not reported; the count goes 1, 2, 1, 0 and the outer fault resolves", () => {
    const t = hazardRun("nesting-counter", nested);
    expect(hazardKinds(t)).toEqual([]);
    expect(t.outcome).toBe("completed");
    expect(results(t)[0]).toBe('ok:"abcdef"');
    expect(t.events.filter((e) => e.step === 1 && (e.kind === "flag-set" || e.kind === "flag-clear")).map((e) => e.flags)).toEqual([{ main: 1 }, { main: 2 }, { main: 1 }, { main: 0 }]);
    expect(settled(t)).toBe(true);
  });

  it.each(["exception-table", "none"] as const)("%s: not reported", (s) => {
    const t = hazardRun(s, nested);
    expect(hazardKinds(t)).toEqual([]);
    expect(t.outcome).toBe(s === "none" ? "panic" : "completed");
  });

  it("a nested get (no access of its own) clears nothing, under percpu-flag", () => {
    const t = hazardRun("percpu-flag", "{ when: { step: 1, at: before-read, index: 1 }, do: { nested: { op: get, ptr: 0x20000, type: u8, use: read } } }");
    expect(hazardKinds(t)).toEqual([]);
    expect(t.outcome).toBe("completed");
    expect(ofKind(t, "nested-result").map((e) => e.result)).toEqual([{ status: "ok", value: 110n }]);
  });
});

describe("interrupt-in-access (an interrupt during a scan)", () => {
  const irqLazy = "{ when: { step: 1, at: before-read, index: 1 }, do: { interrupt: { addr: 0x30008, access: write } } }";

  it.each(["percpu-flag", "per-thread-flag", "nesting-counter"] as const)("%s: reported, and the interrupt's bug is resolved as if it were a user access", (s) => {
    const t = hazardRun(s, irqLazy);
    expect(hazardKinds(t)).toEqual(["interrupt-in-access"]);
    expect(t.outcome).toBe("completed");
    expect(results(t)).toEqual(['ok:"abcdef"', 'ok:"n"']);
    expect(stepLines(t, 1).slice(5, 11)).toEqual([
      "injected action=interrupt",
      "interrupt addr=0x30008 access=write",
      "page-fault addr=0x30008 access=write mode=kernel interrupt=true",
      "hazard hazard=interrupt-in-access",
      "handler decision=resolved addr=0x30008",
      "page-mapped addr=0x30000",
    ]);
    expect(settled(t)).toBe(true);
  });

  it("percpu-flag: an interrupt's fault outside any area kills the user process, and is reported", () => {
    const t = hazardRun("percpu-flag", "{ when: { step: 1, at: before-read, index: 1 }, do: { interrupt: { addr: 0x50000, access: read } } }");
    expect(hazardKinds(t)).toEqual(["interrupt-in-access"]);
    expect(t.outcome).toBe("killed");
    expect(results(t)).toEqual(["killed:SIGSEGV", "not-run"]);
  });

  it.each(["exception-table", "none"] as const)("%s: not reported; the interrupt's fault is a kernel bug (panic)", (s) => {
    const t = hazardRun(s, irqLazy);
    expect(hazardKinds(t)).toEqual([]);
    expect(t.outcome).toBe("panic");
    expect(results(t)[0]).toBe("panic:Unhandled kernel page fault @0x30008");
    expect(ofKind(t, "handler").map((e) => e.decision)).toEqual(["unhandled"]);
  });

  it.each(STRATEGIES.map((s) => [s]))("%s: an interrupt outside any access panics and is not reported", (s) => {
    const t = hazardRun(s, "{ when: { step: 1, at: before-step }, do: { interrupt: { addr: 0x30008, access: read } } }");
    expect(hazardKinds(t)).toEqual([]);
    expect(t.outcome).toBe("panic");
    expect(ofKind(t, "page-fault").map((e) => e.interrupt)).toEqual([true]);
  });

  it("an interrupt touching a present page makes no fault and no hazard", () => {
    const t = hazardRun("percpu-flag", "{ when: { step: 1, at: before-read, index: 1 }, do: { interrupt: { addr: 0x20000, access: read } } }");
    expect(hazardKinds(t)).toEqual([]);
    expect(t.summary.faults).toBe(1);
    expect(t.outcome).toBe("completed");
  });

  it("the interrupt handler's access is traced once it completes (a read with interrupt: true after its resolved fault)", () => {
    // semantics.md §6: "a fault emits `page-fault`, ... then `handler` with the decision, then (when resolved)
    // `page-mapped`, and the retried access's `read` or `write` after that; a read or write event is emitted once
    const t = hazardRun("nesting-counter", irqLazy);
    const i = t.events.findIndex((e) => e.kind === "page-mapped" && e.addr === 0x30000n);
    expect(t.events[i + 1]).toMatchObject({ kind: "write", addr: 0x30008n, mode: "kernel", interrupt: true });
  });

  it("the interrupt runs on the current CPU: after a migration it is judged by that CPU's flag (percpu-flag)", () => {
    const t = run(`
name: irq after migrate
machine: { cpus: 2 }
memory:${TWO_PAGES}
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: 0x20000 }
events:
  - { when: { step: 1, at: flag-set }, do: { migrate: { cpu: 1 } } }
  - { when: { step: 1, at: flag-set }, do: { interrupt: { addr: 0x30000, access: read } } }
`);
    expect(hazardKinds(t)).toEqual(["migrated-in-access"]);
    expect(t.outcome).toBe("panic");
    expect(ofKind(t, "interrupt").map((e) => e.cpu)).toEqual([1]);
    expect(ofKind(t, "handler").map((e) => e.decision)).toEqual(["unhandled"]);
  });
});

describe("stranded-flag", () => {
  it.each(STRATEGIES.map((s) => [s]))("%s: never reported by a built-in strategy, whatever the step's result", (s) => {
    const t = run(`
name: no strand
machine: { strategy: ${s}, cpus: 2 }
memory:${TWO_PAGES}
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: 0x20000 }
      - { op: get_as_null_terminated, ptr: 0x10002, type: u32 }
      - { op: get_as_str, ptr: 0x40000 }
      - { op: get_as_str, ptr: 0x10ffc }
      - { op: get_as_str, ptr: 0x20000 }
      - { op: get_as_str, ptr: 0x10ffc, nullable: true }
events:
  - { when: { step: 1, at: flag-set }, do: { migrate: { cpu: 1 } } }
  - { when: { step: 4, at: before-read, index: 1 }, do: { nested: { op: get_as_str, ptr: 0x20000 } } }
  - { when: { step: 4, at: flag-set }, do: { nested: { op: get_as_str, ptr: 0x40000 } } }
  - { when: { step: 5, at: flag-set }, do: { migrate: { cpu: 0 } } }
`);
    expect(hazardKinds(t)).not.toContain("stranded-flag");
    expect(settled(t)).toBe(true);
    expect(results(t).slice(0, 3)).toEqual(['ok:"n"', "err:EFAULT", "err:EFAULT"]);
  });
});

describe("result of a step is judged the same under any strategy", () => {
  it("an expectation is judged under the strategy that ran", () => {
    const yaml = `
name: judged
memory:${TWO_PAGES}
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: 0x10ffc, expect: { ok: "abcdef" } }
`;
    expect(run(yaml).steps[0]?.met).toBe(true);
    const none = run(yaml, { strategy: "none" });
    expect(result(none, 1)).toEqual({ status: "panic", message: "Unhandled kernel page fault @0x11000" });
    expect(none.steps[0]?.met).toBe(false);
    expect(none.summary.expectations).toEqual({ met: 0, failed: 1 });
  });
});

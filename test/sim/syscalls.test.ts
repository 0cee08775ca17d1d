// Syscall shapes (kernels.md section 8): on_error: return, pointers taken
// from earlier results, and kernel locks held across a step, each rule
// pinned with exact results, reasons and events.
import { describe, expect, it } from "vitest";
import { explore } from "../../src/explore/explore.js";
import { renderText } from "../../src/render/text.js";
import { renderMermaid } from "../../src/render/mermaid/index.js";
import { traceJson } from "../../src/render/json.js";
import { renderReport } from "../../src/render/report/index.js";
import { EFAULT, body, load, ofKind, run } from "./helpers.js";

// argv at 0xe0000 (an area named argv): two pointers and the NULL; the strings elsewhere.
const ARGV = `memory:
  - { name: argv, start: 0xe0000, pages: 1, perm: r, contents: [ { at: 0xe0000, ptr: [0xf0100, 0xf0200, 0] } ] }
  - { name: strings, start: 0xf0000, pages: 1, perm: r, contents: [ { at: 0xf0100, str: "ls\\0" }, { at: 0xf0200, str: "-l\\0" } ] }`;

function argv(steps: string, extra = ""): string {
  return `name: argv\n${ARGV}\nthreads:\n  - name: main\n${extra}    steps:\n${steps}`;
}

describe("ptr: { from, index }", () => {
  it("takes element K of an earlier step's ok list, and names where it came from", () => {
    const t = run(
      argv(`      - { op: get_as_null_terminated, ptr: 0xe0000, type: ptr }
      - { op: get_as_str, ptr: { from: 1, index: 1 } }
      - { op: get_as_str, ptr: { from: 1, index: 0 } }`),
    );
    expect(t.steps.map((s) => [s.args, s.result])).toEqual([
      ["ptr=0xe0000 T=ptr", { status: "ok", value: [0xf0100n, 0xf0200n] }],
      ["ptr=argv[1] (0xf0200, from main#1)", { status: "ok", value: "-l" }],
      ["ptr=argv[0] (0xf0100, from main#1)", { status: "ok", value: "ls" }],
    ]);
    expect(t.steps[1]?.ptr_from).toEqual({ step: 1, index: 1n, value: 0xf0200n, label: "argv[1]" });
    expect(ofKind(t, "step-start")[1]?.args).toBe("ptr=argv[1] (0xf0200, from main#1)");
    expect(t.steps.map((s) => s.reason)).toEqual([undefined, undefined, undefined]);
  });

  it("takes a step's number without index (*NAME), and an unnamed area by its address", () => {
    const t = run(`name: n
memory:
  - { start: 0xe0000, pages: 1, perm: r, contents: [ { at: 0xe0000, ptr: [0xe0010] }, { at: 0xe0010, str: "x\\0" } ] }
threads:
  - name: main
    steps:
      - { op: get, ptr: 0xe0000, type: ptr, use: read }
      - { op: get_as_str, ptr: { from: 1 } }
      - { op: get_as_null_terminated, ptr: { from: 2 } }`);
    expect(t.steps.map((s) => [s.args, s.result.status, s.reason])).toEqual([
      ["ptr=0xe0000 T=ptr use=read", "ok", undefined],
      ["ptr=*0xe0000 (0xe0010, from main#1)", "ok", undefined],
      // A string is no pointer: the step is not-run, with why.
      ["ptr=**0xe0000 (from main#2) T=u8", "not-run", `no pointer: main#2's value is not a number (take an element with ptr: { from: 2, index: K })`],
    ]);
  });

  it("is not-run with the reason when the earlier step failed, or has no such element", () => {
    const t = run(
      argv(`      - { op: get_as_null_terminated, ptr: 0xe0000, type: ptr }
      - { op: get_as_str, ptr: { from: 1, index: 2 }, expect: not-run }
      - { op: get_as_null_terminated, ptr: 0xd0000, type: ptr, expect: { err: EFAULT } }
      - { op: get_as_str, ptr: { from: 3, index: 0 } }
      - { op: get, ptr: 0xe0000 }
      - { op: get_as_str, ptr: { from: 5, index: 0 } }
      - { op: get_as_str, ptr: 0xf0100, expect: { ok: "ls" } }`),
    );
    expect(t.steps.map((s) => [s.result.status, s.reason])).toEqual([
      ["ok", undefined],
      ["not-run", "no pointer: main#1's value has 2 elements, none at index 2"],
      ["err", undefined],
      ["not-run", "no pointer: main#3 returned EFAULT"],
      ["ok", undefined],
      ["not-run", "no pointer: main#5 returned ok with no value"],
      // Without on_error: return the thread goes on.
      ["ok", undefined],
    ]);
    expect(t.steps[1]?.met).toBe(true);
    // A not-run step emits nothing.
    expect(t.events.filter((e) => e.step === 2)).toEqual([]);
  });

  it("follows memory as it is when the step runs: a write to argv[1] before step 2 changes the string read", () => {
    const t = run(
      argv(`      - { op: get_as_null_terminated, ptr: 0xe0000, type: ptr }
      - { op: get, ptr: 0xe0008, type: ptr, use: read }
      - { op: get_as_str, ptr: { from: 2 } }`) +
        `\nevents:\n  - when: { step: 2, at: before-step }\n    do: { write: { at: 0xe0008, ptr: [0xf0100] } }\n`,
    );
    expect(t.steps.map((s) => s.result)).toEqual([
      { status: "ok", value: [0xf0100n, 0xf0200n] },
      { status: "ok", value: 0xf0100n },
      { status: "ok", value: "ls" },
    ]);
    expect(t.steps[2]?.args).toBe("ptr=*argv (0xf0100, from main#2)");
  });
});

describe("on_error: return", () => {
  const file = (onError: string) => `name: r
memory:
  - { start: 0x10000, pages: 1, perm: r }
threads:
  - name: main
${onError}    steps:
      - { op: get, ptr: 0x10000, type: u32, use: read }
      - { op: get, ptr: 0x90000, type: u32 }
      - { op: get, ptr: 0x10000, type: u32 }
      - { op: kernel_access, addr: 0x10000, access: read }
  - name: other
    steps:
      - { op: get, ptr: 0x90000, type: u32 }
      - { op: get, ptr: 0x10000, type: u32 }`;

  it("makes the thread's steps after its first err not-run, with the reason; other threads go on", () => {
    const t = run(file("    on_error: return\n"));
    expect(t.steps.map((s) => [`${s.thread}#${s.step}`, s.result.status, s.reason])).toEqual([
      ["main#1", "ok", undefined],
      ["main#2", "err", undefined],
      ["main#3", "not-run", "main#2 returned EFAULT (on_error: return)"],
      ["main#4", "not-run", "main#2 returned EFAULT (on_error: return)"],
      ["other#1", "err", undefined],
      ["other#2", "ok", undefined],
    ]);
    expect(t.outcome).toBe("completed");
  });

  it("changes nothing by default (continue), nor in the trace of a file without it", () => {
    const plain = run(file(""));
    expect(plain.steps.map((s) => s.result.status)).toEqual(["ok", "err", "ok", "ok", "err", "ok"]);
    expect(run(file("    on_error: continue\n"))).toEqual(plain);
    expect(plain.steps.some((s) => "reason" in s)).toBe(false);
  });

  it("reports an event of a returned step as unfired, saying why", () => {
    const t = run(`${file("    on_error: return\n")}\nevents:\n  - when: { thread: main, step: 3, at: before-step }\n    do: { frames: 0 }\n`);
    expect(t.unfired).toEqual([
      { event: 0, when: "main#3 at before-step", why: "the step did not run: main#2 returned EFAULT (on_error: return)" },
    ]);
  });

  // The false alarm, modelled on futex: the first check fails with EFAULT (the real syscall
  // returns there); a later step would panic. With on_error: return it is not-run, and no class panics.
  const FUTEX = (onError: string) => `name: futex
memory:
  - { start: 0x10000, pages: 1, perm: rw, populate: false }
threads:
  - name: main
${onError}    steps:
      - { op: get, ptr: 0x90000, type: u32, use: read }
      - { op: kernel_access, addr: 0x10000, access: read }
races:
  - name: munmap
    do: { unmap: { start: 0x10000, pages: 1 } }
explore:
  never: [panic]`;

  it("removes the futex model's false alarm: no panic class, the later step not-run in every class", () => {
    const returns = load(FUTEX("    on_error: return\n"));
    const r = explore(returns, { depth: 1, strategy: "percpu-flag" });
    expect(r.schedules).toBe(4);
    expect(r.classes.map((c) => [c.outcome, c.steps.map((s) => s.result.status), c.count])).toEqual([["completed", ["err", "not-run"], 4]]);
    expect(r.violations).toBe(0);
    const goes = explore(load(FUTEX("")), { depth: 1, strategy: "percpu-flag" });
    expect(goes.classes.map((c) => [c.outcome, c.steps.map((s) => s.result.status), c.count])).toEqual([["panic", ["err", "panic"], 6]]);
    expect(goes.violations).toBe(6);
  });
});

describe("locks and hold", () => {
  const PIPE = `name: pipe
machine: { cpus: 2 }
locks:
  - { name: pipe, kind: mutex }
memory:
  - { start: 0xa0000, pages: 1, perm: rw }
threads:
  - name: main
    steps:
      - { op: get_as_slice, ptr: 0xa0000, len: 2, mut: true, use: { write: [1, 2] }, hold: [pipe] }
      - { op: get_as_slice, ptr: 0xa0000, len: 2, use: read }
  - name: writer
    cpu: 1
events:
  - when: { thread: main, step: 1, at: before-use }
    do: { run: { thread: writer, step: { op: get_as_slice, ptr: 0xa0000, len: 2, use: read, hold: [pipe] }, cpu: 1 } }
  - when: { thread: main, step: 2, at: before-use }
    do: { run: { thread: writer, step: { op: get_as_slice, ptr: 0xa0000, len: 2, use: read, hold: [pipe] }, cpu: 1 } }`;

  it("blocks a run whose step needs a lock another thread holds, at once; the lock is free after the step", () => {
    const t = run(PIPE);
    const runs = ofKind(t, "run-result").map(body);
    expect(runs).toEqual([
      { kind: "run-result", op: "get_as_slice", result: { status: "blocked" }, blocked_by: "main", lock: "pipe", in_run: true },
      { kind: "run-result", op: "get_as_slice", result: { status: "ok", value: [1n, 2n] }, in_run: true },
    ]);
    // Blocked before anything: no event of the writer's between run and run-result.
    const i = t.events.findIndex((e) => e.kind === "run");
    expect(t.events[i + 1]?.kind).toBe("run-result");
    // Taking and releasing emit no event.
    expect(ofKind(t, "lock")).toEqual([]);
    expect(t.steps.map((s) => [s.args, s.hold])).toEqual([
      ["ptr=0xa0000 T=u8 len=2 mut use=write hold=pipe", ["pipe"]],
      ["ptr=0xa0000 T=u8 len=2 use=read", undefined],
    ]);
  });

  it("says so in the text and JSON outputs", () => {
    const t = run(PIPE);
    const text = renderText(t, "pipe.yaml", { color: false });
    expect(text).toContain("\nlocks     pipe (mutex)\n");
    expect(text).toContain("⇄ thread writer's get_as_slice → blocked (lock pipe is held by thread main: it sleeps, the rest does not happen here); back to thread main");
    const json = traceJson(t, "pipe.yaml");
    expect(json.locks).toEqual([{ name: "pipe", kind: "mutex" }]);
    expect((json.steps as Record<string, unknown>[]).map((s) => s.hold)).toEqual([["pipe"], undefined]);
  });

  const RELOCK = (kind: string) => `name: relock
locks:
  - { name: l, kind: ${kind} }
memory:
  - { start: 0x10000, pages: 1, perm: rw }
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: 0x10000, hold: [l] }
      - { op: get_as_str, ptr: 0x10000 }
events:
  - when: { step: 1, at: flag-set }
    do: { nested: { op: get_as_str, ptr: 0x10000, hold: [l] } }`;

  it.each(["mutex", "spin"])("re-taking a held %s on its own thread is a deadlock under axptr-doc: a lock event naming it", (kind) => {
    const t = run(RELOCK(kind));
    expect(t.outcome).toBe("deadlock");
    expect(t.steps.map((s) => s.result.status)).toEqual(["deadlock", "not-run"]);
    expect(ofKind(t, "lock").map(body)).toEqual([{ kind: "lock", decision: "deadlock", lock: "l", nested: 1 }]);
    expect(renderText(t, "r.yaml", { color: false })).toContain("lock l: already held by this thread: deadlock");
  });

  it("re-taking a held mutex under a starry-* kernel is the re-lock panic of kernels.md section 2; a spin lock still deadlocks", () => {
    const starry = (kind: string) => RELOCK(kind).replace("name: relock\n", "name: relock\nmachine: { kernel: starry-2025-12 }\n");
    const t = run(starry("mutex"));
    expect(t.outcome).toBe("panic");
    expect(t.steps.map((s) => s.result)).toEqual([{ status: "panic", message: "thread main tried to acquire mutex l it already owns" }, { status: "not-run" }]);
    expect(ofKind(t, "lock").map(body)).toEqual([{ kind: "lock", decision: "relock", lock: "l", nested: 1 }]);
    expect(renderText(t, "r.yaml", { color: false })).toContain("lock l: already held by this thread: the Mutex asserts (panic)");
    const spin = run(starry("spin"));
    expect(spin.outcome).toBe("deadlock");
    expect(ofKind(spin, "lock").map(body)).toEqual([{ kind: "lock", decision: "deadlock", lock: "l", nested: 1 }]);
  });

  it("a name listed twice in one hold is a re-take, at the step's start (before its before-step point)", () => {
    const t = run(RELOCK("mutex").replace("hold: [l] }\n      - { op: get_as_str", "hold: [l, l] }\n      - { op: get_as_str").replace(/events:[\s\S]*$/, ""));
    expect(t.outcome).toBe("deadlock");
    expect(t.events.map((e) => e.kind)).toEqual(["step-start", "lock", "step-end"]);
  });

  it("a nested step may take a lock its thread does not hold; it is released when the nested step ends", () => {
    const t = run(RELOCK("mutex").replace("hold: [l] }\n      - { op: get_as_str, ptr: 0x10000 }", "}\n      - { op: get_as_str, ptr: 0x10000, hold: [l] }"));
    expect(t.outcome).toBe("completed");
  });

  const SPIN = (hold: string) => `name: spin
machine: { cpus: 2 }
locks:
  - { name: sighand, kind: spin }
memory:
  - { start: 0x10000, pages: 1, perm: rw }
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: 0x10000${hold} }
      - { op: get_as_str, ptr: 0x10000 }
  - name: other
    cpu: 1
events:
  - when: { thread: main, step: 1, at: flag-set }
    do: { interrupt: { addr: 0x10000, access: read } }
  - when: { thread: main, step: 1, at: before-step }
    do: { migrate: { cpu: 1 } }
  - when: { thread: main, step: 1, at: after-step }
    do: { run: { thread: other, step: { op: get_as_str, ptr: 0x10000 } } }
  - when: { thread: main, step: 1, at: flag-clear }
    do: { run: { thread: other, step: { op: get_as_str, ptr: 0x10000 }, cpu: 1 } }
  - when: { thread: main, step: 2, at: flag-set }
    do: { interrupt: { addr: 0x10000, access: read } }
races:
  - name: irq
    do: { interrupt: { addr: 0x10000, access: read } }
  - name: wr
    do: { write: { at: 0x10000, str: "a" } }`;

  it("under a spin lock, no interrupt, migrate or run on the thread's CPU fires, from before-step to after-step; each is unfired with why", () => {
    const t = run(SPIN(", hold: [sighand]"));
    expect(t.unfired).toEqual([
      { event: 0, when: "main#1 at flag-set", why: "thread main holds the spin lock sighand (IRQs off): no interrupt until its step ends" },
      { event: 1, when: "main#1 at before-step", why: "thread main holds the spin lock sighand (preemption off): it cannot be taken off cpu0 until its step ends" },
      { event: 2, when: "main#1 at after-step", why: "thread main holds the spin lock sighand (preemption off): it cannot be taken off cpu0 until its step ends" },
    ]);
    // A run on another CPU happens (CPUs run in parallel), and the next step, holding nothing, is interrupted.
    expect(ofKind(t, "run").map((e) => [e.step, e.to_cpu])).toEqual([[1, 1]]);
    expect(ofKind(t, "interrupt").map((e) => e.step)).toEqual([2]);
    expect(ofKind(t, "migrate")).toEqual([]);
    const free = run(SPIN(""));
    expect(free.unfired).toEqual([]);
  });

  it("explore places no interrupt race inside a step that holds a spin lock, and counts the narrowed set", () => {
    const held = explore(load(SPIN(", hold: [sighand]")), { depth: 1, strategy: "percpu-flag" });
    const free = explore(load(SPIN("")), { depth: 1, strategy: "percpu-flag" });
    // Seven points in each get_as_str step; wr may land at all 14, irq only at step 2's 7 when step 1 holds the spin lock.
    expect(free.schedules).toBe(1 + 14 + 14);
    expect(held.schedules).toBe(1 + 14 + 7);
    for (const c of held.classes) expect(c.witness).not.toMatch(/^irq@main#1:/);
  });
});

describe("outputs of a not-run step with a reason", () => {
  const t = run(
    argv(
      `      - { op: get_as_null_terminated, ptr: 0xd0000, type: ptr }
      - { op: get_as_str, ptr: { from: 1, index: 0 } }`,
      "    on_error: return\n",
    ),
  );

  it("text: the reason after not-run", () => {
    expect(t.steps.map((s) => s.result)).toEqual([EFAULT, { status: "not-run" }]);
    expect(renderText(t, "a.yaml", { color: false })).toContain("    main#2 get_as_str ptr=0xd0000[0] (from main#1) → not-run (main#1 returned EFAULT (on_error: return))\n");
  });

  it("JSON: reason and ptr_from in the step's record", () => {
    const steps = traceJson(t, "a.yaml").steps as Record<string, unknown>[];
    expect(steps[1]).toEqual({
      thread: "main",
      step: 2,
      op: "get_as_str",
      result: { status: "not-run" },
      expected: null,
      met: null,
      reason: "main#1 returned EFAULT (on_error: return)",
      ptr_from: { step: 1, index: 0, label: "0xd0000[0]" },
    });
  });

  it("HTML: the reason beside the result in the steps table", () => {
    const html = renderReport([{ file: "a.yaml", trace: t }], { color: false });
    expect(html).toContain("<td>main#2</td>".replace("<td>", '<td class="mono">'));
    expect(html).toContain('<td class="mono">get_as_str ptr=0xd0000[0] (from main#1)</td><td class="mono">not-run (main#1 returned EFAULT (on_error: return))</td>');
  });

  it("Mermaid: a note over its thread", () => {
    expect(renderMermaid(t, "a.yaml", { color: false })).toContain("  Note over T_main: main#35;2 get_as_str ptr=0xd0000[0] (from main#35;1) → not-run: main#35;1 returned EFAULT<br>(on_error: return)\n");
  });
});

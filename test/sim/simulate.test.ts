// The whole run (semantics.md section 6): outcomes, the budget of work, threads, expectations.
import { describe, expect, it } from "vitest";
import { TraceTooLarge } from "../../src/sim/machine.js";
import { simulate } from "../../src/sim/simulate.js";
import { lines, load, ofKind, result, results, run, stepLines } from "./helpers.js";

const withBudget = (yaml: string, budget: number) => yaml.replace("BUDGET", String(budget));

describe("budget (units of work)", () => {
  // align 1 + region 1 + populate 0 pages + 1 element read = 3 units.
  const GET = `
name: get
machine: { budget: BUDGET }
memory: [{ start: 0x10000, pages: 1, perm: rw, contents: [{ at: 0x10000, u32: [5] }] }]
threads: [{ name: main, steps: [{ op: get, ptr: 0x10000, type: u32, use: read }] }]
`;

  it("get: 3 units complete, 2 end the run at the read", () => {
    expect(run(withBudget(GET, 3)).outcome).toBe("completed");
    const t = run(withBudget(GET, 2));
    expect(t.outcome).toBe("step-limit");
    expect(results(t)).toEqual(["step-limit"]);
    expect(lines(t)).toEqual([
      "step-start op=get",
      "align-check addr=0x10000 align=4 ok=true",
      "region-check addr=0x10000 size=4 access=read ok=true",
      "populate addr=0x10000 size=4096 ok=true",
      "step-end result=step-limit",
    ]);
  });

  it("get: 1 unit is the align check only; the region check would exceed it", () => {
    const t = run(withBudget(GET, 1));
    expect(lines(t)).toEqual(["step-start op=get", "align-check addr=0x10000 align=4 ok=true", "step-end result=step-limit"]);
  });

  // align 1 + page check 1 + 5 elements (a, b, c, d, NUL) = 7 units.
  const SCAN = `
name: scan
machine: { budget: BUDGET }
memory: [{ start: 0x10000, pages: 1, perm: rw, contents: [{ at: 0x10000, str: "abcd" }] }]
threads: [{ name: main, steps: [{ op: get_as_str, ptr: 0x10000 }] }]
`;

  it("scan: each element read is a unit; 7 complete, 6 stop before the NUL is read", () => {
    expect(result(run(withBudget(SCAN, 7)), 1)).toEqual({ status: "ok", value: "abcd" });
    const t = run(withBudget(SCAN, 6));
    expect(t.outcome).toBe("step-limit");
    expect(lines(t)).toEqual([
      "step-start op=get_as_str",
      "align-check addr=0x10000 align=1 ok=true",
      "flag-set",
      "page-check addr=0x10000 ok=true",
      "read addr=0x10000 size=4 mode=kernel",
      "step-end result=step-limit",
    ]);
  });

  it("scan: the page check is a unit (budget 1 stops before it, 2 before the first read)", () => {
    expect(lines(run(withBudget(SCAN, 1))).slice(1)).toEqual(["align-check addr=0x10000 align=1 ok=true", "flag-set", "step-end result=step-limit"]);
    expect(lines(run(withBudget(SCAN, 2))).slice(1)).toEqual(["align-check addr=0x10000 align=1 ok=true", "flag-set", "page-check addr=0x10000 ok=true", "step-end result=step-limit"]);
  });

  // align 1 + page check 1 + fault 1 + page made present 1 + 3 elements = 7 units.
  const LAZY = `
name: lazy
machine: { budget: BUDGET }
memory: [{ start: 0x10000, pages: 1, perm: rw, populate: false, contents: [{ at: 0x10000, str: "ab" }] }]
threads: [{ name: main, steps: [{ op: get_as_str, ptr: 0x10000 }] }]
`;

  it("a fault and the page it makes present are one unit each", () => {
    expect(run(withBudget(LAZY, 7)).outcome).toBe("completed");
    expect(run(withBudget(LAZY, 6)).outcome).toBe("step-limit");
    // 3 units: the fault is raised, the page cannot be made present.
    const t = run(withBudget(LAZY, 3));
    expect(lines(t).slice(-2)).toEqual(["page-fault addr=0x10000 access=read mode=kernel interrupt=false", "step-end result=step-limit"]);
    // 2 units: the fault itself would exceed the budget.
    expect(lines(run(withBudget(LAZY, 2))).slice(-2)).toEqual(["page-check addr=0x10000 ok=true", "step-end result=step-limit"]);
  });

  // align 1 + region 1 + 2 pages made present = 4 units.
  const POPULATE = `
name: populate
machine: { budget: BUDGET }
memory: [{ start: 0x10000, pages: 2, perm: rw, populate: false }]
threads: [{ name: main, steps: [{ op: get_as_slice, ptr: 0x10000, len: 0x2000 }] }]
`;

  it("each page populate makes present is a unit", () => {
    const ok = run(withBudget(POPULATE, 4));
    expect(ok.outcome).toBe("completed");
    expect(ofKind(ok, "page-mapped").length).toBe(2);
    const t = run(withBudget(POPULATE, 3));
    expect(t.outcome).toBe("step-limit");
    expect(results(t)).toEqual(["step-limit"]);
  });

  it("a populate that fails for want of a frame spends no unit on the page it could not make present", () => {
    // semantics.md §6: "each page made present ... is one unit"; §2: "A frame that cannot be had is `ENOMEM`".
    // With no free frame no page is made present, so budget 3 (align, region, 1 spare) ends in err ENOMEM.
    const t = run(`
name: enomem within budget
machine: { frames: 0, budget: 3 }
memory: [{ start: 0x10000, pages: 2, perm: rw, populate: false }]
threads: [{ name: main, steps: [{ op: get_as_slice, ptr: 0x10000, len: 0x2000 }] }]
`);
    expect(t.outcome).toBe("completed");
    expect(results(t)).toEqual(["err:ENOMEM"]);
  });

  it("each injected action is a unit", () => {
    const yaml = `
name: action
machine: { budget: BUDGET }
memory: [{ start: 0x10000, pages: 1, perm: rw }]
threads: [{ name: main, steps: [{ op: get, ptr: 0x10000, type: u32, use: read }] }]
events:
  - { when: { step: 1, at: before-step }, do: { frames: 9 }, by: one }
  - { when: { step: 1, at: before-step }, do: { frames: 9 }, by: two }
`;
    expect(run(withBudget(yaml, 5)).outcome).toBe("completed");
    expect(run(withBudget(yaml, 4)).outcome).toBe("step-limit");
    // The second action is the unit that would exceed a budget of 1: it does not happen.
    expect(lines(run(withBudget(yaml, 1)))).toEqual(["step-start op=get", "injected action=frames by=one", "step-end result=step-limit"]);
    expect(lines(run(withBudget(yaml, 2)))).toEqual(["step-start op=get", "injected action=frames by=one", "injected action=frames by=two", "step-end result=step-limit"]);
  });

  it("a user access is a unit, its fault one more, the page made present one more", () => {
    const yaml = `
name: user
machine: { budget: BUDGET }
memory: [{ start: 0x10000, pages: 1, perm: rw, populate: false }]
threads: [{ name: main, steps: [{ op: user_access, addr: 0x10000, access: read }] }]
`;
    expect(run(withBudget(yaml, 3)).outcome).toBe("completed");
    expect(run(withBudget(yaml, 2)).outcome).toBe("step-limit");
  });

  // semantics.md section 6, "Trace order": a fault comes before its access completes.
  it("a faulting kernel_access with one unit left spends it on the fault: panic, not step-limit", () => {
    const t = run(`
name: last unit on the fault
machine: {budget: 1}
memory: [{ start: 0x20000, pages: 1, perm: rw, populate: false }]
threads: [{ name: main, steps: [{ op: kernel_access, addr: 0x20000, access: write }] }]
`);
    expect(t.outcome).toBe("panic");
    expect(lines(t)).toEqual([
      "step-start op=kernel_access",
      "page-fault addr=0x20000 access=write mode=kernel interrupt=false",
      "handler decision=unhandled addr=0x20000",
      "step-end result=panic:Unhandled kernel page fault @0x20000",
    ]);
  });

  it("a faulting user_access spends its unit after the fault and the page made present", () => {
    const yaml = `
name: user
machine: { budget: BUDGET }
memory: [{ start: 0x10000, pages: 1, perm: r }]
threads: [{ name: main, steps: [{ op: user_access, addr: 0x10000, access: write }] }]
`;
    // One unit: the fault takes it and the handler kills the process (no write permission).
    expect(results(run(withBudget(yaml, 1)))).toEqual(["killed:SIGSEGV"]);
    // A lazy page: fault 1, page made present 1, then the access's own unit.
    const lazy = yaml.replace("perm: r }", "perm: rw, populate: false }");
    expect(lines(run(withBudget(lazy, 2))).slice(-2)).toEqual(["page-mapped addr=0x10000", "step-end result=step-limit"]);
    expect(lines(run(withBudget(lazy, 3))).slice(-2)).toEqual(["write addr=0x10000 size=1 mode=user", "step-end result=ok"]);
  });

  // semantics.md section 3: a range is built before the check that uses it.
  it("a range that overflows panics before its region check's unit (the align check spent the last one)", () => {
    const t = run(`
name: overflow before the unit
machine: {budget: 1}
threads: [{ name: main, steps: [{ op: get, ptr: 0xfffffffffffffff8, type: u64 }] }]
`);
    expect(t.outcome).toBe("panic");
    expect(lines(t)).toEqual([
      "step-start op=get",
      "align-check addr=0xfffffffffffffff8 align=8 ok=true",
      "step-end result=panic:attempt to add with overflow (0xfffffffffffffff8 + 0x8 passes 2^64 - 1)",
    ]);
  });

  it("a page check of the last page panics after its page-check trigger, before its unit", () => {
    // align 1, page check 1, two reads 2: the budget of 5 is spent up to the trigger's action.
    const t = run(`
name: last page
machine: { budget: 5, aspace: { base: 0x1000, size: 0xfffffffffffff000 } }
memory: [{ start: 0xffffffffffffe000, pages: 2, perm: r, contents: [{ at: 0xffffffffffffeffe, str: "ab" }] }]
threads: [{ name: main, steps: [{ op: get_as_str, ptr: 0xffffffffffffeffe }] }]
events:
  - { when: { step: 1, at: page-check, nth: 2 }, do: { frames: 9 }, by: trigger }
`);
    expect(t.outcome).toBe("panic");
    expect(lines(t).slice(-3)).toEqual([
      "read addr=0xffffffffffffeffe size=2 mode=kernel",
      "injected action=frames by=trigger",
      "step-end result=panic:attempt to add with overflow (0xfffffffffffff000 + 0x1000 passes 2^64 - 1)",
    ]);
  });

  it("zero-sized elements written cost a unit each, as zero-sized reads do", () => {
    const yaml = `
name: zero-sized writes
machine: { budget: BUDGET }
memory: [{ start: 0x20000, pages: 1, perm: rw }]
threads:
  - name: main
    steps: [{ op: get_as_slice, ptr: 0x20000, type: { size: 0, align: 1 }, len: 3, mut: true, use: { write: [[], [], []] } }]
`;
    // align 1 + region 1 + 3 writes = 5.
    expect(results(run(withBudget(yaml, 4)))).toEqual(["step-limit"]);
    expect(results(run(withBudget(yaml, 5)))).toEqual(["ok"]);
  });

  it("the budget is shared by every step of every thread; later steps are not-run", () => {
    const yaml = `
name: shared
machine: { budget: BUDGET, cpus: 2 }
memory: [{ start: 0x10000, pages: 1, perm: rw }]
threads:
  - { name: a, steps: [{ op: get, ptr: 0x10000, type: u32, use: read }, { op: get, ptr: 0x10000, type: u32, use: read }] }
  - { name: b, cpu: 1, steps: [{ op: get, ptr: 0x10000, type: u32, use: read, expect: not-run }] }
`;
    expect(run(withBudget(yaml, 9)).outcome).toBe("completed");
    const t = run(withBudget(yaml, 8));
    expect(t.outcome).toBe("step-limit");
    expect(t.steps.map((s) => [s.thread, s.step, s.result.status])).toEqual([
      ["a", 1, "ok"],
      ["a", 2, "ok"],
      ["b", 1, "step-limit"],
    ]);
    const u = run(withBudget(yaml, 5));
    expect(u.steps.map((s) => s.result.status)).toEqual(["ok", "step-limit", "not-run"]);
    expect(u.steps[2]?.met).toBe(true);
  });

  it("a huge populate is refused at once as too large to trace when the budget would not stop it", () => {
    const t0 = performance.now();
    const scenario = `
name: huge populate
memory: [{ start: 0x100_0000_0000, size: 0x100_0000_0000, perm: rw, populate: false }]
threads: [{ name: main, steps: [{ op: get_as_slice, ptr: 0x100_0000_0000, len: 0x100_0000_0000 }] }]
`;
    expect(() => run(scenario)).toThrow(TraceTooLarge);
    expect(() => run(scenario)).toThrow("populate 0x10000000000..0x20000000000 would map more than 500000 pages, each an event; make the range smaller");
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it("a huge populate within a small budget maps pages up to the budget, then ends in step-limit", () => {
    const t = run(`
name: huge populate, small budget
machine: { budget: 1000 }
memory: [{ start: 0x100_0000_0000, size: 0x100_0000_0000, perm: rw, populate: false }]
threads: [{ name: main, steps: [{ op: get_as_slice, ptr: 0x100_0000_0000, len: 0x100_0000_0000 }] }]
`);
    expect(t.outcome).toBe("step-limit");
    // Two units for the align and region checks, then one a page.
    expect(t.events.filter((e) => e.kind === "page-mapped")).toHaveLength(998);
    expect(t.events.find((e) => e.kind === "populate")).toMatchObject({ ok: false });
  });

  it("zero-sized elements are still read one unit each: 1000 of them exceed a budget of 10", () => {
    // semantics.md §6: "each element read or written ... is one unit"; running out is "reported like any other
    const t = run(`
name: zero-sized
machine: { budget: 10 }
memory: [{ start: 0x10000, pages: 1, perm: rw }]
threads: [{ name: main, steps: [{ op: get_as_slice, ptr: 0x10000, type: { size: 0, align: 1 }, len: 1000, use: read }] }]
`);
    expect(t.outcome).toBe("step-limit");
  });

  it("reading a slice larger than memory can hold ends in step-limit, it does not throw", () => {
    // semantics.md §6: the budget's end is "reported like any other outcome, never a hang"; 2^40 element reads
    const t = run(`
name: huge read
memory: [{ start: 0x100_0000_0000, size: 0x100_0000_0000, perm: rw }]
threads: [{ name: main, steps: [{ op: get_as_slice, ptr: 0x100_0000_0000, len: 0x100_0000_0000, use: read }] }]
`);
    expect(t.outcome).toBe("step-limit");
  });

  it("a long scan ends in step-limit at the exact element", () => {
    const t = run(`
name: long scan
machine: { budget: 1000 }
memory: [{ start: 0x10000, pages: 16, perm: r, contents: [{ at: 0x10000, fill: 0x41, len: 0x10000 }] }]
threads: [{ name: main, steps: [{ op: get_as_str, ptr: 0x10000 }] }]
`);
    expect(t.outcome).toBe("step-limit");
    // align 1 + page check 1 + 998 elements.
    expect(ofKind(t, "read").map((e) => [e.addr, e.size])).toEqual([[0x10000n, 998n]]);
  });
});

describe("outcomes and results", () => {
  it("each run end is the outcome and its step's result; later steps of every thread are not-run", () => {
    const base = (step: string) => `
name: ends
machine: { aspace_lock: held, cpus: 2 }
memory: [{ start: 0x10000, pages: 1, perm: rw, populate: false }]
threads:
  - { name: a, steps: [{ op: user_access, addr: 0x10000, access: read }, ${step}, { op: user_access, addr: 0x10000, access: read }] }
  - { name: b, cpu: 1, steps: [{ op: user_access, addr: 0x10000, access: read }] }
`;
    const cases: [string, string, string][] = [
      ["{ op: kernel_access, addr: 0x20000, access: read }", "panic", "panic:Unhandled kernel page fault @0x20000"],
      ["{ op: user_access, addr: 0x20000, access: read }", "killed", "killed:SIGSEGV"],
      ["{ op: get_as_str, ptr: 0x20000, nullable: true }", "completed", "err:EFAULT"],
    ];
    for (const [step, outcome, r] of cases) {
      const t = run(base(step));
      expect(t.outcome).toBe(outcome);
      expect(results(t)).toEqual(outcome === "completed" ? ["ok", r, "ok", "ok"] : ["ok", r, "not-run", "not-run"]);
    }
  });

  it("deadlock is an outcome too", () => {
    const t = run(`
name: deadlock
machine: { aspace_lock: held }
memory: [{ start: 0x10000, pages: 1, perm: rw, populate: false }]
threads: [{ name: main, steps: [{ op: get_as_null_terminated, ptr: 0x10000, type: u64, expect: deadlock }, { op: get, ptr: 0x10000, expect: not-run }] }]
expect: { outcome: deadlock }
`);
    expect(t.outcome).toBe("deadlock");
    expect(results(t)).toEqual(["deadlock", "not-run"]);
    expect(t.summary.expectations).toEqual({ met: 3, failed: 0 });
  });

  it("threads run one after another in file order, each on its CPU", () => {
    const t = run(`
name: threads
machine: { cpus: 2, strategy: per-thread-flag }
memory: [{ start: 0x10000, pages: 1, perm: rw, contents: [{ at: 0x10000, str: "x" }] }]
threads:
  - { name: b, cpu: 1, steps: [{ op: get_as_str, ptr: 0x10000 }, { op: user_access, addr: 0x10000, access: read }] }
  - { name: a, cpu: 0, steps: [{ op: get_as_str, ptr: 0x10000 }] }
`);
    expect(t.events.filter((e) => e.kind === "step-start").map((e) => [e.thread, e.step, e.cpu])).toEqual([
      ["b", 1, 1],
      ["b", 2, 1],
      ["a", 1, 0],
    ]);
    expect(t.events.find((e) => e.kind === "flag-set" && e.thread === "a")?.flags).toEqual({ b: false, a: true });
    expect(t.steps.map((s) => [s.thread, s.step, s.op])).toEqual([
      ["b", 1, "get_as_str"],
      ["b", 2, "user_access"],
      ["a", 1, "get_as_str"],
    ]);
  });

  it("without threads there is one thread main on CPU 0 with no steps", () => {
    const t = run("name: empty\n");
    expect(t.outcome).toBe("completed");
    expect(t.steps).toEqual([]);
    expect(t.events).toEqual([]);
    expect(t.machine).toEqual({ cpus: 1, strategy: "percpu-flag", page_size: 4096n, frames: "unlimited", aspace_lock: "per-check" });
  });

  it("events are numbered from 1 in order; the summary counts events, faults and resolutions", () => {
    const t = run(`
name: summary
memory: [{ start: 0x10000, pages: 2, perm: rw, populate: false, contents: [{ at: 0x10ffe, str: "ab" }] }]
threads: [{ name: main, steps: [{ op: get_as_str, ptr: 0x10ffe, expect: { ok: "ab" } }, { op: user_access, addr: 0x40000, access: read, expect: ok }] }]
expect: { outcome: completed, hazards: [stranded-flag] }
`);
    expect(t.events.map((e) => e.seq)).toEqual(t.events.map((_, i) => i + 1));
    expect(t.outcome).toBe("killed");
    expect(t.summary).toEqual({ events: t.events.length, faults: 3, resolved: 2, expectations: { met: 1, failed: 3 } });
    expect(t.expectations).toEqual([
      { what: "outcome completed", met: false },
      { what: "hazard stranded-flag", met: false },
    ]);
    expect(t.steps.map((s) => [s.expected, s.met])).toEqual([
      [{ status: "ok", value: "ab" }, true],
      [{ status: "ok" }, false],
    ]);
  });

  it("an expected number is compared exactly, also beyond 2^53 and as a 0x string", () => {
    const t = run(`
name: exact
memory: [{ start: 0x10000, pages: 1, perm: rw, contents: [{ at: 0x10000, u64: [0x20000000000001, 0xffff_ffff_ffff_ffff] }] }]
threads:
  - name: main
    steps:
      - { op: get, ptr: 0x10000, type: u64, use: read, expect: { ok: "9007199254740993" } }
      - { op: get, ptr: 0x10008, type: u64, use: read, expect: { ok: "0xffff_ffff_ffff_ffff" } }
      - { op: get, ptr: 0x10000, type: u64, use: read, expect: { ok: "9007199254740992" } }
      - { op: get_as_slice, ptr: 0x10000, type: u64, len: 2, use: read, expect: { ok: [0x20000000000001, "18446744073709551615"] } }
`);
    expect(t.steps.map((s) => s.met)).toEqual([true, true, false, true]);
  });

  it("the trace keeps the scenario's name and description", () => {
    const t = run("name: named\ndescription: words\n");
    expect(t.scenario).toEqual({ name: "named", description: "words" });
  });
});

describe("purity and scale", () => {
  it("simulate is deterministic and does not change its input", () => {
    const s = load(`
name: pure
machine: { cpus: 2 }
memory: [{ start: 0x10000, pages: 2, perm: rw, populate: false, contents: [{ at: 0x10ffe, str: "abc\\0" }] }]
threads: [{ name: main, steps: [{ op: get_as_str, ptr: 0x10ffe }, { op: get_as_str, ptr: 0x10ffe }] }]
events:
  - { when: { step: 1, at: page-fault }, do: { migrate: { cpu: 1 } } }
  - { when: { step: 2, at: before-read, index: 1 }, do: { evict: { start: 0x10000, pages: 2 } }, repeat: true }
`);
    const before = JSON.stringify(s, (_, v) => (typeof v === "bigint" ? `${v}n` : v));
    const a = simulate(s);
    const b = simulate(s);
    expect(b).toEqual(a);
    expect(JSON.stringify(s, (_, v) => (typeof v === "bigint" ? `${v}n` : v))).toBe(before);
    expect(a.hazards.map((h) => h.kind)).toEqual(["migrated-in-access"]);
  });

  it("a 1 TiB lazy area is cheap: touch its two ends", () => {
    const t0 = performance.now();
    const t = run(`
name: huge
memory: [{ start: 0x100_0000_0000, size: 0x100_0000_0000, perm: rw, populate: false }]
threads:
  - name: main
    steps:
      - { op: user_access, addr: 0x100_0000_0000, access: write }
      - { op: user_access, addr: 0x1ff_ffff_ffff, access: read }
      - { op: get_as_slice, ptr: 0x1ff_ffff_f000, len: 0x1000, use: read }
`);
    expect(t.outcome).toBe("completed");
    expect(ofKind(t, "page-mapped").map((e) => e.addr)).toEqual([0x100_0000_0000n, 0x1ff_ffff_f000n]);
    expect(stepLines(t, 3)[4]).toBe("read addr=0x1fffffff000 size=4096 mode=kernel");
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

// Injected events (semantics.md section 5): every trigger point, repeat, and every action.
import { describe, expect, it } from "vitest";
import { hazardKinds, lines, ofKind, result, results, run, stepLines } from "./helpers.js";

// The scanned string "abcd" over two pages: 0x10ffe..0x11002 then NUL; both pages lazy.
const STR = '{ start: 0x10000, pages: 2, perm: rw, populate: false, contents: [{ at: 0x10ffe, str: "abcd\\0" }] }';
const EAGER = '{ start: 0x10000, pages: 2, perm: rw, contents: [{ at: 0x10ffe, str: "abcd\\0" }] }';
const WORD = "{ start: 0x20000, pages: 1, perm: rw, populate: false, contents: [{ at: 0x20000, u32: [7] }] }";

function scn(o: { machine?: string; memory?: string[]; steps: string[]; events: string[]; threads?: string }): string {
  return [
    "name: inject",
    o.machine ? `machine: ${o.machine}` : "",
    "memory:",
    ...(o.memory ?? [STR, WORD]).map((m) => `  - ${m}`),
    "threads:",
    o.threads ?? ["  - name: main", "    steps:", ...o.steps.map((s) => `      - ${s}`)].join("\n"),
    "events:",
    ...o.events.map((e) => `  - ${e}`),
  ].join("\n");
}

const SCAN = "{ op: get_as_str, ptr: 0x10ffe }";
const GET = "{ op: get, ptr: 0x20000, type: u32, use: read }";
/** A harmless action whose `injected` event shows where a trigger fired. */
const mark = (label: string) => `do: { frames: 100 }, by: ${label}`;

const injectedBy = (t: ReturnType<typeof run>) => ofKind(t, "injected").map((e) => e.by);

describe("trigger points", () => {
  it("before-step: after step-start, before anything else", () => {
    const t = run(scn({ steps: [SCAN], events: [`{ when: { step: 1, at: before-step }, do: { write: { at: 0x10ffe, str: "xy" } } }`] }));
    expect(lines(t).slice(0, 3)).toEqual(["step-start op=get_as_str", "injected action=write", "align-check addr=0x10ffe align=1 ok=true"]);
    expect(result(t, 1)).toEqual({ status: "ok", value: "xycd" });
  });

  it("after-align-check: after a passing align check, for both kinds of operation", () => {
    const t = run(
      scn({
        steps: [SCAN, GET],
        events: [`{ when: { step: 1, at: after-align-check }, ${mark("s1")} }`, `{ when: { step: 2, at: after-align-check }, ${mark("s2")} }`],
      }),
    );
    expect(stepLines(t, 1).slice(1, 4)).toEqual(["align-check addr=0x10ffe align=1 ok=true", "injected action=frames by=s1", "flag-set"]);
    expect(stepLines(t, 2).slice(1, 4)).toEqual(["align-check addr=0x20000 align=4 ok=true", "injected action=frames by=s2", "region-check addr=0x20000 size=4 access=read ok=true"]);
  });

  it("after-align-check is not reached when the align check fails", () => {
    const t = run(scn({ steps: ["{ op: get, ptr: 0x20002, type: u32 }", "{ op: get_as_null_terminated, ptr: 0x20001, type: u16 }"], events: [`{ when: { step: 1, at: after-align-check }, ${mark("a")} }`, `{ when: { step: 2, at: after-align-check }, ${mark("b")} }`] }));
    expect(results(t)).toEqual(["err:EFAULT", "err:EFAULT"]);
    expect(ofKind(t, "injected")).toEqual([]);
  });

  it("after-region-check: an unmap there makes populate fail with ENOMEM", () => {
    const t = run(scn({ steps: [GET], events: ["{ when: { step: 1, at: after-region-check }, do: { unmap: { start: 0x20000, pages: 1 } } }"] }));
    expect(result(t, 1)).toEqual({ status: "err", errno: "ENOMEM" });
    expect(lines(t)).toEqual([
      "step-start op=get",
      "align-check addr=0x20000 align=4 ok=true",
      "region-check addr=0x20000 size=4 access=read ok=true",
      "injected action=unmap",
      "populate addr=0x20000 size=4096 ok=false errno=ENOMEM",
      "step-end result=err:ENOMEM",
    ]);
  });

  it("after-region-check and after-populate are not reached when the region check fails", () => {
    const t = run(scn({ steps: ["{ op: get, ptr: 0x30000, type: u32 }"], events: [`{ when: { step: 1, at: after-region-check }, ${mark("r")} }`, `{ when: { step: 1, at: after-populate }, ${mark("p")} }`] }));
    expect(result(t, 1)).toEqual({ status: "err", errno: "EFAULT" });
    expect(ofKind(t, "injected")).toEqual([]);
  });

  it("after-populate: after the page-mapped events; a write there is seen by the use", () => {
    const t = run(scn({ steps: [GET], events: ["{ when: { step: 1, at: after-populate }, do: { write: { at: 0x20000, u32: [0x55] } } }"] }));
    expect(result(t, 1)).toEqual({ status: "ok", value: 0x55n });
    expect(stepLines(t, 1).slice(3, 7)).toEqual(["populate addr=0x20000 size=4096 ok=true", "page-mapped addr=0x20000", "injected action=write", "read addr=0x20000 size=4 mode=kernel"]);
  });

  it("after-populate is not reached when populate fails", () => {
    const t = run(scn({ machine: "{ frames: 0 }", steps: [GET], events: [`{ when: { step: 1, at: after-populate }, ${mark("p")} }`] }));
    expect(result(t, 1)).toEqual({ status: "err", errno: "ENOMEM" });
    expect(ofKind(t, "injected")).toEqual([]);
  });

  it("flag-set: just after the flag is set; an unmap there fails the first page check", () => {
    const t = run(scn({ steps: [SCAN], events: ["{ when: { step: 1, at: flag-set }, do: { unmap: { start: 0x10000, pages: 1 } } }"] }));
    expect(result(t, 1)).toEqual({ status: "err", errno: "EFAULT" });
    expect(lines(t).slice(2)).toEqual(["flag-set", "injected action=unmap", "page-check addr=0x10000 ok=false", "flag-clear", "step-end result=err:EFAULT"]);
    expect(ofKind(t, "injected")[0]?.flags).toEqual({ cpu0: true });
  });

  it("page-check with nth: just before the nth page check of the step", () => {
    const t = run(scn({ steps: [SCAN], events: ["{ when: { step: 1, at: page-check, nth: 2 }, do: { protect: { start: 0x11000, pages: 1, perm: w } } }"] }));
    expect(result(t, 1)).toEqual({ status: "err", errno: "EFAULT" });
    expect(lines(t).slice(3)).toEqual([
      "page-check addr=0x10000 ok=true",
      "page-fault addr=0x10ffe access=read mode=kernel interrupt=false",
      "handler decision=resolved addr=0x10ffe",
      "page-mapped addr=0x10000",
      "read addr=0x10ffe size=2 mode=kernel",
      "injected action=protect",
      "page-check addr=0x11000 ok=false",
      "flag-clear",
      "step-end result=err:EFAULT",
    ]);
  });

  it("page-check defaults to nth 1, and an nth past the step's page checks fires nothing", () => {
    const t = run(scn({ steps: [SCAN], events: [`{ when: { step: 1, at: page-check }, ${mark("first")} }`, `{ when: { step: 1, at: page-check, nth: 3 }, ${mark("third")} }`] }));
    expect(injectedBy(t)).toEqual(["first"]);
    expect(lines(t)[3]).toBe("injected action=frames by=first");
    expect(lines(t)[4]).toBe("page-check addr=0x10000 ok=true");
  });

  it("before-read with index: after the element's page checks, before its read; the action is seen by that read", () => {
    const t = run(scn({ memory: [EAGER], steps: [SCAN], events: ["{ when: { step: 1, at: before-read, index: 2 }, do: { write: { at: 0x11000, str: \"XY\" } } }"] }));
    expect(result(t, 1)).toEqual({ status: "ok", value: "abXY" });
    expect(lines(t).slice(3)).toEqual([
      "page-check addr=0x10000 ok=true",
      "read addr=0x10ffe size=2 mode=kernel",
      "page-check addr=0x11000 ok=true",
      "injected action=write",
      "read addr=0x11000 size=3 mode=kernel",
      "flag-clear",
      'step-end result=ok:"abXY"',
    ]);
  });

  it("before-read splits a run of reads within one page: an action between two reads is seen by the second", () => {
    const t = run(
      scn({
        memory: ['{ start: 0x10000, pages: 1, perm: rw, contents: [{ at: 0x10000, str: "abcdef\\0" }] }'],
        steps: ["{ op: get_as_str, ptr: 0x10000 }"],
        events: ["{ when: { step: 1, at: before-read, index: 3 }, do: { write: { at: 0x10003, bytes: [0] } } }"],
      }),
    );
    expect(result(t, 1)).toEqual({ status: "ok", value: "abc" });
    expect(ofKind(t, "read").map((e) => [e.addr, e.size])).toEqual([
      [0x10000n, 3n],
      [0x10003n, 1n],
    ]);
  });

  it("before-read defaults to index 0, and an index past the terminator fires nothing", () => {
    const t = run(scn({ memory: [EAGER], steps: [SCAN], events: [`{ when: { step: 1, at: before-read }, ${mark("zero")} }`, `{ when: { step: 1, at: before-read, index: 5 }, ${mark("five")} }`, `{ when: { step: 1, at: before-read, index: 4 }, ${mark("nul")} }`] }));
    expect(injectedBy(t)).toEqual(["zero", "nul"]);
    expect(lines(t).slice(3, 6)).toEqual(["page-check addr=0x10000 ok=true", "injected action=frames by=zero", "read addr=0x10ffe size=2 mode=kernel"]);
  });

  it("page-fault with nth: after the nth fault is raised, before the handler decides", () => {
    const t = run(scn({ steps: [SCAN], events: ["{ when: { step: 1, at: page-fault, nth: 2 }, do: { frames: 0 }, by: oom }"] }));
    expect(t.outcome).toBe("killed");
    expect(lines(t).slice(-5)).toEqual([
      "page-check addr=0x11000 ok=true",
      "page-fault addr=0x11000 access=read mode=kernel interrupt=false",
      "injected action=frames by=oom",
      "handler decision=segv addr=0x11000",
      "step-end result=killed:SIGSEGV",
    ]);
  });

  it("page-fault: an nth past the step's faults fires nothing", () => {
    const t = run(scn({ steps: [SCAN], events: [`{ when: { step: 1, at: page-fault, nth: 3 }, ${mark("x")} }`] }));
    expect(t.summary.faults).toBe(2);
    expect(ofKind(t, "injected")).toEqual([]);
  });

  it("page-fault counts per step: nth 1 of step 2 is the first fault of step 2", () => {
    const t = run(scn({ steps: [SCAN, "{ op: user_access, addr: 0x20000, access: read }"], events: [`{ when: { step: 2, at: page-fault }, ${mark("s2")} }`] }));
    expect(stepLines(t, 2)).toEqual([
      "step-start op=user_access",
      "page-fault addr=0x20000 access=read mode=user interrupt=false",
      "injected action=frames by=s2",
      "handler decision=resolved addr=0x20000",
      "page-mapped addr=0x20000",
      "read addr=0x20000 size=1 mode=user",
      "step-end result=ok",
    ]);
  });

  it("flag-clear: just before the flag is cleared, on the error path too", () => {
    const t = run(scn({ steps: ["{ op: get_as_str, ptr: 0x30000 }"], events: [`{ when: { step: 1, at: flag-clear }, ${mark("c")} }`] }));
    expect(result(t, 1)).toEqual({ status: "err", errno: "EFAULT" });
    expect(lines(t).slice(2)).toEqual(["flag-set", "page-check addr=0x30000 ok=false", "injected action=frames by=c", "flag-clear", "step-end result=err:EFAULT"]);
    expect(ofKind(t, "injected")[0]?.flags).toEqual({ cpu0: true });
  });

  it("before-use: after the checks, before the kernel uses the reference", () => {
    const t = run(scn({ steps: [GET], events: ["{ when: { step: 1, at: before-use }, do: { write: { at: 0x20000, u32: [0xabc] } } }"] }));
    expect(result(t, 1)).toEqual({ status: "ok", value: 0xabcn });
    expect(stepLines(t, 1).slice(4, 7)).toEqual(["page-mapped addr=0x20000", "injected action=write", "read addr=0x20000 size=4 mode=kernel"]);
  });

  it("after-step: after the operation, before step-end", () => {
    const t = run(scn({ steps: [GET], events: [`{ when: { step: 1, at: after-step }, ${mark("end")} }`] }));
    expect(stepLines(t, 1).slice(-3)).toEqual(["read addr=0x20000 size=4 mode=kernel", "injected action=frames by=end", "step-end result=ok:7"]);
  });

  it("after-step is reached after an err result too", () => {
    const t = run(scn({ steps: ["{ op: get, ptr: 0x30000 }"], events: [`{ when: { step: 1, at: after-step }, ${mark("end")} }`] }));
    expect(stepLines(t, 1).slice(-2)).toEqual(["injected action=frames by=end", "step-end result=err:EFAULT"]);
  });

  it("a run that ends at after-step makes that step's result the run's end", () => {
    const t = run(scn({ steps: [GET, GET], events: ["{ when: { step: 1, at: after-step }, do: { interrupt: { addr: 0x40000, access: read } } }"] }));
    expect(t.outcome).toBe("panic");
    expect(results(t)).toEqual(["panic:Unhandled kernel page fault @0x40000", "not-run"]);
    expect(t.steps[0]?.op).toBe("get");
  });

  it("points a step never reaches fire nothing", () => {
    // Step 1 is a scan (no region check, populate or use); step 2 a get of a present word (no flag, page check, read index or fault).
    const t = run(
      scn({
        memory: [EAGER, "{ start: 0x20000, pages: 1, perm: rw }"],
        steps: [SCAN, GET],
        events: [
          ...["after-region-check", "after-populate", "before-use", "page-fault"].map((a) => `{ when: { step: 1, at: ${a} }, ${mark(`s1-${a}`)} }`),
          ...["flag-set", "page-check", "before-read", "page-fault", "flag-clear"].map((a) => `{ when: { step: 2, at: ${a} }, ${mark(`s2-${a}`)} }`),
        ],
      }),
    );
    expect(results(t)).toEqual(['ok:"abcd"', "ok:0"]);
    expect(ofKind(t, "injected")).toEqual([]);
  });

  it("a step that does not run fires nothing; an event for another thread fires only on that thread", () => {
    const t = run(
      scn({
        steps: [],
        threads: [
          "  - name: main",
          "    steps:",
          "      - { op: user_access, addr: 0x20000, access: read }",
          "      - { op: kernel_access, addr: 0x40000, access: read }",
          "      - { op: user_access, addr: 0x20000, access: read }",
          "  - name: two",
          "    steps:",
          "      - { op: user_access, addr: 0x20000, access: read }",
        ].join("\n"),
        events: [`{ when: { thread: two, step: 1, at: before-step }, ${mark("two")} }`, `{ when: { thread: main, step: 3, at: before-step }, ${mark("main3")} }`],
      }),
    );
    expect(results(t)).toEqual(["ok", "panic:Unhandled kernel page fault @0x40000", "not-run", "not-run"]);
    expect(ofKind(t, "injected")).toEqual([]);
  });

  it("an event fires on its thread's step only", () => {
    const t = run(
      scn({
        steps: [],
        threads: ["  - name: main", "    steps: [{ op: get, ptr: 0x20000, type: u32 }]", "  - name: two", "    steps: [{ op: get, ptr: 0x20000, type: u32 }]"].join("\n"),
        events: [`{ when: { thread: two, step: 1, at: before-step }, ${mark("two")} }`],
      }),
    );
    expect(ofKind(t, "injected").map((e) => [e.thread, e.step, e.by])).toEqual([["two", 1, "two"]]);
  });
});

describe("repeat", () => {
  it("without repeat an event fires once; with repeat at every occurrence from index on", () => {
    const t = run(
      scn({
        memory: [EAGER],
        steps: [SCAN],
        events: [`{ when: { step: 1, at: before-read, index: 1 }, ${mark("once")} }`, `{ when: { step: 1, at: before-read, index: 1 }, ${mark("every")}, repeat: true }`],
      }),
    );
    expect(injectedBy(t)).toEqual(["once", "every", "every", "every", "every"]);
    // Reads are split one element at a time from the repeating index on.
    expect(ofKind(t, "read").map((e) => [e.addr, e.size])).toEqual([
      [0x10ffen, 1n],
      [0x10fffn, 1n],
      [0x11000n, 1n],
      [0x11001n, 1n],
      [0x11002n, 1n],
    ]);
    expect(result(t, 1)).toEqual({ status: "ok", value: "abcd" });
  });

  it("a repeating write at each read replaces every element the scan has not read yet", () => {
    const t = run(
      scn({
        memory: ['{ start: 0x10000, pages: 1, perm: rw, contents: [{ at: 0x10000, str: "abcdef\\0" }] }'],
        steps: ["{ op: get_as_str, ptr: 0x10000 }"],
        events: ["{ when: { step: 1, at: before-read, index: 2 }, do: { write: { at: 0x10004, str: \"Z\" } }, repeat: true }"],
      }),
    );
    expect(result(t, 1)).toEqual({ status: "ok", value: "abcdZf" });
    expect(ofKind(t, "injected").length).toBe(5);
  });

  it("page-fault with repeat fires at every fault from nth on; page-check with repeat at every check", () => {
    const t = run(
      scn({
        steps: [SCAN],
        events: [`{ when: { step: 1, at: page-fault }, ${mark("f")}, repeat: true }`, `{ when: { step: 1, at: page-check, nth: 2 }, ${mark("c")}, repeat: true }`],
      }),
    );
    expect(injectedBy(t)).toEqual(["f", "c", "f"]);
  });

  it("repeat fires in each matching step only", () => {
    const t = run(scn({ steps: [GET, GET], events: [`{ when: { step: 2, at: before-step }, ${mark("b")}, repeat: true }`] }));
    expect(ofKind(t, "injected").map((e) => e.step)).toEqual([2]);
  });
});

describe("nested operations and interrupt handlers neither count nor fire triggers", () => {
  it("a nested scan's page checks and reads fire no trigger; the outer's first page check is still nth 1", () => {
    const t = run(
      scn({
        memory: [EAGER, '{ start: 0x20000, pages: 1, perm: rw, contents: [{ at: 0x20000, str: "n\\0" }] }'],
        steps: [SCAN],
        events: [
          "{ when: { step: 1, at: flag-set }, do: { nested: { op: get_as_str, ptr: 0x20000 } } }",
          `{ when: { step: 1, at: page-check }, ${mark("check1")} }`,
          `{ when: { step: 1, at: before-read }, ${mark("read0")} }`,
          `{ when: { step: 1, at: flag-clear }, ${mark("clear")} }`,
          `{ when: { step: 1, at: after-align-check }, ${mark("align")} }`,
        ],
      }),
    );
    expect(lines(t).slice(1)).toEqual([
      "align-check addr=0x10ffe align=1 ok=true",
      "injected action=frames by=align",
      "flag-set",
      "injected action=nested",
      "align-check addr=0x20000 align=1 ok=true",
      "flag-set",
      "page-check addr=0x20000 ok=true",
      "read addr=0x20000 size=2 mode=kernel",
      "flag-clear",
      "hazard hazard=flag-cleared-early",
      'nested-result op=get_as_str result=ok:"n"',
      "injected action=frames by=check1",
      "page-check addr=0x10000 ok=true",
      "injected action=frames by=read0",
      "read addr=0x10ffe size=2 mode=kernel",
      "page-check addr=0x11000 ok=true",
      "read addr=0x11000 size=3 mode=kernel",
      "injected action=frames by=clear",
      "flag-clear",
      'step-end result=ok:"abcd"',
    ]);
    expect(t.events.filter((e) => e.nested === 1).map((e) => e.kind)).toEqual(["align-check", "flag-set", "page-check", "read", "flag-clear", "hazard", "nested-result"]);
  });

  it("a nested operation's faults do not count for page-fault nth", () => {
    const t = run(
      scn({
        memory: [STR, WORD],
        steps: [SCAN],
        events: ["{ when: { step: 1, at: flag-set }, do: { nested: { op: user_access, addr: 0x20000, access: read } } }", `{ when: { step: 1, at: page-fault }, ${mark("f1")} }`],
      }),
    );
    const ls = lines(t);
    expect(ls.slice(3, 9)).toEqual([
      "injected action=nested",
      "page-fault addr=0x20000 access=read mode=user interrupt=false",
      "handler decision=resolved addr=0x20000",
      "page-mapped addr=0x20000",
      "read addr=0x20000 size=1 mode=user",
      "nested-result op=user_access result=ok",
    ]);
    expect(ls.slice(9, 12)).toEqual(["page-check addr=0x10000 ok=true", "page-fault addr=0x10ffe access=read mode=kernel interrupt=false", "injected action=frames by=f1"]);
  });

  it("an interrupt handler's fault does not count for page-fault nth", () => {
    const t = run(
      scn({
        machine: "{ strategy: nesting-counter }",
        steps: [SCAN],
        events: ["{ when: { step: 1, at: flag-set }, do: { interrupt: { addr: 0x20000, access: read } } }", `{ when: { step: 1, at: page-fault }, ${mark("f1")} }`],
      }),
    );
    expect(lines(t).slice(3, 11)).toEqual([
      "injected action=interrupt",
      "interrupt addr=0x20000 access=read",
      "page-fault addr=0x20000 access=read mode=kernel interrupt=true",
      "hazard hazard=interrupt-in-access",
      "handler decision=resolved addr=0x20000",
      "page-mapped addr=0x20000",
      "read addr=0x20000 size=1 mode=kernel interrupt=true",
      "page-check addr=0x10000 ok=true",
    ]);
    expect(lines(t)[12]).toBe("injected action=frames by=f1");
  });

  it("a nested operation's events it would have fired stay armed for the outer operation (before-read index 0 fires once, for the outer)", () => {
    const t = run(
      scn({
        memory: [EAGER, '{ start: 0x20000, pages: 1, perm: rw, contents: [{ at: 0x20000, str: "n\\0" }] }'],
        machine: "{ strategy: nesting-counter }",
        steps: [SCAN],
        events: ["{ when: { step: 1, at: flag-set }, do: { nested: { op: get_as_str, ptr: 0x20000 } } }", `{ when: { step: 1, at: before-read }, ${mark("r")}, repeat: true }`],
      }),
    );
    expect(injectedBy(t)).toEqual([undefined, "r", "r", "r", "r", "r"]);
    expect(ofKind(t, "injected").every((e) => e.nested === undefined)).toBe(true);
  });
});

describe("actions", () => {
  it("every action first emits an injected event, with by only when given", () => {
    const t = run(scn({ steps: [GET], events: ["{ when: { step: 1, at: before-step }, do: { frames: 3 } }", "{ when: { step: 1, at: before-step }, do: { frames: 3 }, by: someone }"] }));
    const [a, b] = ofKind(t, "injected");
    expect(a && "by" in a).toBe(false);
    expect(b?.by).toBe("someone");
    expect(a?.action).toBe("frames");
    expect(a?.detail).toBe("3 frames free from now on");
  });

  it("unmap removes part of an area: a scan across the removed page fails its page check", () => {
    const t = run(scn({ memory: [EAGER], steps: [SCAN, "{ op: user_access, addr: 0x10000, access: read }", "{ op: user_access, addr: 0x11000, access: read }"], events: ["{ when: { step: 1, at: before-step }, do: { unmap: { start: 0x11000, size: 0x1000 } } }"] }));
    expect(results(t)).toEqual(["err:EFAULT", "ok", "killed:SIGSEGV"]);
    expect(ofKind(t, "injected")[0]?.detail).toBe("unmap 0x11000..0x12000");
  });

  it("protect changes permissions and leaves the pages present", () => {
    const t = run(
      scn({
        memory: [EAGER],
        steps: ["{ op: get_as_str, ptr: 0x10ffe }", "{ op: get_as_str, ptr: 0x10ffe }", "{ op: user_access, addr: 0x10000, access: write }"],
        events: [
          '{ when: { step: 1, at: before-step }, do: { protect: { start: 0x10000, pages: 2, perm: "-" } } }',
          "{ when: { step: 2, at: before-step }, do: { protect: { start: 0x10000, pages: 1, perm: rw } } }",
        ],
      }),
    );
    // Step 2: page 0x11000 is still without permission.
    expect(results(t)).toEqual(["err:EFAULT", "err:EFAULT", "ok"]);
    expect(ofKind(t, "injected").map((e) => e.detail)).toEqual(["protect 0x10000..0x12000 to -", "protect 0x10000..0x11000 to rw"]);
    // The page stayed present through both protects: no fault.
    expect(t.summary.faults).toBe(0);
  });

  it("evict makes a page not present and keeps its bytes: the scan faults and reads them back", () => {
    const t = run(scn({ memory: [EAGER], steps: [SCAN], events: ["{ when: { step: 1, at: before-read, index: 2 }, do: { evict: { start: 0x11000, pages: 1 } } }"] }));
    expect(result(t, 1)).toEqual({ status: "ok", value: "abcd" });
    expect(lines(t).slice(6, 11)).toEqual([
      "injected action=evict",
      "page-fault addr=0x11000 access=read mode=kernel interrupt=false",
      "handler decision=resolved addr=0x11000",
      "page-mapped addr=0x11000",
      "read addr=0x11000 size=3 mode=kernel",
    ]);
  });

  it("map adds an area with its contents (lazy: faulted in on first touch)", () => {
    const t = run(
      scn({
        steps: ["{ op: get_as_str, ptr: 0x50010 }"],
        events: ['{ when: { step: 1, at: before-step }, do: { map: { start: 0x50000, pages: 1, perm: r, populate: false, contents: [{ at: 0x50010, str: "new\\0" }] } } }'],
      }),
    );
    expect(result(t, 1)).toEqual({ status: "ok", value: "new" });
    expect(ofKind(t, "injected")[0]?.detail).toBe("map 0x50000..0x51000 r lazy");
    expect(ofKind(t, "page-mapped").map((e) => e.addr)).toEqual([0x50000n]);
  });

  it("map replaces whatever it overlaps (MAP_FIXED): old bytes and permissions are gone", () => {
    const t = run(
      scn({
        memory: [EAGER],
        steps: ["{ op: get_as_str, ptr: 0x10ffe }", "{ op: get, ptr: 0x10ffe, type: u8, mut: true }", "{ op: get, ptr: 0x11000, type: u8, mut: true }"],
        events: ['{ when: { step: 1, at: before-step }, do: { map: { start: 0x10000, pages: 1, perm: r, contents: [{ at: 0x10ffe, str: "XY" }] } } }'],
      }),
    );
    expect(results(t)).toEqual(['ok:"XYcd"', "err:EFAULT", "ok"]);
  });

  it("map makes its eager pages present while frames last; the rest stay not present", () => {
    const t = run(
      scn({
        machine: "{ frames: 1 }",
        memory: ["{ start: 0x20000, pages: 1, perm: rw, populate: false }"],
        steps: ["{ op: user_access, addr: 0x50000, access: read }", "{ op: user_access, addr: 0x51000, access: read }"],
        events: ["{ when: { step: 1, at: before-step }, do: { map: { start: 0x50000, pages: 2, perm: rw } } }"],
      }),
    );
    expect(results(t)).toEqual(["ok", "killed:SIGSEGV"]);
    expect(stepLines(t, 1)).toEqual(["step-start op=user_access", "injected action=map", "read addr=0x50000 size=1 mode=user", "step-end result=ok"]);
    expect(ofKind(t, "handler")[0]?.reason).toMatch(/no free frame/);
  });

  it("map with present pages of a lazy area takes frames only while frames last", () => {
    // semantics.md §1: "`machine.frames` ... caps the frames in use ...; when none is free, making a page present fails."
    const t = run(
      scn({
        machine: "{ frames: 1 }",
        memory: ["{ start: 0x20000, pages: 1, perm: rw, populate: false }"],
        steps: ["{ op: user_access, addr: 0x50000, access: read }", "{ op: user_access, addr: 0x51000, access: read }"],
        events: ["{ when: { step: 1, at: before-step }, do: { map: { start: 0x50000, pages: 2, perm: rw, populate: false, present: [0x50000, 0x51000] } } }"],
      }),
    );
    expect(results(t)).toEqual(["ok", "killed:SIGSEGV"]);
  });

  it("write stores into backing bytes of a page that is not present", () => {
    const t = run(scn({ steps: [SCAN], events: ['{ when: { step: 1, at: before-step }, do: { write: { at: 0x11000, str: "ZZ" } } }'] }));
    expect(result(t, 1)).toEqual({ status: "ok", value: "abZZ" });
    expect(ofKind(t, "injected")[0]?.detail).toBe('write "ZZ" at 0x11000');
  });

  it("write stores only the bytes inside an area", () => {
    const t = run(
      scn({
        memory: ["{ start: 0x10000, pages: 1, perm: rw }", "{ start: 0x12000, pages: 1, perm: rw }"],
        steps: ["{ op: get_as_slice, ptr: 0x10ffe, len: 2, use: read }", "{ op: get_as_slice, ptr: 0x12000, len: 2, use: read }"],
        events: ["{ when: { step: 1, at: before-step }, do: { write: { at: 0x10ffe, fill: 0x41, len: 0x1004 } } }"],
      }),
    );
    expect(results(t)).toEqual(["ok:[65,65]", "ok:[65,65]"]);
  });

  it("frames sets the free frames from then on: 1 frame lets populate map one page, then ENOMEM", () => {
    const t = run(scn({ steps: ["{ op: get_as_slice, ptr: 0x10000, len: 0x2000 }", "{ op: user_access, addr: 0x10000, access: read }"], events: ["{ when: { step: 1, at: before-step }, do: { frames: 1 } }"] }));
    expect(results(t)).toEqual(["err:ENOMEM", "ok"]);
    expect(stepLines(t, 1).slice(-3)).toEqual(["populate addr=0x10000 size=8192 ok=false errno=ENOMEM", "page-mapped addr=0x10000", "step-end result=err:ENOMEM"]);
    expect(ofKind(t, "injected")[0]?.detail).toBe("1 frame free from now on");
    expect(t.summary.faults).toBe(0);
  });

  it("migrate moves the thread to another CPU for the rest of the run", () => {
    const t = run(
      scn({
        machine: "{ cpus: 3 }",
        steps: [GET, GET],
        events: ["{ when: { step: 1, at: after-region-check }, do: { migrate: { cpu: 2 } } }"],
      }),
    );
    expect(stepLines(t, 1).slice(3, 6)).toEqual(["injected action=migrate", "migrate from=0 to=2", "populate addr=0x20000 size=4096 ok=true"]);
    expect(t.events.filter((e) => e.step === 2).every((e) => e.cpu === 2)).toBe(true);
    expect(hazardKinds(t)).toEqual([]);
  });

  it("migrate to the CPU the thread is already on moves nothing and reports no hazard, even mid-scan", () => {
    const t = run(scn({ machine: "{ cpus: 2 }", steps: [SCAN], events: ["{ when: { step: 1, at: before-read, index: 1 }, do: { migrate: { cpu: 0 } } }"] }));
    expect(hazardKinds(t)).toEqual([]);
    expect(t.outcome).toBe("completed");
    const m = ofKind(t, "migrate");
    expect(m.map((e) => [e.from, e.to, e.cpu, e.flags])).toEqual([[0, 0, 0, { cpu0: true, cpu1: false }]]);
    expect(result(t, 1)).toEqual({ status: "ok", value: "abcd" });
  });

  it("interrupt: injected, then interrupt, then the handler's fault as usual", () => {
    const t = run(scn({ machine: "{ strategy: per-thread-flag }", steps: [SCAN], events: ["{ when: { step: 1, at: before-read, index: 3 }, do: { interrupt: { addr: 0x20004, access: read } }, by: timer }"] }));
    const ls = lines(t);
    const i = ls.indexOf("injected action=interrupt by=timer");
    expect(ls.slice(i, i + 6)).toEqual([
      "injected action=interrupt by=timer",
      "interrupt addr=0x20004 access=read",
      "page-fault addr=0x20004 access=read mode=kernel interrupt=true",
      "hazard hazard=interrupt-in-access",
      "handler decision=resolved addr=0x20004",
      "page-mapped addr=0x20000",
    ]);
    expect(ofKind(t, "injected")[0]?.detail).toBe("interrupt handler on cpu0 touches 0x20004");
  });

  it("nested: runs right here on the same thread; nested-result carries its result, errors included", () => {
    const t = run(
      scn({
        memory: [EAGER, WORD],
        steps: [SCAN],
        events: [
          "{ when: { step: 1, at: before-read, index: 2 }, do: { nested: { op: get, ptr: 0x20000, type: u32, use: read } } }",
          "{ when: { step: 1, at: before-read, index: 3 }, do: { nested: { op: get, ptr: 0x20001, type: u32 } } }",
        ],
      }),
    );
    expect(result(t, 1)).toEqual({ status: "ok", value: "abcd" });
    expect(ofKind(t, "nested-result").map((e) => [e.op, e.result, e.nested])).toEqual([
      ["get", { status: "ok", value: 7n }, 1],
      ["get", { status: "err", errno: "EFAULT" }, 1],
    ]);
    expect(t.events.filter((e) => e.nested === 1).map((e) => e.kind)).toEqual([
      "align-check",
      "region-check",
      "populate",
      "page-mapped",
      "read",
      "nested-result",
      "align-check",
      "nested-result",
    ]);
    expect(ofKind(t, "injected")[0]?.detail).toBe("nested get on thread main");
  });

  it("a nested operation that ends the run ends the outer step with that result", () => {
    const t = run(scn({ memory: [EAGER, WORD], steps: [SCAN, GET], events: ["{ when: { step: 1, at: before-step }, do: { nested: { op: kernel_access, addr: 0x20000, access: read } } }"] }));
    expect(t.outcome).toBe("panic");
    expect(results(t)).toEqual(["panic:Unhandled kernel page fault @0x20000", "not-run"]);
    expect(lines(t).slice(-3)).toEqual(["page-fault addr=0x20000 access=read mode=kernel interrupt=false", "handler decision=unhandled addr=0x20000", "step-end result=panic:Unhandled kernel page fault @0x20000"]);
    expect(t.events.at(-1)?.nested).toBe(undefined);
  });

  it("a direct kernel access nested inside a scan is judged by the scan's state (percpu-flag: resolved)", () => {
    const t = run(scn({ memory: [EAGER, WORD], steps: [SCAN], events: ["{ when: { step: 1, at: flag-set }, do: { nested: { op: kernel_access, addr: 0x20000, access: read } } }"] }));
    expect(t.outcome).toBe("completed");
    expect(ofKind(t, "handler").map((e) => [e.decision, e.nested])).toEqual([["resolved", 1]]);
  });

  it("several events at one point fire in file order", () => {
    const t = run(scn({ steps: [GET], events: [`{ when: { step: 1, at: before-step }, ${mark("one")} }`, `{ when: { step: 1, at: before-step }, ${mark("two")} }`, `{ when: { step: 1, at: before-step }, ${mark("three")} }`] }));
    expect(injectedBy(t)).toEqual(["one", "two", "three"]);
  });
});

describe("injected events that never fire", () => {
  it("are reported with the reason, never silently dropped", () => {
    const t = run(`
name: u
memory: [{ start: 0x10000, pages: 1, perm: r }]
threads: [{ name: main, steps: [{ op: get_as_slice, ptr: 0x10000, len: 4 }, { op: get_as_str, ptr: 0x10000 }, { op: kernel_access, addr: 0x1, access: read }, { op: get, ptr: 0x10000 }] }]
events:
  - { when: { step: 1, at: flag-set }, do: { frames: 0 } }
  - { when: { step: 2, at: page-check, nth: 3 }, do: { frames: 0 } }
  - { when: { step: 2, at: before-step }, do: { frames: 5 } }
  - { when: { step: 4, at: before-step }, do: { frames: 0 } }
`);
    expect(t.unfired).toEqual([
      { event: 0, when: "main#1 at flag-set", why: "a get_as_slice step has no flag-set point (only get_as_null_terminated, get_as_str)" },
      {
        event: 1,
        when: "main#2 at page-check nth 3",
        why: "the step never got there (a check failed first, the run ended, or there were fewer page checks, faults or elements)",
      },
      { event: 3, when: "main#4 at before-step", why: "the run ended before this step" },
    ]);
  });
});

describe("before-use", () => {
  it("is reached only when the kernel uses the reference (a step with use)", () => {
    const t = run(`
name: bu
memory: [{ start: 0x10000, pages: 1, perm: r }]
threads: [{ name: main, steps: [{ op: get, ptr: 0x10000 }, { op: get, ptr: 0x10000, use: read }] }]
events:
  - { when: { step: 1, at: before-use }, do: { frames: 0 } }
  - { when: { step: 2, at: before-use }, do: { frames: 0 } }
`);
    expect(ofKind(t, "injected").map((e) => e.step)).toEqual([2]);
    expect(t.unfired).toEqual([{ event: 0, when: "main#1 at before-use", why: "the step has no use: the kernel never touches the reference" }]);
  });
});

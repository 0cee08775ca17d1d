// The page-fault handler's decisions, in their order (semantics.md section 4).
import { describe, expect, it } from "vitest";
import { EFAULT, lines, ofKind, result, results, run, stepLines } from "./helpers.js";

const LAZY = '{ start: 0x10000, pages: 2, perm: rw, populate: false, contents: [{ at: 0x10000, str: "abc\\0" }] }';

function scn(opts: { machine?: string; memory?: string[]; steps: string[]; events?: string[] }): string {
  return [
    "name: handler",
    opts.machine ? `machine: ${opts.machine}` : "",
    "memory:",
    ...(opts.memory ?? [LAZY]).map((m) => `  - ${m}`),
    "threads:",
    "  - name: main",
    "    steps:",
    ...opts.steps.map((s) => `      - ${s}`),
    ...(opts.events ? ["events:", ...opts.events.map((e) => `  - ${e}`)] : []),
  ].join("\n");
}

describe("1. unhandled: a kernel-mode fault while not accessing user memory", () => {
  it("a direct kernel access to a lazy page panics", () => {
    const t = run(scn({ steps: ["{ op: kernel_access, addr: 0x10001, access: write }"] }));
    expect(t.outcome).toBe("panic");
    expect(result(t, 1)).toEqual({ status: "panic", message: "Unhandled kernel page fault @0x10001" });
    expect(ofKind(t, "handler").map((h) => h.decision)).toEqual(["unhandled"]);
  });

  it("the use of a get reference whose page was evicted after the check faults with the flag false", () => {
    const t = run(
      scn({
        memory: ['{ start: 0x10000, pages: 1, perm: rw, contents: [{ at: 0x10000, u32: [9] }] }'],
        steps: ["{ op: get, ptr: 0x10000, type: u32, use: read }"],
        events: ["{ when: { step: 1, at: before-use }, do: { evict: { start: 0x10000, pages: 1 } }, by: kswapd }"],
      }),
    );
    expect(t.outcome).toBe("panic");
    expect(lines(t)).toEqual([
      "step-start op=get",
      "align-check addr=0x10000 align=4 ok=true",
      "region-check addr=0x10000 size=4 access=read ok=true",
      "populate addr=0x10000 size=4096 ok=true",
      "injected action=evict by=kswapd",
      "page-fault addr=0x10000 access=read mode=kernel interrupt=false",
      "handler decision=unhandled addr=0x10000",
      "step-end result=panic:Unhandled kernel page fault @0x10000",
    ]);
    expect(ofKind(t, "page-fault")[0]?.flags).toEqual({ cpu0: false });
  });

  it("under strategy none even a legitimate lazy page in a scan panics", () => {
    const t = run(scn({ machine: "{ strategy: none }", steps: ["{ op: get_as_str, ptr: 0x10000 }"] }));
    expect(t.outcome).toBe("panic");
    expect(result(t, 1)).toEqual({ status: "panic", message: "Unhandled kernel page fault @0x10000" });
  });

  it("comes before the deadlock check: strategy none with the lock held panics", () => {
    const t = run(scn({ machine: "{ strategy: none, aspace_lock: held }", steps: ["{ op: get_as_str, ptr: 0x10000 }"] }));
    expect(t.outcome).toBe("panic");
    expect(ofKind(t, "handler").map((h) => h.decision)).toEqual(["unhandled"]);
  });

  it("a user-mode fault is never unhandled, whatever the strategy", () => {
    const t = run(scn({ machine: "{ strategy: none }", steps: ["{ op: user_access, addr: 0x10000, access: read }"] }));
    expect(t.outcome).toBe("completed");
    expect(ofKind(t, "handler").map((h) => h.decision)).toEqual(["resolved"]);
  });
});

describe("2. deadlock: the faulting thread holds the address-space lock (aspace_lock: held)", () => {
  it("a scan's fault on a lazy page deadlocks under axptr 0.1's lock", () => {
    const t = run(scn({ machine: "{ aspace_lock: held }", steps: ["{ op: get_as_str, ptr: 0x10000 }", "{ op: user_access, addr: 0x10000, access: read }"] }));
    expect(t.outcome).toBe("deadlock");
    expect(results(t)).toEqual(["deadlock", "not-run"]);
    expect(lines(t)).toEqual([
      "step-start op=get_as_str",
      "lock decision=acquired",
      "align-check addr=0x10000 align=1 ok=true",
      "flag-set",
      "page-check addr=0x10000 ok=true",
      "page-fault addr=0x10000 access=read mode=kernel interrupt=false",
      "handler decision=deadlock addr=0x10000",
      "step-end result=deadlock",
    ]);
    expect(ofKind(t, "handler")[0]?.reason).toMatch(/lock/);
  });

  it("the same scan resolves under the per-check lock (the default)", () => {
    const t = run(scn({ steps: ["{ op: get_as_str, ptr: 0x10000 }"] }));
    expect(results(t)).toEqual(['ok:"abc"']);
    expect(ofKind(t, "lock")).toEqual([]);
  });

  it("a held lock is released at the end of the operation: get and later user faults do not deadlock", () => {
    const t = run(
      scn({
        machine: "{ aspace_lock: held }",
        steps: ["{ op: get, ptr: 0x10000, type: u32, use: read }", "{ op: user_access, addr: 0x11000, access: read }", "{ op: get_as_str, ptr: 0x10000 }"],
      }),
    );
    expect(t.outcome).toBe("completed");
    expect(results(t)).toEqual(["ok:6513249", "ok", 'ok:"abc"']);
    expect(stepLines(t, 1)).toEqual([
      "step-start op=get",
      "lock decision=acquired",
      "align-check addr=0x10000 align=4 ok=true",
      "region-check addr=0x10000 size=4 access=read ok=true",
      "populate addr=0x10000 size=4096 ok=true",
      "page-mapped addr=0x10000",
      "lock decision=released",
      "read addr=0x10000 size=4 mode=kernel",
      "step-end result=ok:6513249",
    ]);
  });

  it("a nested operation that takes the lock its own thread holds deadlocks with a lock event", () => {
    const t = run(
      scn({
        machine: "{ aspace_lock: held }",
        memory: ['{ start: 0x10000, pages: 1, perm: rw, contents: [{ at: 0x10000, str: "abc\\0" }] }'],
        steps: ["{ op: get_as_str, ptr: 0x10000 }"],
        events: ["{ when: { step: 1, at: flag-set }, do: { nested: { op: get, ptr: 0x10000, type: u8 } } }"],
      }),
    );
    expect(t.outcome).toBe("deadlock");
    expect(lines(t).slice(3)).toEqual(["flag-set", "injected action=nested", "lock decision=deadlock", "step-end result=deadlock"]);
    expect(ofKind(t, "lock").map((e) => e.nested)).toEqual([undefined, 1]);
  });
});

describe("3. resolved: handle_page_fault makes the page present", () => {
  it("resolves a scan's fault on a lazy page and retries the read", () => {
    const t = run(scn({ steps: ["{ op: get_as_null_terminated, ptr: 0x10000 }"] }));
    expect(stepLines(t, 1).slice(4, 8)).toEqual([
      "page-fault addr=0x10000 access=read mode=kernel interrupt=false",
      "handler decision=resolved addr=0x10000",
      "page-mapped addr=0x10000",
      "read addr=0x10000 size=4 mode=kernel",
    ]);
    expect(ofKind(t, "handler")[0]?.reason).toMatch(/made present/);
    expect(t.summary).toMatchObject({ faults: 1, resolved: 1 });
  });

  it("under the exception table the use of a get reference is a user-access site and resolves", () => {
    const t = run(
      scn({
        machine: "{ strategy: exception-table }",
        memory: ['{ start: 0x10000, pages: 1, perm: rw, contents: [{ at: 0x10000, u32: [9] }] }'],
        steps: ["{ op: get, ptr: 0x10000, type: u32, use: read }"],
        events: ["{ when: { step: 1, at: before-use }, do: { evict: { start: 0x10000, pages: 1 } } }"],
      }),
    );
    expect(result(t, 1)).toEqual({ status: "ok", value: 9n });
    expect(ofKind(t, "handler").map((h) => h.decision)).toEqual(["resolved"]);
  });
});

describe("4. segv and fixup: handle_page_fault fails", () => {
  const unmapBeforeRead = "{ when: { step: 1, at: before-read, index: 4 }, do: { unmap: { start: 0x11000, pages: 1 } } }";
  const straddle = '{ start: 0x10000, pages: 2, perm: rw, contents: [{ at: 0x10ffc, str: "abcdef\\0" }] }';

  it("a kernel-mode fault with the flag set that cannot be resolved kills the process (Starry)", () => {
    const t = run(scn({ memory: [straddle], steps: ["{ op: get_as_str, ptr: 0x10ffc }", "{ op: user_access, addr: 0x10000, access: read }"], events: [unmapBeforeRead] }));
    expect(t.outcome).toBe("killed");
    expect(results(t)).toEqual(["killed:SIGSEGV", "not-run"]);
    expect(stepLines(t, 1).slice(3)).toEqual([
      "page-check addr=0x10000 ok=true",
      "read addr=0x10ffc size=4 mode=kernel",
      "page-check addr=0x11000 ok=true",
      "injected action=unmap",
      "page-fault addr=0x11000 access=read mode=kernel interrupt=false",
      "handler decision=segv addr=0x11000",
      "step-end result=killed:SIGSEGV",
    ]);
    expect(ofKind(t, "handler")[0]?.reason).toMatch(/no area holds 0x11000/);
  });

  it("under the exception table the same fault is a fixup: EFAULT, the flag is cleared and the run goes on", () => {
    const t = run(
      scn({ machine: "{ strategy: exception-table }", memory: [straddle], steps: ["{ op: get_as_str, ptr: 0x10ffc }", "{ op: user_access, addr: 0x10000, access: read }"], events: [unmapBeforeRead] }),
    );
    expect(t.outcome).toBe("completed");
    expect(results(t)).toEqual(["err:EFAULT", "ok"]);
    expect(stepLines(t, 1).slice(-4)).toEqual([
      "page-fault addr=0x11000 access=read mode=kernel interrupt=false",
      "handler decision=fixup addr=0x11000",
      "flag-clear",
      "step-end result=err:EFAULT",
    ]);
    expect(ofKind(t, "handler")[0]?.reason).toMatch(/no area holds 0x11000/);
  });

  it("no free frame is segv under the flag strategies and fixup under the exception table", () => {
    const body = (strategy: string) =>
      run(scn({ machine: `{ strategy: ${strategy} }`, steps: ["{ op: get_as_str, ptr: 0x10000 }"], events: ["{ when: { step: 1, at: flag-set }, do: { frames: 0 } }"] }));
    for (const s of ["percpu-flag", "per-thread-flag", "nesting-counter"]) {
      const t = body(s);
      expect(t.outcome).toBe("killed");
      expect(ofKind(t, "handler").map((h) => h.decision)).toEqual(["segv"]);
      expect(ofKind(t, "handler")[0]?.reason).toMatch(/no free frame/);
    }
    const x = body("exception-table");
    expect(x.outcome).toBe("completed");
    expect(result(x, 1)).toEqual(EFAULT);
    expect(ofKind(x, "handler").map((h) => h.decision)).toEqual(["fixup"]);
  });

  it("a fault on a page whose area lost the permission is segv (the permission is checked before a frame is taken)", () => {
    const t = run(scn({ steps: ["{ op: get_as_str, ptr: 0x10000 }"], events: ["{ when: { step: 1, at: before-read }, do: { protect: { start: 0x10000, pages: 2, perm: \"\" } } }"] }));
    expect(t.outcome).toBe("killed");
    expect(ofKind(t, "handler").map((h) => h.decision)).toEqual(["segv"]);
    expect(ofKind(t, "handler")[0]?.reason).toMatch(/does not allow read/);
  });

  it("under the exception table a use that cannot be resolved is a fixup (EFAULT)", () => {
    const t = run(
      scn({
        machine: "{ strategy: exception-table }",
        memory: ["{ start: 0x10000, pages: 1, perm: rw }"],
        steps: ["{ op: get, ptr: 0x10000, type: u32, mut: true, use: { write: 5 } }"],
        events: ["{ when: { step: 1, at: before-use }, do: { unmap: { start: 0x10000, pages: 1 } } }"],
      }),
    );
    expect(t.outcome).toBe("completed");
    expect(result(t, 1)).toEqual(EFAULT);
    expect(stepLines(t, 1).slice(-3)).toEqual(["page-fault addr=0x10000 access=write mode=kernel interrupt=false", "handler decision=fixup addr=0x10000", "step-end result=err:EFAULT"]);
  });

  it("under the exception table a fault outside a user-access site always panics", () => {
    const t = run(scn({ machine: "{ strategy: exception-table }", steps: ["{ op: kernel_access, addr: 0x10000, access: read }"] }));
    expect(t.outcome).toBe("panic");
    expect(ofKind(t, "handler").map((h) => h.decision)).toEqual(["unhandled"]);
  });

  it("a user-mode fault that cannot be resolved is segv even under the exception table", () => {
    const t = run(scn({ machine: "{ strategy: exception-table }", steps: ["{ op: user_access, addr: 0x40000, access: read }"] }));
    expect(t.outcome).toBe("killed");
    expect(ofKind(t, "handler").map((h) => h.decision)).toEqual(["segv"]);
  });
});

// kernels.md sections 2 to 7: each kernel's decisions, pinned with exact traces.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/scenario/validate.js";
import { hazardKinds, lines, ofKind, results, run } from "./helpers.js";

const scenario = (name: string) => readFileSync(new URL(`../../scenarios/${name}.yaml`, import.meta.url), "utf8");

/** Two pages, a string whose tail is on the second: unmapped at `before-read` of the element there. */
const UNMAPPED_MID_SCAN = (kernel: string) => `
name: unmapped mid-scan
machine: { kernel: ${kernel} }
memory:
  - { start: 0x30000, pages: 2, perm: r, contents: [ { at: 0x30ffe, str: "ab" }, { at: 0x31000, str: "c\\0" } ] }
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: 0x30ffe }
events:
  - when: { step: 1, at: before-read, index: 2 }
    do: { unmap: { start: 0x31000, pages: 1 } }
`;

const SCAN_HEAD = [
  "step-start op=get_as_str",
  "align-check addr=0x30ffe align=1 ok=true",
  "flag-set",
  "page-check addr=0x30000 ok=true",
  "read addr=0x30ffe size=2 mode=kernel",
  "page-check addr=0x31000 ok=true",
  "injected action=unmap",
  "page-fault addr=0x31000 access=read mode=kernel interrupt=false",
];

describe("section 2: an unresolvable kernel fault under the flag, per kernel", () => {
  it("axptr-doc and axptr-0.1: segv, the process killed", () => {
    for (const k of ["axptr-doc", "axptr-0.1"]) {
      const t = run(UNMAPPED_MID_SCAN(k));
      expect(lines(t)).toEqual([...SCAN_HEAD, "handler decision=segv addr=0x31000", "step-end result=killed:SIGSEGV"]);
      expect(hazardKinds(t)).toEqual([]);
    }
  });

  it("starry-2025-04: exit from inside the trap, then stranded-by-exit naming the CPU; the flag stays set", () => {
    const t = run(UNMAPPED_MID_SCAN("starry-2025-04"));
    expect(t.outcome).toBe("killed");
    expect(lines(t)).toEqual([...SCAN_HEAD, "handler decision=exit addr=0x31000", "hazard hazard=stranded-by-exit", "step-end result=killed:SIGSEGV"]);
    expect(t.hazards[0]?.message).toBe(
      'Thread main was killed from inside the page-fault trap (do_exit) in the middle of a user access: access_user_memory never ends, so cpu0\'s state stays "accessing" for every later task on cpu0, whose own kernel bugs it will hide.',
    );
    expect(t.events.at(-1)?.flags).toEqual({ cpu0: true });
    expect(ofKind(t, "handler")[0]?.reason).toBe("no area holds 0x31000: do_exit(SIGSEGV) from inside the trap; the access never ends");
  });

  it("starry-2025-07: retry, and the second retry with nothing injected between is a livelock", () => {
    const t = run(UNMAPPED_MID_SCAN("starry-2025-07"));
    expect(t.outcome).toBe("livelock");
    expect(results(t)).toEqual(["livelock"]);
    expect(lines(t)).toEqual([
      ...SCAN_HEAD,
      "handler decision=retry addr=0x31000",
      "page-fault addr=0x31000 access=read mode=kernel interrupt=false",
      "handler decision=retry addr=0x31000",
      "step-end result=livelock",
    ]);
  });

  it("starry-2025-07: an action at the retried fault (its page-fault trigger, nth 2) ends the retrying: resolved", () => {
    const yaml = UNMAPPED_MID_SCAN("starry-2025-07") + `  - when: { step: 1, at: page-fault, nth: 2 }
    do: { map: { start: 0x31000, pages: 1, perm: r, contents: [ { at: 0x31000, str: "d\\0" } ] } }
`;
    const t = run(yaml);
    expect(t.outcome).toBe("completed");
    expect(results(t)).toEqual(['ok:"abd"']);
    expect(lines(t).slice(SCAN_HEAD.length)).toEqual([
      "handler decision=retry addr=0x31000",
      "page-fault addr=0x31000 access=read mode=kernel interrupt=false",
      "injected action=map",
      "handler decision=resolved addr=0x31000",
      "read addr=0x31000 size=2 mode=kernel",
      "flag-clear",
      // The borrowed str is decoded from a second read (section 3).
      "read addr=0x30ffe size=2 mode=kernel",
      "read addr=0x31000 size=1 mode=kernel",
      "step-end result=ok:\"abd\"",
    ]);
  });

  it("starry-2025-08 and -12: outside user_copy a panic with axcpu's message", () => {
    for (const k of ["starry-2025-08", "starry-2025-12"]) {
      const t = run(UNMAPPED_MID_SCAN(k));
      expect(lines(t)).toEqual([...SCAN_HEAD, "handler decision=unhandled addr=0x31000", "step-end result=panic:Unhandled Supervisor Page Fault @0x31000"]);
    }
  });

  it("starry-2025-08 and -12: inside a vm_* copy, fixup (EFAULT) with the elements before it copied", () => {
    const t = run(scenario("47-starry-2025-12-fixup-only-in-user-copy"));
    expect(results(t)).toEqual(["ok", "err:EFAULT", "panic:Unhandled Supervisor Page Fault @0x51000"]);
    expect(ofKind(t, "handler").map((h) => h.decision)).toEqual(["resolved", "fixup", "unhandled"]);
  });

  it("starry-2025-08: the state says not accessing (another CPU cleared the global flag) at a copy site: fixup, not a resolved lazy page", () => {
    const t = run(`
name: another CPU clears the global flag in the middle of a vm_read
machine: { kernel: starry-2025-08, cpus: 2 }
memory:
  - { start: 0x40000, pages: 2, perm: r, populate: false, present: [0x40000] }
  - { start: 0x50000, pages: 1, perm: r, contents: [ { at: 0x50000, str: "/\\0" } ] }
threads:
  - { name: a, cpu: 0, steps: [ { op: vm_read, ptr: 0x40ffe, len: 4, type: u8 } ] }
  - { name: b, cpu: 1, steps: [] }
events:
  - when: { thread: a, step: 1, at: before-read, index: 1 }
    do: { run: { thread: b, step: { op: get_as_str, ptr: 0x50000 }, cpu: 1 } }
  - when: { thread: a, step: 1, at: before-read, index: 1 }
    do: { interrupt: { addr: 0x50000, access: read } }
  - when: { thread: a, step: 1, at: before-read, index: 1 }
    do: { run: { thread: b, step: { op: get_as_str, ptr: 0x50000 } } }
`);
    expect(results(t)).toEqual(["err:EFAULT"]);
    expect(hazardKinds(t)).toEqual(["flag-cleared-early"]);
    expect(lines(t).slice(-5)).toEqual([
      "read addr=0x40fff size=1 mode=kernel",
      "page-fault addr=0x41000 access=read mode=kernel interrupt=false",
      "handler decision=fixup addr=0x41000",
      "flag-clear",
      "step-end result=err:EFAULT",
    ]);
    // Section 4: inside the copy neither an interrupt nor a run on a's own CPU can happen.
    expect(t.unfired).toEqual([
      { event: 1, when: "a#1 at before-read index 1", why: "under starry-2025-08 the thread cannot be interrupted inside a vm_* copy (IRQs and preemption are off there)" },
      { event: 2, when: "a#1 at before-read index 1", why: "under starry-2025-08 the thread cannot be preempted inside a vm_* copy (IRQs and preemption are off there)" },
    ]);
  });
});

describe("section 3: the decode and borrowed results", () => {
  it("axptr-0.1 decodes get_as_str from a second read after flag-clear; axptr-doc does not read again", () => {
    const t = run(scenario("48-axptr-0.1-decode-rereads-the-path"));
    expect(lines(t).slice(-6)).toEqual([
      "injected action=unmap by=sibling: munmap",
      "flag-clear",
      "read addr=0x50ff8 size=8 mode=kernel",
      "page-fault addr=0x51000 access=read mode=kernel interrupt=false",
      "handler decision=unhandled addr=0x51000",
      "step-end result=panic:Unhandled kernel page fault @0x51000",
    ]);
    const doc = run(scenario("48-axptr-0.1-decode-rereads-the-path").replace("kernel: axptr-0.1", "kernel: axptr-doc"));
    expect(results(doc)).toEqual(['ok:"/etc/passwd"']);
    expect(lines(doc).slice(-3)).toEqual(["injected action=unmap by=sibling: munmap", "flag-clear", 'step-end result=ok:"/etc/passwd"']);
  });

  it("use: read on get_as_null_terminated reads [ptr, ptr + len * size) after before-use; the value stays the scan's; an empty result reads nothing", () => {
    const t = run(`
name: use read on a null-terminated array
machine: { kernel: axptr-0.1 }
memory:
  - { start: 0x60000, pages: 1, perm: r, contents: [ { at: 0x60000, u32: [7, 8, 0] }, { at: 0x60100, u32: [0] } ] }
threads:
  - name: main
    steps:
      - { op: get_as_null_terminated, ptr: 0x60000, type: u32, use: read }
      - { op: get_as_null_terminated, ptr: 0x60100, type: u32, use: { read: true } }
events:
  - when: { step: 1, at: before-use }
    do: { write: { at: 0x60000, u32: [9] } }
  - when: { step: 2, at: before-use }
    do: { unmap: { start: 0x60000, pages: 1 } }
`);
    expect(results(t)).toEqual(["ok:[7,8]", "ok:[]"]);
    expect(lines(t)).toEqual([
      "step-start op=get_as_null_terminated",
      "align-check addr=0x60000 align=4 ok=true",
      "flag-set",
      "page-check addr=0x60000 ok=true",
      "read addr=0x60000 size=12 mode=kernel",
      "flag-clear",
      "injected action=write",
      "read addr=0x60000 size=8 mode=kernel",
      "step-end result=ok:[7,8]",
      "step-start op=get_as_null_terminated",
      "align-check addr=0x60100 align=4 ok=true",
      "flag-set",
      "page-check addr=0x60000 ok=true",
      "read addr=0x60100 size=4 mode=kernel",
      "flag-clear",
      "injected action=unmap",
      "step-end result=ok:[]",
    ]);
  });

  it("use: read on get_as_str: a page unmapped at before-use panics with the flag clear (scenario 49)", () => {
    const t = run(scenario("49-vfs-reads-the-borrowed-path"));
    expect(results(t)).toEqual(['ok:"/usr/bin"', "panic:Unhandled kernel page fault @0x61000"]);
  });
});

describe("section 4: where the accessing thread can be preempted", () => {
  it("starry-2025-07: a migrate inside access_user_memory is unfired with why; at before-step it happens", () => {
    const t = run(scenario("50-starry-2025-07-no-preemption-in-access"));
    expect(t.unfired).toEqual([
      { event: 0, when: "main#1 at before-read index 2", why: "under starry-2025-07 the thread cannot be preempted inside access_user_memory (percpu's with_current holds a no-preemption guard)" },
    ]);
    expect(ofKind(t, "migrate").map((e) => [e.step, e.from, e.to])).toEqual([[2, 0, 1]]);
    expect(hazardKinds(t)).toEqual([]);
  });

  it("starry-2025-04: a run on the thread's own CPU mid-read is unfired; a migrate at a page check happens", () => {
    const t = run(scenario("51-starry-2025-04-moves-only-where-it-sleeps"));
    expect(t.unfired).toEqual([
      {
        event: 0,
        when: "main#1 at before-read index 1",
        why: "under starry-2025-04 the thread leaves its CPU only where it sleeps (before-step, page-check, after-align-check of get and get_as_slice, after-step): there is no kernel preemption",
      },
    ]);
    expect(hazardKinds(t)).toEqual(["migrated-in-access"]);
    expect(results(t)).toEqual(["panic:Unhandled kernel page fault @0x21000"]);
  });

  it("a range past 2^64 is EFAULT (its unit spent) under starry-2025-07, -08 and -12, a panic under the others", () => {
    const text = scenario("55-starry-range-past-2-64-is-efault");
    for (const k of ["starry-2025-07", "starry-2025-08", "starry-2025-12"]) {
      const t = run(text.replace("kernel: starry-2025-07", `kernel: ${k}`));
      expect(lines(t).slice(0, 4)).toEqual([
        "step-start op=get_as_slice",
        "align-check addr=0xfffffffffffff000 align=1 ok=true",
        "region-check addr=0xfffffffffffff000 size=4096 access=read ok=false",
        "step-end result=err:EFAULT",
      ]);
      expect(results(t)[1]).toMatch(/^panic:called `Result::unwrap\(\)` on an `Err` value: LayoutError/);
    }
    for (const k of ["axptr-doc", "axptr-0.1", "starry-2025-04"]) {
      const t = run(text.replace("kernel: starry-2025-07", `kernel: ${k}`));
      expect(results(t)[0]).toBe("panic:attempt to add with overflow (0xfffffffffffff000 + 0x1000 passes 2^64 - 1)");
    }
  });
});

describe("section 5: one hold of the lock across check and populate", () => {
  it("an unmap at after-region-check is unfired with why under every starry kernel; at after-populate it happens", () => {
    const text = scenario("52-starry-lock-across-check-and-populate");
    for (const k of ["starry-2025-04", "starry-2025-07", "starry-2025-08", "starry-2025-12"]) {
      const t = run(text.replace("kernel: starry-2025-12", `kernel: ${k}`));
      expect(results(t)[0]).toBe("ok:[1,2,3,4]");
      expect(t.unfired).toEqual([
        {
          event: 0,
          when: "main#1 at after-region-check",
          why: `under ${k} check_region holds the address-space lock from the region check through populate, and munmap, mprotect and mmap take it: the mapping cannot change between the two`,
        },
      ]);
    }
    const doc = run(text.replace("kernel: starry-2025-12", "kernel: axptr-doc"));
    expect(results(doc)[0]).toBe("err:ENOMEM");
  });
});

describe("section 6: the global-flag strategy", () => {
  it("one bool for the machine, {global: …} in the trace, under axptr-doc too", () => {
    const t = run(`
name: global flag
machine: { strategy: global-flag, cpus: 2 }
memory:
  - { start: 0x60000, pages: 1, perm: r, contents: [ { at: 0x60000, str: "x\\0" } ] }
threads:
  - { name: main, steps: [ { op: get_as_str, ptr: 0x60000 } ] }
`);
    expect(t.stateKeys).toEqual(["global"]);
    expect(t.events.map((e) => e.flags.global)).toEqual([false, false, true, true, true, false, false]);
    expect(t.machine.kernel).toBeUndefined();
  });

  it("another CPU's bug covered (foreign-flag) and another CPU's end clearing it (flag-cleared-early), with their messages", () => {
    const t = run(scenario("53-global-flag-smp-two-hazards"));
    expect(t.hazards.map((h) => [h.kind, h.message])).toEqual([
      [
        "foreign-flag",
        "Thread b's kernel-mode fault at 0x150000 was judged by the global flag, which thread a set for its own open access: another thread's protection covers this thread's access, so a kernel bug is taken for a user access (resolved, or the process killed) instead of being reported.",
      ],
      [
        "flag-cleared-early",
        "Thread b's access ended and cleared the global flag, which the still-open access of thread a had set: that access is no longer protected on any CPU, and its next fault there will be treated as a kernel bug.",
      ],
    ]);
  });
});

describe("section 7: vm_* copies", () => {
  it("vm_load_string: check_access, the copy up to the NUL without page checks, the kernel's copy decoded", () => {
    const t = run(scenario("54-vm-load-string-copies-once"));
    expect(lines(t)).toEqual([
      "step-start op=vm_load_string",
      "check addr=0x90ffc size=1 ok=true",
      "flag-set",
      "read addr=0x90ffc size=4 mode=kernel",
      "page-fault addr=0x91000 access=read mode=kernel interrupt=false",
      "handler decision=resolved addr=0x91000",
      "page-mapped addr=0x91000",
      "read addr=0x91000 size=7 mode=kernel",
      "injected action=write by=sibling thread",
      "flag-clear",
      'step-end result=ok:"/etc/hosts"',
    ]);
  });

  it("check_access is the address space only: a range past its end is EFAULT with no access begun", () => {
    const t = run(`
name: vm_read outside
machine: { kernel: starry-2025-12 }
threads:
  - { name: main, steps: [ { op: vm_read, ptr: 0x7ffffffffff0, len: 4, type: u64 }, { op: vm_write, ptr: 0x1000, fill: 7, len: 0 } ] }
`);
    expect(lines(t)).toEqual([
      "step-start op=vm_read",
      "check addr=0x7ffffffffff0 size=32 ok=false",
      "step-end result=err:EFAULT",
      "step-start op=vm_write",
      "check addr=0x1000 size=0 ok=true",
      "flag-set",
      "flag-clear",
      "step-end result=ok",
    ]);
  });
});

describe("section 1: the file's errors", () => {
  const problems = (yaml: string) => {
    const r = loadScenario(yaml, "k.yaml");
    return r.ok ? [] : r.problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.path.join(".")}: ${p.message}`);
  };
  it("a starry kernel beside another strategy, or aspace_lock: held, names both keys", () => {
    expect(problems("name: x\nmachine:\n  kernel: starry-2025-07\n  strategy: per-thread-flag\n  aspace_lock: held\n")).toEqual([
      "k.yaml:4:13: machine.strategy: machine.strategy per-thread-flag contradicts machine.kernel starry-2025-07, whose state is percpu-flag (a starry-* kernel fixes the strategy: leave machine.strategy out or write percpu-flag)",
      "k.yaml:5:16: machine.aspace_lock: machine.aspace_lock held contradicts machine.kernel starry-2025-07, which takes the lock per check (leave machine.aspace_lock out or write per-check)",
    ]);
    expect(problems("name: x\nmachine:\n  kernel: starry-2025-08\n  strategy: global-flag\n")).toEqual([]);
  });
  it("a vm_write fill larger than 256 MiB is refused, as a contents fill is", () => {
    expect(problems("name: x\nmachine: { kernel: starry-2025-12 }\nthreads:\n  - { name: m, steps: [ { op: vm_write, ptr: 0x1000, fill: 1, len: 0xffffffffffff } ] }\n")).toEqual([
      "k.yaml:4:68: threads.0.steps.0.len: a vm_write fill of 281474976710655 bytes is larger than the 268435456 bytes (256 MiB) a fill may be",
    ]);
  });
  it("a vm_* step under a kernel without the copies names the kernels that have them, nested and run steps too", () => {
    expect(
      problems(`name: x
threads:
  - { name: a, steps: [ { op: vm_read, ptr: 0x1000, len: 1 } ] }
  - { name: b, steps: [] }
events:
  - { when: { thread: a, step: 1, at: before-step }, do: { run: { thread: b, step: { op: vm_load_string, ptr: 0x1000 } } } }
`),
    ).toEqual([
      "k.yaml:3:31: threads.0.steps.0.op: vm_read is a starry-vm user copy: it exists only under machine.kernel starry-2025-08 and starry-2025-12, not under axptr-doc",
      "k.yaml:6:90: events.0.do.run.step.op: vm_load_string is a starry-vm user copy: it exists only under machine.kernel starry-2025-08 and starry-2025-12, not under axptr-doc",
    ]);
  });
});

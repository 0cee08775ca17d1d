// Cases found by a sentence-by-sentence audit against semantics.md; each failed before its fix.
import { describe, expect, it } from "vitest";
import { eventLine } from "../../src/render/json.js";
import { flagsText } from "../../src/render/text.js";
import { TraceTooLarge } from "../../src/sim/machine.js";
import { hazardKinds, kinds, ofKind, result, run } from "./helpers.js";

describe("the spec audit's cases", () => {
  it("keeps flags keys in the file's thread order, even for names that look like numbers", () => {
    const t = run(`
name: k
machine: { strategy: per-thread-flag }
memory: [{ start: 0x10000, pages: 1, perm: r }]
threads:
  - { name: "2", steps: [{ op: get_as_str, ptr: 0x10000 }] }
  - { name: "1", steps: [] }
`);
    expect(t.stateKeys).toEqual(["2", "1"]);
    const flagSet = ofKind(t, "flag-set")[0];
    if (!flagSet) throw new Error("no flag-set");
    expect(eventLine(flagSet, t.stateKeys)).toBe('{"seq":3,"thread":"2","step":1,"cpu":0,"kind":"flag-set","flags":{"2":true,"1":false}}');
    expect(flagsText(flagSet.flags, t.stateKeys)).toBe("2=1 1=0");
  });

  it("charges an interrupt handler's access one unit, like any read", () => {
    const yaml = (budget: number) => `
name: b
machine: { budget: ${budget} }
memory: [{ start: 0x10000, pages: 1, perm: r }]
threads: [{ name: main, steps: [{ op: kernel_access, addr: 0x10000, access: read }] }]
events: [{ when: { step: 1, at: before-step }, do: { interrupt: { addr: 0x10000, access: read } } }]
`;
    // The action, the interrupt's read, the step's read.
    expect(run(yaml(2)).outcome).toBe("step-limit");
    expect(run(yaml(3)).outcome).toBe("completed");
    expect(kinds(run(yaml(3))).slice(1, 5)).toEqual(["injected", "interrupt", "read", "read"]);
  });

  it("charges a map action one unit for each page it makes present", () => {
    const yaml = (budget: number) => `
name: m
machine: { budget: ${budget} }
threads: [{ name: main, steps: [{ op: kernel_access, addr: 0x10000, access: read }] }]
events: [{ when: { step: 1, at: before-step }, do: { map: { start: 0x10000, pages: 16, perm: r } } }]
`;
    // The action, 16 pages, the read.
    expect(run(yaml(17)).outcome).toBe("step-limit");
    expect(run(yaml(18)).outcome).toBe("completed");
  });

  it("reports migrated-in-access while the access is open, even after a nested access cleared the flag", () => {
    const t = run(`
name: mig
machine: { cpus: 2 }
memory: [{ start: 0x10000, pages: 1, perm: r, contents: [{ at: 0x10ffd, str: "ab\\0" }, { at: 0x10000, str: "x\\0" }] }]
threads: [{ name: main, steps: [{ op: get_as_str, ptr: 0x10ffd }] }]
events:
  - { when: { step: 1, at: flag-set }, do: { nested: { op: get_as_str, ptr: 0x10000 } } }
  - { when: { step: 1, at: before-read, index: 1 }, do: { migrate: { cpu: 1 } } }
`);
    expect(hazardKinds(t)).toEqual(["flag-cleared-early", "migrated-in-access"]);
    expect(result(t, 1)).toEqual({ status: "ok", value: "ab" });
  });

  it("does not report page-mapped when the faulting page was already made present by a page-fault trigger", () => {
    const t = run(`
name: pf
memory: [{ start: 0x10000, pages: 1, perm: r, populate: false }]
threads: [{ name: main, steps: [{ op: user_access, addr: 0x10000, access: read }] }]
events: [{ when: { step: 1, at: page-fault }, do: { map: { start: 0x10000, pages: 1, perm: r } } }]
`);
    expect(kinds(t)).toEqual(["step-start", "page-fault", "injected", "handler", "read", "step-end"]);
    expect(ofKind(t, "handler")[0]).toMatchObject({ decision: "resolved", reason: "page already present" });
  });

  it("refuses a struct value larger than a step may yield as too large to trace, instead of crashing", () => {
    expect(() =>
      run(`
name: s
memory: [{ start: 0x10000000, size: 0x10000000, perm: r }]
threads: [{ name: main, steps: [{ op: get, ptr: 0x10000000, type: { size: 0x10000000, align: 1 }, use: read }] }]
`),
    ).toThrow(new TraceTooLarge("a value of 1 {size: 268435456, align: 1} elements is larger than the 1048576 numbers a step may yield (a struct element counts its bytes, a zero-sized one counts 1); read fewer elements"));
  });

  it("does not keep the bytes of a read the budget cannot finish", () => {
    const t = run(`
name: r
machine: { budget: 100000 }
memory: [{ start: 0x10000000, size: 0x10000000, perm: r }]
threads: [{ name: main, steps: [{ op: get_as_slice, ptr: 0x10000000, len: 0x10000000, use: read }] }]
`);
    expect(t.outcome).toBe("step-limit");
  });
});

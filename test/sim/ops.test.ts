// The axptr operations (semantics.md section 3), run through loadScenario + simulate.
import { describe, expect, it } from "vitest";
import { EFAULT, EILSEQ, ENOMEM, lines, ofKind, result, results, run, stepLines } from "./helpers.js";

/** A scenario with the given memory list and steps (YAML flow items, one per line) on thread main. */
function scn(memory: string[], steps: string[], extra = ""): string {
  return [
    "name: ops",
    extra,
    "memory:",
    ...memory.map((m) => `  - ${m}`),
    "threads:",
    "  - name: main",
    "    steps:",
    ...steps.map((s) => `      - ${s}`),
  ].join("\n");
}

const RW = "{ start: 0x10000, pages: 2, perm: rw }";

describe("get", () => {
  it("reads one u32 through the reference: align, region, populate, then the read", () => {
    const t = run(scn(["{ start: 0x10000, pages: 1, perm: rw, contents: [{ at: 0x10008, u32: [0xdeadbeef] }] }"], ["{ op: get, ptr: 0x10008, type: u32, use: read }"]));
    expect(t.outcome).toBe("completed");
    expect(result(t, 1)).toEqual({ status: "ok", value: 0xdeadbeefn });
    expect(lines(t)).toEqual([
      "step-start op=get",
      "align-check addr=0x10008 align=4 ok=true",
      "region-check addr=0x10008 size=4 access=read ok=true",
      "populate addr=0x10000 size=4096 ok=true",
      "read addr=0x10008 size=4 mode=kernel",
      "step-end result=ok:3735928559",
    ]);
  });

  it("fails the align check with EFAULT and goes no further", () => {
    const t = run(scn([RW], ["{ op: get, ptr: 0x10002, type: u32, use: read }"]));
    expect(result(t, 1)).toEqual(EFAULT);
    expect(lines(t)).toEqual(["step-start op=get", "align-check addr=0x10002 align=4 ok=false", "step-end result=err:EFAULT"]);
  });

  it("checks read and write for a mut pointer: a read-only area is EFAULT", () => {
    const t = run(scn(["{ start: 0x10000, pages: 1, perm: r }"], ["{ op: get, ptr: 0x10000, type: u64, mut: true }", "{ op: get, ptr: 0x10000, type: u64 }"]));
    expect(results(t)).toEqual(["err:EFAULT", "ok"]);
    expect(stepLines(t, 1)).toEqual([
      "step-start op=get",
      "align-check addr=0x10000 align=8 ok=true",
      "region-check addr=0x10000 size=8 access=read+write ok=false",
      "step-end result=err:EFAULT",
    ]);
  });

  it("decodes signed values as negative", () => {
    const t = run(
      scn(
        ["{ start: 0x10000, pages: 1, perm: r, contents: [{ at: 0x10000, i64: [-2] }, { at: 0x10010, i16: [-32768] }, { at: 0x10020, i8: [-1] }] }"],
        ["{ op: get, ptr: 0x10000, type: i64, use: read }", "{ op: get, ptr: 0x10010, type: i16, use: read }", "{ op: get, ptr: 0x10020, type: i8, use: read }", "{ op: get, ptr: 0x10020, type: u8, use: read }"],
      ),
    );
    expect(results(t)).toEqual(["ok:-2", "ok:-32768", "ok:-1", "ok:255"]);
  });

  it("reads a struct as its bytes, one read event per page it spans, after populating both pages", () => {
    const t = run(
      scn(
        ["{ start: 0x10000, pages: 2, perm: rw, populate: false, contents: [{ at: 0x10ffc, bytes: [1, 2, 3, 4, 5, 6, 7, 8] }] }"],
        ["{ op: get, ptr: 0x10ffc, type: { size: 8, align: 4 }, use: read }"],
      ),
    );
    expect(result(t, 1)).toEqual({ status: "ok", value: [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n] });
    expect(lines(t)).toEqual([
      "step-start op=get",
      "align-check addr=0x10ffc align=4 ok=true",
      "region-check addr=0x10ffc size=8 access=read ok=true",
      "populate addr=0x10000 size=8192 ok=true",
      "page-mapped addr=0x10000",
      "page-mapped addr=0x11000",
      "read addr=0x10ffc size=4 mode=kernel",
      "read addr=0x11000 size=4 mode=kernel",
      "step-end result=ok:[1,2,3,4,5,6,7,8]",
    ]);
  });

  it("populates without reading when there is no use", () => {
    const t = run(scn(["{ start: 0x10000, pages: 1, perm: rw, populate: false }"], ["{ op: get, ptr: 0x10000, type: u64 }", "{ op: user_access, addr: 0x10000, access: read }"]));
    expect(results(t)).toEqual(["ok", "ok"]);
    expect(ofKind(t, "read").map((e) => e.mode)).toEqual(["user"]);
    // The page was made present by the populate: the user access does not fault.
    expect(t.summary.faults).toBe(0);
  });

  it("fails at NULL without nullable", () => {
    const t = run(scn([RW], ["{ op: get, ptr: 0, type: u32 }"]));
    expect(lines(t)).toEqual([
      "step-start op=get",
      "align-check addr=0x0 align=4 ok=true",
      "region-check addr=0x0 size=4 access=read ok=false",
      "step-end result=err:EFAULT",
    ]);
  });

  it("fails a region that runs past its area's end into a gap", () => {
    const t = run(scn(["{ start: 0x10000, pages: 1, perm: rw }"], ["{ op: get, ptr: 0x10ffc, type: u64 }", "{ op: get, ptr: 0x10ff8, type: u64 }"]));
    expect(results(t)).toEqual(["err:EFAULT", "ok"]);
  });

  it("panics when start + size reaches 2^64 (checked after the align check)", () => {
    const t = run(scn([RW], ["{ op: get, ptr: 0xffff_ffff_ffff_fff8, type: u64 }"]));
    expect(t.outcome).toBe("panic");
    expect(result(t, 1)).toEqual({ status: "panic", message: "attempt to add with overflow (0xfffffffffffffff8 + 0x8 passes 2^64 - 1)" });
    expect(lines(t)).toEqual([
      "step-start op=get",
      "align-check addr=0xfffffffffffffff8 align=8 ok=true",
      "step-end result=panic:attempt to add with overflow (0xfffffffffffffff8 + 0x8 passes 2^64 - 1)",
    ]);
  });

  it("does not panic when the range ends at 2^64 - 1", () => {
    const t = run(scn([RW], ["{ op: get, ptr: 0xffff_ffff_ffff_fffe, type: u8 }"]));
    expect(t.outcome).toBe("completed");
    expect(result(t, 1)).toEqual(EFAULT);
    expect(lines(t)[2]).toBe("region-check addr=0xfffffffffffffffe size=1 access=read ok=false");
  });

  it("fails the align check before the overflowing range is computed", () => {
    const t = run(scn([RW], ["{ op: get, ptr: 0xffff_ffff_ffff_fffc, type: u64 }"]));
    expect(t.outcome).toBe("completed");
    expect(result(t, 1)).toEqual(EFAULT);
  });
});

describe("get_as_slice", () => {
  it("with the budget's last unit left and one frame for two lazy pages: the first page mapped, then ENOMEM (issue 22)", () => {
    const t = run(scn(["{ start: 0x10000, pages: 2, perm: rw, populate: false }"], ["{ op: get_as_slice, ptr: 0x10000, type: u8, len: 8192 }"], "machine: { frames: 1, budget: 3 }"));
    expect(t.outcome).toBe("completed");
    expect(result(t, 1)).toEqual(ENOMEM);
    expect(lines(t)).toEqual([
      "step-start op=get_as_slice",
      "align-check addr=0x10000 align=1 ok=true",
      "region-check addr=0x10000 size=8192 access=read ok=true",
      "populate addr=0x10000 size=8192 ok=false errno=ENOMEM",
      "page-mapped addr=0x10000",
      "step-end result=err:ENOMEM",
    ]);
  });

  it("reads len elements", () => {
    const t = run(scn(["{ start: 0x10000, pages: 1, perm: r, contents: [{ at: 0x10100, u16: [1, 2, 0xffff] }] }"], ["{ op: get_as_slice, ptr: 0x10100, type: u16, len: 3, use: read }"]));
    expect(result(t, 1)).toEqual({ status: "ok", value: [1n, 2n, 0xffffn] });
    expect(stepLines(t, 1).slice(1, 5)).toEqual([
      "align-check addr=0x10100 align=2 ok=true",
      "region-check addr=0x10100 size=6 access=read ok=true",
      "populate addr=0x10000 size=4096 ok=true",
      "read addr=0x10100 size=6 mode=kernel",
    ]);
  });

  it("reads a slice of structs as a list of byte lists", () => {
    const t = run(scn(["{ start: 0x10000, pages: 1, perm: r, contents: [{ at: 0x10000, bytes: [1, 2, 3, 4] }] }"], ["{ op: get_as_slice, ptr: 0x10000, type: { size: 2, align: 2 }, len: 2, use: read }"]));
    expect(result(t, 1)).toEqual({ status: "ok", value: [[1n, 2n], [3n, 4n]] });
  });

  it("populate is emitted first, then one page-mapped per page it makes present, in order", () => {
    const t = run(scn(["{ start: 0x10000, pages: 4, perm: rw, populate: false, present: [0x11000] }"], ["{ op: get_as_slice, ptr: 0x10010, len: 0x3000 }"]));
    expect(result(t, 1)).toEqual({ status: "ok" });
    expect(lines(t)).toEqual([
      "step-start op=get_as_slice",
      "align-check addr=0x10010 align=1 ok=true",
      "region-check addr=0x10010 size=12288 access=read ok=true",
      "populate addr=0x10000 size=16384 ok=true",
      "page-mapped addr=0x10000",
      "page-mapped addr=0x12000",
      "page-mapped addr=0x13000",
      "step-end result=ok",
    ]);
  });

  it("a zero-length slice passes inside an area and populates nothing at an aligned address", () => {
    const t = run(scn(["{ start: 0x10000, pages: 1, perm: rw, populate: false }"], ["{ op: get_as_slice, ptr: 0x10000, type: u32, len: 0, use: read }"]));
    expect(result(t, 1)).toEqual({ status: "ok", value: [] });
    expect(lines(t)).toEqual([
      "step-start op=get_as_slice",
      "align-check addr=0x10000 align=4 ok=true",
      "region-check addr=0x10000 size=0 access=read ok=true",
      "populate addr=0x10000 size=0 ok=true",
      "step-end result=ok:[]",
    ]);
  });

  it("a zero-length slice at an unaligned address populates its one page", () => {
    const t = run(scn(["{ start: 0x10000, pages: 1, perm: rw, populate: false }"], ["{ op: get_as_slice, ptr: 0x10001, len: 0 }"]));
    expect(result(t, 1)).toEqual({ status: "ok" });
    expect(stepLines(t, 1).slice(3)).toEqual(["populate addr=0x10000 size=4096 ok=true", "page-mapped addr=0x10000", "step-end result=ok"]);
  });

  it("a zero-length slice fails at NULL, in a gap and at an area's end", () => {
    const t = run(
      scn(
        ["{ start: 0x10000, pages: 1, perm: rw }"],
        ["{ op: get_as_slice, ptr: 0, len: 0 }", "{ op: get_as_slice, ptr: 0x20000, len: 0 }", "{ op: get_as_slice, ptr: 0x11000, len: 0 }", "{ op: get_as_slice, ptr: 0x10fff, len: 0 }"],
      ),
    );
    expect(results(t)).toEqual(["err:EFAULT", "err:EFAULT", "err:EFAULT", "ok"]);
    expect(stepLines(t, 1)[2]).toBe("region-check addr=0x0 size=0 access=read ok=false");
  });

  it("panics when len * size exceeds 2^63 - 1, before the align check", () => {
    const t = run(scn([RW], ["{ op: get_as_slice, ptr: 0x10001, type: u16, len: 0x4000_0000_0000_0000 }"]));
    expect(t.outcome).toBe("panic");
    const message = "called `Result::unwrap()` on an `Err` value: LayoutError (4611686018427387904 × 2 bytes exceeds isize::MAX)";
    expect(result(t, 1)).toEqual({ status: "panic", message });
    expect(lines(t)).toEqual(["step-start op=get_as_slice", `step-end result=panic:${message}`]);
  });

  it("does not panic at exactly 2^63 - 1 bytes: the region check fails instead", () => {
    const t = run(scn([RW], ["{ op: get_as_slice, ptr: 0x10000, type: u8, len: 0x7fff_ffff_ffff_ffff }"]));
    expect(t.outcome).toBe("completed");
    expect(result(t, 1)).toEqual(EFAULT);
    expect(lines(t)[2]).toBe("region-check addr=0x10000 size=9223372036854775807 access=read ok=false");
  });

  it("panics when the slice's end reaches 2^64", () => {
    const t = run(scn([RW], ["{ op: get_as_slice, ptr: 0xffff_ffff_ffff_fff0, type: u64, len: 2 }"]));
    expect(result(t, 1)).toEqual({ status: "panic", message: "attempt to add with overflow (0xfffffffffffffff0 + 0x10 passes 2^64 - 1)" });
  });

  it("writes a list through a mut slice", () => {
    const t = run(
      scn(
        ["{ start: 0x10000, pages: 1, perm: rw }"],
        ["{ op: get_as_slice, ptr: 0x10000, type: i16, len: 3, mut: true, use: { write: [-1, 2, 0x7fff] } }", "{ op: get_as_slice, ptr: 0x10000, type: u8, len: 6, use: read }"],
      ),
    );
    expect(results(t)).toEqual(["ok", "ok:[255,255,2,0,255,127]"]);
    expect(stepLines(t, 1)).toContain("write addr=0x10000 size=6 mode=kernel");
  });
});

describe("use", () => {
  it("a write through a mut pointer changes the bytes a later step reads", () => {
    const t = run(
      scn(
        ["{ start: 0x10000, pages: 1, perm: rw, contents: [{ at: 0x10000, u32: [7] }] }"],
        ["{ op: get, ptr: 0x10000, type: u32, use: read }", "{ op: get, ptr: 0x10000, type: u32, mut: true, use: { write: 0x01020304 } }", "{ op: get_as_slice, ptr: 0x10000, type: u8, len: 4, use: read }", "{ op: get_as_str, ptr: 0x10000 }"],
      ),
    );
    expect(results(t)).toEqual(["ok:7", "ok", "ok:[4,3,2,1]", 'ok:"\\u0004\\u0003\\u0002\\u0001"']);
    expect(stepLines(t, 2)).toEqual([
      "step-start op=get",
      "align-check addr=0x10000 align=4 ok=true",
      "region-check addr=0x10000 size=4 access=read+write ok=true",
      "populate addr=0x10000 size=4096 ok=true",
      "write addr=0x10000 size=4 mode=kernel",
      "step-end result=ok",
    ]);
  });

  it("writes a struct's bytes", () => {
    const t = run(
      scn(
        ["{ start: 0x10000, pages: 1, perm: rw }"],
        ["{ op: get, ptr: 0x10010, type: { size: 3, align: 1 }, mut: true, use: { write: [0x61, 0x62, 0x63] } }", "{ op: get_as_str, ptr: 0x10010 }"],
      ),
    );
    expect(results(t)).toEqual(["ok", 'ok:"abc"']);
  });
});

describe("get_as_null_terminated", () => {
  const scan = (contents: string, type: string, ptr = "0x10000") =>
    run(scn([`{ start: 0x10000, pages: 1, perm: rw, contents: [${contents}] }`], [`{ op: get_as_null_terminated, ptr: ${ptr}, type: ${type} }`]));

  it("u8: the elements before the zero", () => {
    const t = scan("{ at: 0x10000, bytes: [1, 2, 0xff, 0, 9] }", "u8");
    expect(result(t, 1)).toEqual({ status: "ok", value: [1n, 2n, 255n] });
    expect(lines(t)).toEqual([
      "step-start op=get_as_null_terminated",
      "align-check addr=0x10000 align=1 ok=true",
      "flag-set",
      "page-check addr=0x10000 ok=true",
      "read addr=0x10000 size=4 mode=kernel",
      "flag-clear",
      "step-end result=ok:[1,2,255]",
    ]);
  });

  it("u16: an element is zero only when all its bytes are", () => {
    const t = scan("{ at: 0x10000, bytes: [0, 1, 0xff, 0xff, 0, 0, 5, 0] }", "u16");
    expect(result(t, 1)).toEqual({ status: "ok", value: [256n, 65535n] });
    expect(lines(t)[4]).toBe("read addr=0x10000 size=6 mode=kernel");
  });

  it("u32", () => {
    const t = scan("{ at: 0x10000, u32: [1, 0x80000000, 0xffffffff, 0] }", "u32");
    expect(result(t, 1)).toEqual({ status: "ok", value: [1n, 0x80000000n, 0xffffffffn] });
  });

  it("u64, exact above 2^53", () => {
    const t = scan("{ at: 0x10000, u64: [0xffff_ffff_ffff_ffff, 0x20000000000001, 0] }", "u64");
    expect(result(t, 1)).toEqual({ status: "ok", value: [0xffff_ffff_ffff_ffffn, 0x20000000000001n] });
  });

  it("i32 with negative values", () => {
    const t = scan("{ at: 0x10000, i32: [-1, -2147483648, 7, 0] }", "i32");
    expect(result(t, 1)).toEqual({ status: "ok", value: [-1n, -2147483648n, 7n] });
  });

  it("i8 and c_char: c_char is unsigned", () => {
    const a = scan("{ at: 0x10000, bytes: [0x80, 0x7f, 0] }", "i8");
    const b = scan("{ at: 0x10000, bytes: [0x80, 0x7f, 0] }", "c_char");
    expect(result(a, 1)).toEqual({ status: "ok", value: [-128n, 127n] });
    expect(result(b, 1)).toEqual({ status: "ok", value: [128n, 127n] });
  });

  it("ptr: a list of pointers (argv-style)", () => {
    const t = scan("{ at: 0x10000, ptr: [0x10100, 0xffff_ffff_ffff_f000, 0] }", "ptr");
    expect(result(t, 1)).toEqual({ status: "ok", value: [0x10100n, 0xffff_ffff_ffff_f000n] });
  });

  it("a zero first element gives an empty list", () => {
    const t = scan("{ at: 0x10000, u64: [0, 5] }", "u64");
    expect(result(t, 1)).toEqual({ status: "ok", value: [] });
  });

  it("fails the align check before any flag is set", () => {
    const t = scan("{ at: 0x10000, u32: [1, 0] }", "u32", "0x10002");
    expect(result(t, 1)).toEqual(EFAULT);
    expect(lines(t)).toEqual(["step-start op=get_as_null_terminated", "align-check addr=0x10002 align=4 ok=false", "step-end result=err:EFAULT"]);
  });

  it("a page check that fails ends the scan with EFAULT, and the flag is cleared on that path too", () => {
    const t = run(scn(["{ start: 0x10000, pages: 1, perm: r, contents: [{ at: 0x10ff8, u32: [1, 2] }] }"], ["{ op: get_as_null_terminated, ptr: 0x10ff8, type: u32 }"]));
    expect(result(t, 1)).toEqual(EFAULT);
    expect(lines(t)).toEqual([
      "step-start op=get_as_null_terminated",
      "align-check addr=0x10ff8 align=4 ok=true",
      "flag-set",
      "page-check addr=0x10000 ok=true",
      "read addr=0x10ff8 size=8 mode=kernel",
      "page-check addr=0x11000 ok=false",
      "flag-clear",
      "step-end result=err:EFAULT",
    ]);
    expect(t.events.find((e) => e.kind === "flag-clear")?.flags).toEqual({ cpu0: false });
  });

  it("a mut scan checks write permission on every page", () => {
    const t = run(scn(["{ start: 0x10000, pages: 1, perm: r, contents: [{ at: 0x10000, bytes: [1, 0] }] }"], ["{ op: get_as_null_terminated, ptr: 0x10000, mut: true }", "{ op: get_as_null_terminated, ptr: 0x10000 }"]));
    expect(results(t)).toEqual(["err:EFAULT", "ok:[1]"]);
  });

  it("faults in lazy pages one at a time, each fault followed by its handler, page-mapped and the read", () => {
    const t = run(
      scn(
        ["{ start: 0x10000, pages: 2, perm: rw, populate: false, contents: [{ at: 0x10ffc, u16: [0x41, 0x42, 0x43, 0] }] }"],
        ["{ op: get_as_null_terminated, ptr: 0x10ffc, type: u16 }"],
      ),
    );
    expect(result(t, 1)).toEqual({ status: "ok", value: [0x41n, 0x42n, 0x43n] });
    expect(lines(t)).toEqual([
      "step-start op=get_as_null_terminated",
      "align-check addr=0x10ffc align=2 ok=true",
      "flag-set",
      "page-check addr=0x10000 ok=true",
      "page-fault addr=0x10ffc access=read mode=kernel interrupt=false",
      "handler decision=resolved addr=0x10ffc",
      "page-mapped addr=0x10000",
      "read addr=0x10ffc size=4 mode=kernel",
      "page-check addr=0x11000 ok=true",
      "page-fault addr=0x11000 access=read mode=kernel interrupt=false",
      "handler decision=resolved addr=0x11000",
      "page-mapped addr=0x11000",
      "read addr=0x11000 size=4 mode=kernel",
      "flag-clear",
      "step-end result=ok:[65,66,67]",
    ]);
    expect(t.summary).toMatchObject({ faults: 2, resolved: 2 });
  });

  it("panics when the scan's page check would end at 2^64", () => {
    const t = run(`
name: top
machine: { aspace: { base: 0x1000, size: 0xffff_ffff_ffff_f000 } }
memory:
  - { start: 0xffff_ffff_ffff_e000, pages: 2, perm: r, contents: [{ at: 0xffff_ffff_ffff_eff0, fill: 0x41, len: 0x1010 }] }
threads:
  - name: main
    steps:
      - { op: get_as_null_terminated, ptr: 0xffff_ffff_ffff_eff8 }
`);
    expect(t.outcome).toBe("panic");
    expect(result(t, 1)).toEqual({ status: "panic", message: "attempt to add with overflow (0xfffffffffffff000 + 0x1000 passes 2^64 - 1)" });
    expect(lines(t).slice(3)).toEqual([
      "page-check addr=0xffffffffffffe000 ok=true",
      "read addr=0xffffffffffffeff8 size=8 mode=kernel",
      "step-end result=panic:attempt to add with overflow (0xfffffffffffff000 + 0x1000 passes 2^64 - 1)",
    ]);
  });
});

describe("get_as_str", () => {
  const str = (contents: string, ptr = "0x10000", mem = "{ start: 0x10000, pages: 1, perm: rw, contents: [CONTENTS] }") =>
    run(scn([mem.replace("CONTENTS", contents)], [`{ op: get_as_str, ptr: ${ptr} }`]));

  it("reads a string that spans a lazily mapped page (the format's example), in exact trace order", () => {
    const t = run(
      scn(
        ['{ start: 0x10000, pages: 2, perm: rw, populate: false, contents: [{ at: 0x10ffa, str: "hello," }, { at: 0x11000, str: " world\\0" }] }'],
        ['{ op: get_as_str, ptr: 0x10ffa, expect: { ok: "hello, world" } }'],
      ),
    );
    expect(t.outcome).toBe("completed");
    expect(t.steps[0]?.met).toBe(true);
    expect(lines(t)).toEqual([
      "step-start op=get_as_str",
      "align-check addr=0x10ffa align=1 ok=true",
      "flag-set",
      "page-check addr=0x10000 ok=true",
      "page-fault addr=0x10ffa access=read mode=kernel interrupt=false",
      "handler decision=resolved addr=0x10ffa",
      "page-mapped addr=0x10000",
      "read addr=0x10ffa size=6 mode=kernel",
      "page-check addr=0x11000 ok=true",
      "page-fault addr=0x11000 access=read mode=kernel interrupt=false",
      "handler decision=resolved addr=0x11000",
      "page-mapped addr=0x11000",
      "read addr=0x11000 size=7 mode=kernel",
      "flag-clear",
      'step-end result=ok:"hello, world"',
    ]);
    expect(t.events.map((e) => e.flags)).toEqual([
      { cpu0: false },
      { cpu0: false },
      ...Array(11).fill({ cpu0: true }),
      { cpu0: false },
      { cpu0: false },
    ]);
  });

  it("invalid UTF-8 is EILSEQ, after the scan and the flag-clear", () => {
    const t = str("{ at: 0x10000, bytes: [0x61, 0xff, 0xfe, 0] }");
    expect(result(t, 1)).toEqual(EILSEQ);
    expect(lines(t).slice(-3)).toEqual(["read addr=0x10000 size=4 mode=kernel", "flag-clear", "step-end result=err:EILSEQ"]);
  });

  it("rejects what Rust's from_utf8 rejects: overlong forms, surrogates, a truncated sequence", () => {
    expect(result(str("{ at: 0x10000, bytes: [0xc0, 0x80, 0] }"), 1)).toEqual(EILSEQ);
    expect(result(str("{ at: 0x10000, bytes: [0xed, 0xa0, 0x80, 0] }"), 1)).toEqual(EILSEQ);
    expect(result(str("{ at: 0x10000, bytes: [0x61, 0xe2, 0x82, 0] }"), 1)).toEqual(EILSEQ);
  });

  it("decodes a multi-byte character split across a page boundary", () => {
    const t = str(
      "{ at: 0x10ffe, bytes: [0x61, 0xc3, 0xa9, 0x62, 0] }",
      "0x10ffe",
      "{ start: 0x10000, pages: 2, perm: rw, populate: false, contents: [CONTENTS] }",
    );
    expect(result(t, 1)).toEqual({ status: "ok", value: "a\u00e9b" });
    expect(ofKind(t, "read").map((e) => [e.addr, e.size])).toEqual([
      [0x10ffen, 2n],
      [0x11000n, 3n],
    ]);
    const bad = str("{ at: 0x10fff, bytes: [0xc3, 0x41, 0] }", "0x10fff", "{ start: 0x10000, pages: 2, perm: rw, contents: [CONTENTS] }");
    expect(result(bad, 1)).toEqual(EILSEQ);
  });

  it("decodes multi-byte UTF-8 and keeps a byte-order mark", () => {
    expect(result(str('{ at: 0x10000, str: "h\u00e9llo \u2603\\0" }'), 1)).toEqual({ status: "ok", value: "h\u00e9llo \u2603" });
    expect(result(str("{ at: 0x10000, bytes: [0xef, 0xbb, 0xbf, 0x41, 0] }"), 1)).toEqual({ status: "ok", value: "\ufeffA" });
  });

  it("an empty string is ok with the empty value", () => {
    const t = str("{ at: 0x10000, bytes: [0, 0x41] }");
    expect(result(t, 1)).toEqual({ status: "ok", value: "" });
    expect(lines(t)).toContain("read addr=0x10000 size=1 mode=kernel");
  });

  it("a string whose NUL is the last byte of a page never checks the next page", () => {
    const t = str('{ at: 0x10ffc, str: "abc\\0" }', "0x10ffc");
    expect(result(t, 1)).toEqual({ status: "ok", value: "abc" });
    expect(ofKind(t, "page-check").map((e) => e.addr)).toEqual([0x10000n]);
  });

  it("a string whose last character is the last byte of a page needs the next page", () => {
    const unmapped = str('{ at: 0x10ffc, str: "abcd" }', "0x10ffc");
    expect(result(unmapped, 1)).toEqual(EFAULT);
    expect(ofKind(unmapped, "page-check").map((e) => [e.addr, e.ok])).toEqual([
      [0x10000n, true],
      [0x11000n, false],
    ]);
    const lazy = str('{ at: 0x10ffc, str: "abcd" }', "0x10ffc", "{ start: 0x10000, pages: 2, perm: rw, populate: false, contents: [CONTENTS] }");
    expect(result(lazy, 1)).toEqual({ status: "ok", value: "abcd" });
    expect(lines(lazy).slice(-7, -1)).toEqual([
      "page-check addr=0x11000 ok=true",
      "page-fault addr=0x11000 access=read mode=kernel interrupt=false",
      "handler decision=resolved addr=0x11000",
      "page-mapped addr=0x11000",
      "read addr=0x11000 size=1 mode=kernel",
      "flag-clear",
    ]);
  });

  it("fails at NULL without nullable: the page check of page 0", () => {
    const t = str('{ at: 0x10000, str: "x" }', "0");
    expect(result(t, 1)).toEqual(EFAULT);
    expect(lines(t)).toEqual(["step-start op=get_as_str", "align-check addr=0x0 align=1 ok=true", "flag-set", "page-check addr=0x0 ok=false", "flag-clear", "step-end result=err:EFAULT"]);
  });

  it("uses a page size other than 4096 for its page checks", () => {
    const t = run(`
name: big pages
machine: { page_size: 16384, aspace: { base: 0x4000, size: 0x7fff_ffff_c000 } }
memory:
  - { start: 0x10000, pages: 1, perm: r, contents: [{ at: 0x13ffe, str: "ab" }] }
  - { start: 0x14000, pages: 1, perm: r, contents: [{ at: 0x14000, str: "c\\0" }] }
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: 0x13ffe }
`);
    expect(result(t, 1)).toEqual({ status: "ok", value: "abc" });
    expect(ofKind(t, "page-check").map((e) => e.addr)).toEqual([0x10000n, 0x14000n]);
  });
});

describe("nullable", () => {
  it("a null pointer gives Ok(None) with no checks at all, for every pointer op", () => {
    const t = run(
      scn(
        [RW],
        [
          "{ op: get, ptr: 0, type: u64, use: read, nullable: true, expect: { ok: null } }",
          "{ op: get_as_slice, ptr: 0, type: u32, len: 4, mut: true, nullable: true }",
          "{ op: get_as_null_terminated, ptr: 0, type: u16, nullable: true }",
          "{ op: get_as_str, ptr: 0, nullable: true }",
        ],
      ),
    );
    expect(results(t)).toEqual(["ok:null", "ok:null", "ok:null", "ok:null"]);
    expect(t.steps[0]?.met).toBe(true);
    expect(t.events.map((e) => e.kind)).toEqual(Array(4).fill(["step-start", "step-end"]).flat());
  });

  it("a non-null pointer proceeds as the wrapped operation", () => {
    const t = run(
      scn(
        ['{ start: 0x10000, pages: 1, perm: rw, contents: [{ at: 0x10000, str: "hi\\0" }] }'],
        ["{ op: get_as_str, ptr: 0x10000, nullable: true }", "{ op: get, ptr: 0x10001, type: u8, use: read, nullable: true }", "{ op: get, ptr: 0x10001, type: u16, nullable: true }"],
      ),
    );
    expect(results(t)).toEqual(['ok:"hi"', "ok:105", "err:EFAULT"]);
  });

  it("a null pointer skips even the len * size computation", () => {
    // semantics.md §3: "`nullable`: a null pointer gives `Ok(None)` with no checks at all; a non-null one proceeds as the wrapped operation."
    const t = run(scn([RW], ["{ op: get_as_slice, ptr: 0, type: u64, len: 0x1000_0000_0000_0000, nullable: true }"]));
    expect(t.outcome).toBe("completed");
    expect(result(t, 1)).toEqual({ status: "ok", value: null });
  });
});

describe("user_access and kernel_access", () => {
  it("a user access to a lazy page faults in user mode and is resolved", () => {
    const t = run(scn(["{ start: 0x10000, pages: 1, perm: rw, populate: false }"], ["{ op: user_access, addr: 0x10abc, access: write }"]));
    expect(lines(t)).toEqual([
      "step-start op=user_access",
      "page-fault addr=0x10abc access=write mode=user interrupt=false",
      "handler decision=resolved addr=0x10abc",
      "page-mapped addr=0x10000",
      "write addr=0x10abc size=1 mode=user",
      "step-end result=ok",
    ]);
  });

  it("a user access outside any area kills the process", () => {
    const t = run(scn([RW], ["{ op: user_access, addr: 0x30000, access: read }", "{ op: user_access, addr: 0x10000, access: read }"]));
    expect(t.outcome).toBe("killed");
    expect(results(t)).toEqual(["killed:SIGSEGV", "not-run"]);
    expect(lines(t)).toEqual([
      "step-start op=user_access",
      "page-fault addr=0x30000 access=read mode=user interrupt=false",
      "handler decision=segv addr=0x30000",
      "step-end result=killed:SIGSEGV",
    ]);
    expect(ofKind(t, "handler")[0]?.reason).toMatch(/no area holds 0x30000/);
  });

  it("a user write to a read-only page and a user execute of a non-executable page are SIGSEGV", () => {
    const w = run(scn(["{ start: 0x10000, pages: 1, perm: r }"], ["{ op: user_access, addr: 0x10000, access: write }"]));
    expect(result(w, 1)).toEqual({ status: "killed", signal: "SIGSEGV" });
    expect(ofKind(w, "handler")[0]?.reason).toMatch(/does not allow write/);
    const x = run(scn(["{ start: 0x10000, pages: 1, perm: rw }"], ["{ op: user_access, addr: 0x10000, access: execute }"]));
    expect(result(x, 1)).toEqual({ status: "killed", signal: "SIGSEGV" });
  });

  it("a user execute of an executable page is an execute event", () => {
    const t = run(scn(["{ start: 0x10000, pages: 1, perm: rx }"], ["{ op: user_access, addr: 0x10010, access: execute }"]));
    expect(lines(t)).toEqual(["step-start op=user_access", "execute addr=0x10010 size=1 mode=user", "step-end result=ok"]);
  });

  it("a kernel access to a present page is a plain kernel read", () => {
    const t = run(scn([RW], ["{ op: kernel_access, addr: 0x10008, access: read }", "{ op: kernel_access, addr: 0x10008, access: write }"]));
    expect(lines(t)).toEqual([
      "step-start op=kernel_access",
      "read addr=0x10008 size=1 mode=kernel",
      "step-end result=ok",
      "step-start op=kernel_access",
      "write addr=0x10008 size=1 mode=kernel",
      "step-end result=ok",
    ]);
  });

  it("a kernel access to a lazy page outside any user access is an unhandled kernel page fault", () => {
    const t = run(scn(["{ start: 0x10000, pages: 1, perm: rw, populate: false }"], ["{ op: kernel_access, addr: 0x10010, access: read }", "{ op: user_access, addr: 0x10010, access: read }"]));
    expect(t.outcome).toBe("panic");
    expect(results(t)).toEqual(["panic:Unhandled kernel page fault @0x10010", "not-run"]);
    expect(lines(t)).toEqual([
      "step-start op=kernel_access",
      "page-fault addr=0x10010 access=read mode=kernel interrupt=false",
      "handler decision=unhandled addr=0x10010",
      "step-end result=panic:Unhandled kernel page fault @0x10010",
    ]);
  });
});

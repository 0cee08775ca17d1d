// The address space and the axmm primitives (semantics.md sections 1 and 2).
import { describe, expect, it } from "vitest";
import { AddressSpace } from "../../src/sim/memory.js";
import type { Perms } from "../../src/scenario/schema.js";

const P = 4096n;
const BASE = 0x1000n;
const END = 0x1000n + 0x7fff_ffff_f000n;

const perm = (s: string): Perms => ({ read: s.includes("r"), write: s.includes("w"), execute: s.includes("x") });

function space(frames: bigint | null = null): AddressSpace {
  return new AddressSpace(P, BASE, END, frames);
}

function area(
  as: AddressSpace,
  start: bigint,
  pages: bigint,
  p: string,
  opts: { eager?: boolean; present?: bigint[]; name?: string } = {},
): void {
  as.addArea({ name: opts.name, start, end: start + pages * P, perm: perm(p), eager: opts.eager ?? true, present: opts.present ?? [] });
}

/** The areas as "start..end perm name" lines. */
function areas(as: AddressSpace): string[] {
  return as.areas.map((a) => {
    const p = `${a.perm.read ? "r" : ""}${a.perm.write ? "w" : ""}${a.perm.execute ? "x" : ""}` || "-";
    return `0x${a.start.toString(16)}..0x${a.end.toString(16)} ${p}${a.name ? ` ${a.name}` : ""}`;
  });
}

/** Which of the given pages are present. */
function presentPages(as: AddressSpace, pages: bigint[]): bigint[] {
  return pages.filter((p) => as.isPresent(p));
}

/** Counts present pages from the page table's runs themselves (must agree with presentCount), each inside an area. */
function recount(as: AddressSpace): bigint {
  let n = 0n;
  for (const [lo, hi] of as.present.runs()) {
    for (let p = lo; p < hi; p++) if (!as.areaAt(BigInt(p) * P)) throw new Error(`page ${p} is present outside every area`);
    n += BigInt(hi - lo);
  }
  return n;
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** A populate limit no test reaches. */
const NO_LIMIT = 1n << 62n;

describe("check_region_access", () => {
  // A rw [0x10000, 0x12000), B r [0x12000, 0x13000) adjacent to A, a gap, C rw [0x20000, 0x21000), N (no permissions) [0x30000, 0x31000).
  function layout(): AddressSpace {
    const as = space();
    area(as, 0x10000n, 2n, "rw");
    area(as, 0x12000n, 1n, "r");
    area(as, 0x20000n, 1n, "rw");
    area(as, 0x30000n, 1n, "");
    return as;
  }

  it("accepts a range inside one area with the flags", () => {
    const as = layout();
    expect(as.checkRegionAccess(0x10000n, 0x12000n, ["read"])).toBe(true);
    expect(as.checkRegionAccess(0x10000n, 0x12000n, ["read", "write"])).toBe(true);
    expect(as.checkRegionAccess(0x10ffen, 0x11002n, ["read", "write"])).toBe(true);
  });

  it("accepts a range spanning two adjacent areas that both have the flags", () => {
    const as = layout();
    expect(as.checkRegionAccess(0x11ff0n, 0x12010n, ["read"])).toBe(true);
    expect(as.checkRegionAccess(0x10000n, 0x13000n, ["read"])).toBe(true);
  });

  it("rejects a spanning range when the second area lacks a flag", () => {
    const as = layout();
    expect(as.checkRegionAccess(0x11ff0n, 0x12010n, ["read", "write"])).toBe(false);
    // The part in A alone passes: the answer is per byte, not per area list.
    expect(as.checkRegionAccess(0x11ff0n, 0x12000n, ["read", "write"])).toBe(true);
  });

  it("rejects a range that crosses into a gap", () => {
    const as = layout();
    expect(as.checkRegionAccess(0x12ff0n, 0x13010n, ["read"])).toBe(false);
    expect(as.checkRegionAccess(0x10000n, 0x20001n, ["read"])).toBe(false);
    expect(as.checkRegionAccess(0x0fff0n, 0x10010n, ["read"])).toBe(false);
  });

  it("is exact at page and area ends", () => {
    const as = layout();
    expect(as.checkRegionAccess(0x12000n, 0x13000n, ["read"])).toBe(true);
    expect(as.checkRegionAccess(0x12fffn, 0x13000n, ["read"])).toBe(true);
    expect(as.checkRegionAccess(0x12000n, 0x13001n, ["read"])).toBe(false);
    expect(as.checkRegionAccess(0x20000n, 0x21000n, ["read", "write"])).toBe(true);
    expect(as.checkRegionAccess(0x20000n, 0x21001n, ["read", "write"])).toBe(false);
  });

  it("rejects a missing permission, and an area with none", () => {
    const as = layout();
    expect(as.checkRegionAccess(0x12000n, 0x12001n, ["write"])).toBe(false);
    expect(as.checkRegionAccess(0x10000n, 0x10001n, ["execute"])).toBe(false);
    expect(as.checkRegionAccess(0x30000n, 0x30001n, ["read"])).toBe(false);
  });

  it("passes an empty range iff its start lies inside an area with the flags", () => {
    const as = layout();
    expect(as.checkRegionAccess(0x10000n, 0x10000n, ["read"])).toBe(true);
    expect(as.checkRegionAccess(0x11fffn, 0x11fffn, ["read", "write"])).toBe(true);
    expect(as.checkRegionAccess(0x12000n, 0x12000n, ["read"])).toBe(true);
    // Inside an area, but it lacks the flag.
    expect(as.checkRegionAccess(0x12000n, 0x12000n, ["read", "write"])).toBe(false);
    expect(as.checkRegionAccess(0x30000n, 0x30000n, ["read"])).toBe(false);
    // Exactly at an area's end (the next byte is a gap).
    expect(as.checkRegionAccess(0x13000n, 0x13000n, ["read"])).toBe(false);
    // In a gap, and at NULL.
    expect(as.checkRegionAccess(0x15000n, 0x15000n, ["read"])).toBe(false);
    expect(as.checkRegionAccess(0n, 0n, ["read"])).toBe(false);
  });

  it("is false with no areas at all", () => {
    expect(space().checkRegionAccess(0x10000n, 0x10001n, ["read"])).toBe(false);
    expect(space().checkRegionAccess(0x10000n, 0x10000n, ["read"])).toBe(false);
  });
});

describe("populate_area", () => {
  it("makes every missing page present in address order, one frame each", () => {
    const as = space(10n);
    area(as, 0x10000n, 4n, "rw", { eager: false, present: [0x11000n] });
    expect(as.presentCount).toBe(1n);
    expect(as.freeFrames).toBe(9n);
    expect(as.populate(0x10000n, 0x14000n, NO_LIMIT)).toEqual({ mapped: [0x10000n, 0x12000n, 0x13000n] });
    expect(as.presentCount).toBe(4n);
    expect(as.freeFrames).toBe(6n);
    // Again: nothing to do.
    expect(as.populate(0x10000n, 0x14000n, NO_LIMIT)).toEqual({ mapped: [] });
    expect(as.freeFrames).toBe(6n);
  });

  it("populates across adjacent areas", () => {
    const as = space();
    area(as, 0x10000n, 1n, "r", { eager: false });
    area(as, 0x11000n, 1n, "rw", { eager: false });
    expect(as.populate(0x10000n, 0x12000n, NO_LIMIT)).toEqual({ mapped: [0x10000n, 0x11000n] });
  });

  it("gives ENOMEM when no frame is free, keeping the pages made present before", () => {
    const as = space(2n);
    area(as, 0x10000n, 4n, "rw", { eager: false });
    expect(as.populate(0x10000n, 0x14000n, NO_LIMIT)).toEqual({ mapped: [0x10000n, 0x11000n], error: "ENOMEM" });
    expect(presentPages(as, [0x10000n, 0x11000n, 0x12000n, 0x13000n])).toEqual([0x10000n, 0x11000n]);
    expect(as.presentCount).toBe(2n);
    expect(as.freeFrames).toBe(0n);
  });

  it("gives ENOMEM, not limit, when the page at the limit has no frame: a page not made present costs no unit", () => {
    const as = space(1n);
    area(as, 0x10000n, 3n, "rw", { eager: false });
    expect(as.populate(0x10000n, 0x13000n, 1n)).toEqual({ mapped: [0x10000n], error: "ENOMEM" });
    const none = space(0n);
    area(none, 0x10000n, 1n, "rw", { eager: false });
    expect(none.populate(0x10000n, 0x11000n, 0n)).toEqual({ mapped: [], error: "ENOMEM" });
  });

  it("stops at the limit when the page there has a frame", () => {
    const as = space(5n);
    area(as, 0x10000n, 3n, "rw", { eager: false });
    expect(as.populate(0x10000n, 0x13000n, 1n)).toEqual({ mapped: [0x10000n], error: "limit" });
    expect(as.freeFrames).toBe(4n);
  });

  it("gives ENOMEM at a page outside any area, keeping the pages made present before", () => {
    const as = space();
    area(as, 0x10000n, 2n, "rw", { eager: false });
    area(as, 0x13000n, 1n, "rw", { eager: false });
    expect(as.populate(0x10000n, 0x14000n, NO_LIMIT)).toEqual({ mapped: [0x10000n, 0x11000n], error: "ENOMEM" });
    // It stopped at the hole: the page after it stays absent.
    expect(presentPages(as, [0x10000n, 0x11000n, 0x13000n])).toEqual([0x10000n, 0x11000n]);
  });

  it("gives ENOMEM at once when the first page has no area", () => {
    const as = space();
    area(as, 0x10000n, 1n, "rw", { eager: false });
    expect(as.populate(0xf000n, 0x11000n, NO_LIMIT)).toEqual({ mapped: [], error: "ENOMEM" });
    expect(as.isPresent(0x10000n)).toBe(false);
  });

  it("does nothing for an eager area, and brings back only its evicted pages", () => {
    const as = space();
    area(as, 0x10000n, 3n, "rw");
    expect(as.populate(0x10000n, 0x13000n, NO_LIMIT)).toEqual({ mapped: [] });
    expect(as.evict(0x11000n, 0x12000n)).toBe(1n);
    expect(as.populate(0x10000n, 0x13000n, NO_LIMIT)).toEqual({ mapped: [0x11000n] });
    expect(as.presentCount).toBe(3n);
  });

  it("stops before making present more pages than its limit (the caller's budget)", () => {
    const as = space();
    area(as, 0x10000n, 4n, "rw", { eager: false, present: [0x11000n] });
    expect(as.populate(0x10000n, 0x14000n, 2n)).toEqual({ mapped: [0x10000n, 0x12000n], error: "limit" });
    expect(presentPages(as, [0x10000n, 0x11000n, 0x12000n, 0x13000n])).toEqual([0x10000n, 0x11000n, 0x12000n]);
    // Present pages cost nothing: a limit of 0 is enough when nothing is missing.
    expect(as.populate(0x10000n, 0x13000n, 0n)).toEqual({ mapped: [] });
  });
});

describe("handle_page_fault", () => {
  it("makes a lazy page present when the area allows the access", () => {
    const as = space(5n);
    area(as, 0x10000n, 2n, "rw", { eager: false });
    expect(as.handlePageFault(0x11234n, "write")).toBe("mapped");
    expect(presentPages(as, [0x10000n, 0x11000n])).toEqual([0x11000n]);
    expect(as.presentCount).toBe(1n);
    expect(as.freeFrames).toBe(4n);
  });

  it("is false outside the address space", () => {
    const as = space();
    expect(as.handlePageFault(0x0n, "read")).toBe("no-area");
    expect(as.handlePageFault(0xfffn, "read")).toBe("no-area");
    expect(as.handlePageFault(END, "read")).toBe("no-area");
    expect(as.handlePageFault(0xffff_ffff_ffff_f000n, "read")).toBe("no-area");
  });

  it("is false where no area holds the address", () => {
    const as = space();
    area(as, 0x10000n, 1n, "rw", { eager: false });
    expect(as.handlePageFault(0x11000n, "read")).toBe("no-area");
    expect(as.presentCount).toBe(0n);
  });

  it("is false when the area lacks the access, taking no frame", () => {
    const as = space(3n);
    area(as, 0x10000n, 1n, "r", { eager: false });
    expect(as.handlePageFault(0x10000n, "write")).toBe("no-permission");
    expect(as.handlePageFault(0x10000n, "execute")).toBe("no-permission");
    expect(as.isPresent(0x10000n)).toBe(false);
    expect(as.freeFrames).toBe(3n);
  });

  it("is false when no frame is free", () => {
    const as = space(0n);
    area(as, 0x10000n, 1n, "rw", { eager: false });
    expect(as.handlePageFault(0x10000n, "read")).toBe("no-frame");
    expect(as.isPresent(0x10000n)).toBe(false);
    expect(as.presentCount).toBe(0n);
  });

  it("takes no second frame for a page already present", () => {
    const as = space(1n);
    area(as, 0x10000n, 1n, "rw", { eager: false });
    expect(as.handlePageFault(0x10000n, "read")).toBe("mapped");
    expect(as.handlePageFault(0x10fffn, "write")).toBe("present");
    expect(as.presentCount).toBe(1n);
    expect(as.freeFrames).toBe(0n);
  });
});

describe("changes to the map", () => {
  it("unmap splits an area at both edges and frees the frames of the removed part", () => {
    const as = space(10n);
    area(as, 0x10000n, 4n, "rw", { name: "buf" });
    expect(as.freeFrames).toBe(6n);
    as.unmap(0x11000n, 0x13000n);
    expect(areas(as)).toEqual(["0x10000..0x11000 rw buf", "0x13000..0x14000 rw buf"]);
    expect(as.presentCount).toBe(2n);
    expect(as.freeFrames).toBe(8n);
    expect(presentPages(as, [0x10000n, 0x11000n, 0x12000n, 0x13000n])).toEqual([0x10000n, 0x13000n]);
    expect(as.checkRegionAccess(0x10000n, 0x10001n, ["read"])).toBe(true);
    expect(as.checkRegionAccess(0x11000n, 0x11001n, ["read"])).toBe(false);
  });

  it("unmap over several areas and a gap ignores the gap", () => {
    const as = space();
    area(as, 0x10000n, 2n, "rw", { eager: false, present: [0x11000n] });
    area(as, 0x14000n, 2n, "r");
    as.unmap(0x11000n, 0x15000n);
    expect(areas(as)).toEqual(["0x10000..0x11000 rw", "0x15000..0x16000 r"]);
    expect(as.presentCount).toBe(1n);
    expect(recount(as)).toBe(1n);
    // A range with no area at all changes nothing.
    as.unmap(0x40000n, 0x50000n);
    expect(areas(as)).toEqual(["0x10000..0x11000 rw", "0x15000..0x16000 r"]);
  });

  it("unmap drops the backing bytes: a later map of the range reads zeros", () => {
    const as = space();
    area(as, 0x10000n, 1n, "rw");
    as.writeBytes(0x10010n, new TextEncoder().encode("hi"));
    expect(text(as.readBytes(0x10010n, 2))).toBe("hi");
    as.unmap(0x10000n, 0x11000n);
    area(as, 0x10000n, 1n, "rw");
    expect([...as.readBytes(0x10010n, 2)]).toEqual([0, 0]);
  });

  it("protect splits at its edges, changes only the inside, and leaves pages present", () => {
    const as = space();
    area(as, 0x10000n, 3n, "rw", { eager: false, present: [0x10000n, 0x11000n], name: "b" });
    as.protect(0x11000n, 0x12000n, perm("r"));
    expect(areas(as)).toEqual(["0x10000..0x11000 rw b", "0x11000..0x12000 r b", "0x12000..0x13000 rw b"]);
    expect(presentPages(as, [0x10000n, 0x11000n, 0x12000n])).toEqual([0x10000n, 0x11000n]);
    expect(as.checkRegionAccess(0x10000n, 0x13000n, ["read"])).toBe(true);
    expect(as.checkRegionAccess(0x10000n, 0x13000n, ["read", "write"])).toBe(false);
    expect(as.accessible(0x11000n, "read")).toBe(true);
    expect(as.accessible(0x11000n, "write")).toBe(false);
    // No permission at all: still present, not accessible.
    as.protect(0x10000n, 0x11000n, perm(""));
    expect(as.isPresent(0x10000n)).toBe(true);
    expect(as.accessible(0x10000n, "read")).toBe(false);
    expect(as.presentCount).toBe(2n);
    expect(recount(as)).toBe(2n);
  });

  it("protect ignores the parts of its range with no area", () => {
    const as = space();
    area(as, 0x10000n, 1n, "rw");
    as.protect(0xe000n, 0x12000n, perm("rx"));
    expect(areas(as)).toEqual(["0x10000..0x11000 rx"]);
  });

  it("evict makes pages not present, frees their frames and keeps their bytes", () => {
    const as = space(4n);
    area(as, 0x10000n, 3n, "rw");
    as.writeBytes(0x11ffen, new TextEncoder().encode("abcd"));
    expect(as.freeFrames).toBe(1n);
    expect(as.evict(0x11000n, 0x13000n)).toBe(2n);
    expect(presentPages(as, [0x10000n, 0x11000n, 0x12000n])).toEqual([0x10000n]);
    expect(as.presentCount).toBe(1n);
    expect(as.freeFrames).toBe(3n);
    expect(areas(as)).toEqual(["0x10000..0x13000 rw"]);
    // Evicting again finds nothing.
    expect(as.evict(0x11000n, 0x13000n)).toBe(0n);
    // The next fault brings the bytes back.
    expect(as.handlePageFault(0x12000n, "read")).toBe("mapped");
    expect(text(as.readBytes(0x11ffen, 4))).toBe("abcd");
    expect(as.presentCount).toBe(2n);
    expect(recount(as)).toBe(2n);
  });

  it("evict of a lazy area takes only its present pages", () => {
    const as = space();
    area(as, 0x10000n, 4n, "rw", { eager: false, present: [0x10000n, 0x12000n, 0x13000n] });
    expect(as.evict(0x11000n, 0x14000n)).toBe(2n);
    expect(presentPages(as, [0x10000n, 0x11000n, 0x12000n, 0x13000n])).toEqual([0x10000n]);
    expect(as.presentCount).toBe(1n);
  });

  it("an eager area gets its pages present while frames last", () => {
    const as = space(2n);
    area(as, 0x10000n, 3n, "rw");
    expect(presentPages(as, [0x10000n, 0x11000n, 0x12000n])).toEqual([0x10000n, 0x11000n]);
    expect(as.freeFrames).toBe(0n);
    expect(as.presentCount).toBe(2n);
    expect(recount(as)).toBe(2n);
  });

  it("a lazy area's present pages take frames only while frames last (presentCount never above the frame limit)", () => {
    // semantics.md §1: "`machine.frames` ... caps the frames in use"; "when none is free, making a page present fails".
    const as = space(1n);
    area(as, 0x10000n, 3n, "rw", { eager: false, present: [0x10000n, 0x11000n, 0x12000n] });
    expect(as.presentCount).toBe(1n);
    expect(as.freeFrames).toBe(0n);
  });

  it("sorts areas by address whatever the order they were added in", () => {
    const as = space();
    area(as, 0x30000n, 1n, "r");
    area(as, 0x10000n, 1n, "rw");
    area(as, 0x20000n, 1n, "x");
    expect(areas(as)).toEqual(["0x10000..0x11000 rw", "0x20000..0x21000 x", "0x30000..0x31000 r"]);
    expect(as.checkRegionAccess(0x10000n, 0x10000n, ["read"])).toBe(true);
  });
});

describe("backing bytes", () => {
  it("writes only the bytes that fall inside an area", () => {
    const as = space();
    area(as, 0x10000n, 1n, "rw", { eager: false });
    as.writeBytes(0x10ffdn, new TextEncoder().encode("abcdef"));
    expect(text(as.readBytes(0x10ffdn, 3))).toBe("abc");
    // Mapping the page after: what fell in the gap was never stored.
    area(as, 0x11000n, 1n, "rw");
    expect([...as.readBytes(0x11000n, 3)]).toEqual([0, 0, 0]);
  });

  it("writes into pages that are not present, across a page boundary", () => {
    const as = space();
    area(as, 0x10000n, 2n, "rw", { eager: false });
    as.writeBytes(0x10ffen, Uint8Array.from([1, 2, 3, 4]));
    expect(as.presentCount).toBe(0n);
    expect([...as.readBytes(0x10ffen, 4)]).toEqual([1, 2, 3, 4]);
  });

  it("fills a run of bytes, and fills with zero", () => {
    const as = space();
    area(as, 0x10000n, 3n, "rw");
    as.fill(0x10ff0n, 0x1020n, 0x41);
    expect([...as.readBytes(0x10fefn, 2)]).toEqual([0, 0x41]);
    expect([...as.readBytes(0x1200fn, 2)]).toEqual([0x41, 0]);
    as.fill(0x11000n, 4n, 0);
    expect([...as.readBytes(0x10fffn, 6)]).toEqual([0x41, 0, 0, 0, 0, 0x41]);
  });
});

describe("sparseness", () => {
  it("a 1 TiB lazy area is cheap to create and to touch at both ends", () => {
    const t0 = performance.now();
    const as = space();
    const start = 0x100_0000_0000n;
    const size = 1n << 40n;
    as.addArea({ name: "huge", start, end: start + size, perm: perm("rw"), eager: false });
    expect(as.handlePageFault(start, "write")).toBe("mapped");
    expect(as.handlePageFault(start + size - 1n, "read")).toBe("mapped");
    expect(as.presentCount).toBe(2n);
    expect(presentPages(as, [start, start + P, start + size - P])).toEqual([start, start + size - P]);
    expect(as.checkRegionAccess(start, start + size, ["read", "write"])).toBe(true);
    as.writeBytes(start + size - 2n, Uint8Array.from([7, 8]));
    expect([...as.readBytes(start + size - 2n, 2)]).toEqual([7, 8]);
    expect(as.evict(start, start + size)).toBe(2n);
    expect(presentPages(as, [start, start + size - P])).toEqual([]);
    expect(as.presentCount).toBe(0n);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it("a 1 TiB eager area is cheap to create, populate and split", () => {
    const t0 = performance.now();
    const as = space();
    const start = 0x100_0000_0000n;
    const size = 1n << 40n;
    area(as, start, size / P, "rw");
    expect(as.presentCount).toBe(size / P);
    expect(as.populate(start, start + size, NO_LIMIT)).toEqual({ mapped: [] });
    as.unmap(start + P, start + 2n * P);
    expect(as.presentCount).toBe(size / P - 1n);
    expect(as.areas.length).toBe(2);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

// A picture of the address space at one moment (areas, permissions, which
// pages are present), for renderers that draw the memory map. Sparse like the
// address space itself: an area lists only the pages that differ from its default.
import type { AddressSpace } from "./memory.js";

export interface AreaSnapshot {
  name?: string;
  start: bigint;
  end: bigint;
  /** `rwx` letters, `-` where a permission is missing. */
  perm: string;
  /** Whether a page not listed in `flipped` is present. */
  presentByDefault: boolean;
  /** Addresses of the pages whose presence differs from `presentByDefault`, ascending. */
  flipped: bigint[];
}

export interface MemorySnapshot {
  pageSize: bigint;
  areas: AreaSnapshot[];
}

export function snapshotOf(aspace: AddressSpace): MemorySnapshot {
  return {
    pageSize: aspace.pageSize,
    areas: aspace.areas.map((a) => ({
      ...(a.name !== undefined ? { name: a.name } : {}),
      start: a.start,
      end: a.end,
      perm: `${a.perm.read ? "r" : "-"}${a.perm.write ? "w" : "-"}${a.perm.execute ? "x" : "-"}`,
      presentByDefault: a.eager,
      flipped: [...a.flipped].map((p) => p * aspace.pageSize).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)),
    })),
  };
}

/** Whether the page at `page` (an address in the area) is present in the snapshot's area. */
export function pagePresent(a: AreaSnapshot, page: bigint): boolean {
  return a.presentByDefault !== a.flipped.includes(page);
}

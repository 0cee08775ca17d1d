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
  const P = aspace.pageSize;
  return {
    pageSize: P,
    areas: aspace.areas.map((a) => {
      // The present runs are copied now; the page list is made only when a picture asks (an evicted huge eager area lists every page).
      const runs = aspace.present.within(Number(a.start / P), Number(a.end / P));
      let flipped: bigint[] | undefined;
      const area = {
        ...(a.name !== undefined ? { name: a.name } : {}),
        start: a.start,
        end: a.end,
        perm: `${a.perm.read ? "r" : "-"}${a.perm.write ? "w" : "-"}${a.perm.execute ? "x" : "-"}`,
        presentByDefault: a.eager,
      } as AreaSnapshot;
      Object.defineProperty(area, "flipped", { enumerable: true, get: () => (flipped ??= flippedPages(a.start / P, a.end / P, runs, a.eager, P)) });
      return area;
    }),
  };
}

/** Pages of [lo, hi) whose presence differs from the area's default: the present ones of a lazy area, the absent ones of an eager one. */
function flippedPages(lo: bigint, hi: bigint, runs: readonly [number, number][], eager: boolean, P: bigint): bigint[] {
  const out: bigint[] = [];
  if (!eager) {
    for (const [s, e] of runs) for (let p = s; p < e; p++) out.push(BigInt(p) * P);
    return out;
  }
  let at = Number(lo);
  for (const [s, e] of [...runs, [Number(hi), Number(hi)] as [number, number]]) {
    for (let p = at; p < s; p++) out.push(BigInt(p) * P);
    at = e;
  }
  return out;
}

/** Whether the page at `page` (an address in the area) is present in the snapshot's area. */
export function pagePresent(a: AreaSnapshot, page: bigint): boolean {
  return a.presentByDefault !== a.flipped.includes(page);
}

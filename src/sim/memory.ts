// The user address space: areas, the page table, frames and backing bytes,
// and the axmm primitives. Sparse: cost grows with pages touched, never with
// an area's size.
import type { Perms } from "../scenario/schema.js";
import type { Access } from "./events.js";

export interface Area {
  name: string | undefined;
  start: bigint;
  end: bigint;
  perm: Perms;
  /** Pages are present unless listed in `flipped` (eager), or absent unless listed (lazy). */
  eager: boolean;
  flipped: Set<bigint>;
}

export type Populated = { mapped: bigint[]; error?: "ENOMEM" | "limit" };

export class AddressSpace {
  readonly areas: Area[] = [];
  /** Backing bytes by page number; a missing page reads as zeros. */
  private readonly backing = new Map<bigint, Uint8Array>();
  /** Backing pages still shared with the address space this one was forked from: copied before their first write. */
  private shared: Set<bigint> | undefined;
  /** Every backing page is in `shared` (so forking again needs no new set). */
  private sharesAll = false;
  private readonly zeroPage: Uint8Array;
  /** Free frames, or null for unlimited. */
  freeFrames: bigint | null;
  presentCount = 0n;

  constructor(
    readonly pageSize: bigint,
    readonly base: bigint,
    readonly end: bigint,
    frames: bigint | null,
    zeroPage?: Uint8Array,
  ) {
    this.freeFrames = frames;
    this.zeroPage = zeroPage ?? new Uint8Array(Number(pageSize));
  }

  /**
   * An independent copy in the same state. Backing pages are shared until
   * one side writes one (copy on write), so the many runs of an exploration
   * start from one prepared state without copying every page each time.
   */
  fork(): AddressSpace {
    const c = new AddressSpace(this.pageSize, this.base, this.end, this.freeFrames, this.zeroPage);
    c.presentCount = this.presentCount;
    for (const a of this.areas) c.areas.push({ ...a, flipped: new Set(a.flipped) });
    for (const [page, bytes] of this.backing) c.backing.set(page, bytes);
    c.shared = new Set(this.backing.keys());
    // This side shares them too from now on.
    if (!this.sharesAll) {
      this.shared = new Set(this.backing.keys());
      this.sharesAll = true;
    }
    return c;
  }

  /** The backing bytes of a page for writing: made (zeros) when missing, copied when shared. */
  private ownPage(page: bigint): Uint8Array {
    let buf = this.backing.get(page);
    if (buf && this.shared?.delete(page)) this.backing.set(page, (buf = buf.slice()));
    if (!buf) this.backing.set(page, (buf = new Uint8Array(Number(this.pageSize))));
    this.sharesAll = false;
    return buf;
  }

  pageOf(addr: bigint): bigint {
    return addr / this.pageSize;
  }

  areaAt(addr: bigint): Area | undefined {
    // Areas are few; a linear walk keeps the structure simple and exact.
    for (const a of this.areas) if (addr >= a.start && addr < a.end) return a;
    return undefined;
  }

  isPresent(addr: bigint): boolean {
    const a = this.areaAt(addr);
    return a !== undefined && this.presentIn(a, this.pageOf(addr));
  }

  private presentIn(a: Area, page: bigint): boolean {
    return a.eager !== a.flipped.has(page);
  }

  /** An access succeeds without a fault: the page is present and its area allows it. */
  accessible(addr: bigint, access: Access): boolean {
    const a = this.areaAt(addr);
    return a !== undefined && a.perm[access] && this.presentIn(a, this.pageOf(addr));
  }

  /** axmm's check_region_access: every byte of [start, end) in areas allowing every access; an empty range needs its start inside one. */
  checkRegionAccess(start: bigint, end: bigint, access: readonly Access[]): boolean {
    let at = start;
    for (const a of this.areas) {
      if (a.end <= at) continue;
      if (a.start > at || !access.every((x) => a.perm[x])) return false;
      at = a.end;
      if (at >= end) return true;
    }
    return false;
  }

  private takeFrame(): boolean {
    if (this.freeFrames === null) return true;
    if (this.freeFrames === 0n) return false;
    this.freeFrames -= 1n;
    return true;
  }

  private setPresent(a: Area, page: bigint, present: boolean): void {
    if (this.presentIn(a, page) === present) return;
    if (a.flipped.has(page)) a.flipped.delete(page);
    else a.flipped.add(page);
    this.presentCount += present ? 1n : -1n;
    if (!present && this.freeFrames !== null) this.freeFrames += 1n;
  }

  /** Pages of [start, end) that are not present, counted up to `atMost` (sparse: eager areas are not walked page by page). */
  pagesMissing(start: bigint, end: bigint, atMost: bigint): bigint {
    let n = 0n;
    const first = start / this.pageSize;
    const last = end / this.pageSize;
    for (const a of this.areas) {
      const lo = maxB(first, a.start / this.pageSize);
      const hi = minB(last, a.end / this.pageSize);
      if (lo >= hi) continue;
      let flipped = 0n;
      for (const p of a.flipped) if (p >= lo && p < hi) flipped++;
      n += a.eager ? flipped : hi - lo - flipped;
      if (n >= atMost) return n;
    }
    return n;
  }

  /**
   * axmm's populate_area over whole pages: in address order, stops at the
   * first page it cannot make present (ENOMEM), or before making present
   * more than `limit` pages (the caller's budget: "limit").
   */
  populate(start: bigint, end: bigint, limit: bigint): Populated {
    const mapped: bigint[] = [];
    for (let page = start; page < end; page += this.pageSize) {
      const a = this.areaAt(page);
      if (!a) return { mapped, error: "ENOMEM" };
      const p = this.pageOf(page);
      if (this.presentIn(a, p)) {
        // Skip the rest of an eager area with nothing evicted: nothing to do there.
        if (a.eager && a.flipped.size === 0) page = minB(a.end, end) - this.pageSize;
        continue;
      }
      if (BigInt(mapped.length) >= limit) return { mapped, error: "limit" };
      if (!this.takeFrame()) return { mapped, error: "ENOMEM" };
      this.setPresent(a, p, true);
      mapped.push(page);
    }
    return { mapped };
  }

  /** axmm's handle_page_fault: makes the page present when an area allows the access and a frame is free (true: "mapped" or "present"). */
  handlePageFault(addr: bigint, access: Access): "mapped" | "present" | "no-area" | "no-permission" | "no-frame" {
    if (addr < this.base || addr >= this.end) return "no-area";
    const a = this.areaAt(addr);
    if (!a) return "no-area";
    if (!a.perm[access]) return "no-permission";
    const p = this.pageOf(addr);
    if (this.presentIn(a, p)) return "present";
    if (!this.takeFrame()) return "no-frame";
    this.setPresent(a, p, true);
    return "mapped";
  }

  // ---- bytes ------------------------------------------------------------------

  /** The backing bytes of a page (shared zeros when never written): read-only to callers. */
  pageBytes(page: bigint): Uint8Array {
    return this.backing.get(page) ?? this.zeroPage;
  }

  readBytes(addr: bigint, n: number): Uint8Array {
    const out = new Uint8Array(n);
    let i = 0;
    while (i < n) {
      const a = addr + BigInt(i);
      const offset = Number(a % this.pageSize);
      const k = Math.min(n - i, Number(this.pageSize) - offset);
      out.set(this.pageBytes(this.pageOf(a)).subarray(offset, offset + k), i);
      i += k;
    }
    return out;
  }

  /** Stores bytes into backing memory, only where an area holds them at this moment. */
  writeBytes(addr: bigint, bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length) {
      const a = addr + BigInt(i);
      const page = this.pageOf(a);
      const offset = Number(a % this.pageSize);
      const n = Math.min(bytes.length - i, Number(this.pageSize) - offset);
      if (this.areaAt(a)) this.ownPage(page).set(bytes.subarray(i, i + n), offset);
      i += n;
    }
  }

  /** Fills `len` bytes with one value, page by page (a fill can be large). */
  fill(addr: bigint, len: bigint, byte: number): void {
    let a = addr;
    const end = addr + len;
    while (a < end) {
      const page = this.pageOf(a);
      const offset = Number(a % this.pageSize);
      const n = Number(minB(end - a, this.pageSize - BigInt(offset)));
      if (this.areaAt(a) && byte !== 0) this.ownPage(page).fill(byte, offset, offset + n);
      else if (byte === 0 && this.backing.has(page)) this.ownPage(page).fill(0, offset, offset + n);
      a += BigInt(n);
    }
  }

  // ---- changes to the map ---------------------------------------------------------

  /** Adds an area; its eager pages become present while frames last. */
  addArea(spec: { name: string | undefined; start: bigint; end: bigint; perm: Perms; eager: boolean; present?: readonly bigint[] }): void {
    const pages = (spec.end - spec.start) / this.pageSize;
    const area: Area = { name: spec.name, start: spec.start, end: spec.end, perm: spec.perm, eager: spec.eager, flipped: new Set() };
    if (spec.eager) {
      const free = this.freeFrames;
      if (free !== null && free < pages) {
        // Frames run out part-way: the first `free` pages are present, the rest are not.
        area.eager = false;
        for (let i = 0n; i < free; i++) area.flipped.add(this.pageOf(spec.start) + i);
        this.freeFrames = 0n;
        this.presentCount += free;
      } else {
        if (free !== null) this.freeFrames = free - pages;
        this.presentCount += pages;
      }
    } else {
      // Like eager pages, listed present pages take frames only while frames last.
      for (const p of spec.present ?? []) {
        if (area.flipped.has(this.pageOf(p)) || !this.takeFrame()) continue;
        area.flipped.add(this.pageOf(p));
        this.presentCount += 1n;
      }
    }
    this.areas.push(area);
    this.areas.sort((x, y) => (x.start < y.start ? -1 : 1));
  }

  /** Splits areas at `start` and `end` so that every area is inside or outside [start, end). */
  private splitAt(addr: bigint): void {
    const a = this.areaAt(addr);
    if (!a || a.start === addr) return;
    const cut = this.pageOf(addr);
    const right: Area = { ...a, start: addr, flipped: new Set([...a.flipped].filter((p) => p >= cut)) };
    a.end = addr;
    a.flipped = new Set([...a.flipped].filter((p) => p < cut));
    this.areas.splice(this.areas.indexOf(a) + 1, 0, right);
  }

  private inside(start: bigint, end: bigint): Area[] {
    this.splitAt(start);
    this.splitAt(end);
    return this.areas.filter((a) => a.start >= start && a.end <= end);
  }

  /** munmap: areas (or their parts) in the range disappear, with their frames and bytes. */
  unmap(start: bigint, end: bigint): void {
    for (const a of this.inside(start, end)) {
      const pages = (a.end - a.start) / this.pageSize;
      const present = a.eager ? pages - BigInt(a.flipped.size) : BigInt(a.flipped.size);
      this.presentCount -= present;
      if (this.freeFrames !== null) this.freeFrames += present;
      this.areas.splice(this.areas.indexOf(a), 1);
    }
    const first = start / this.pageSize;
    const last = end / this.pageSize;
    for (const p of [...this.backing.keys()])
      if (p >= first && p < last) {
        this.backing.delete(p);
        this.shared?.delete(p);
      }
  }

  /** mprotect: new permissions for the range; present pages stay present. */
  protect(start: bigint, end: bigint, perm: Perms): void {
    for (const a of this.inside(start, end)) a.perm = perm;
  }

  /** Eviction: pages become not present (frames freed), their bytes kept for the next fault. */
  evict(start: bigint, end: bigint): bigint[] {
    const evicted: bigint[] = [];
    const first = start / this.pageSize;
    const last = end / this.pageSize;
    for (const a of this.areas) {
      const lo = maxB(first, a.start / this.pageSize);
      const hi = minB(last, a.end / this.pageSize);
      if (lo >= hi) continue;
      if (a.eager) {
        // An eager area becomes lazy with every page but the evicted ones present (kept sparse: only when small).
        for (let p = lo; p < hi; p++) if (this.presentIn(a, p)) (this.setPresent(a, p, false), evicted.push(p * this.pageSize));
      } else {
        for (const p of [...a.flipped]) if (p >= lo && p < hi) (this.setPresent(a, p, false), evicted.push(p * this.pageSize));
      }
    }
    return evicted.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  }
}

export const minB = (a: bigint, b: bigint): bigint => (a < b ? a : b);
export const maxB = (a: bigint, b: bigint): bigint => (a > b ? a : b);

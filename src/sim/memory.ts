// The user address space: areas, the page table, frames and backing bytes,
// and the axmm primitives. Sparse: every action costs in proportion to its
// own range and to what lies in it (runs of present pages, fills, written
// blocks), never to an area's size or to the whole address space.
import { hex } from "../scenario/numbers.js";
import type { Perms } from "../scenario/schema.js";
import type { Access } from "./events.js";
import { Hasher } from "./fingerprint.js";
import { FillRuns, PageRuns, SortedKeys } from "./runs.js";

/** A written block's fingerprint, while the block is unchanged: forks share blocks, so their prints are made once. */
const BLOCK_PRINTS = new WeakMap<Uint8Array, { high: number; low: number }>();

/** Adds a block's fingerprint to `h`: its bytes hashed four at a time (a block is whole 32-bit words), kept while it is unchanged. */
function blockPrint(block: Uint8Array, h: Hasher): void {
  let p = BLOCK_PRINTS.get(block);
  if (p === undefined) {
    const b = new Hasher();
    if (block.byteOffset % 4 === 0 && block.length % 4 === 0) {
      const words = new Int32Array(block.buffer, block.byteOffset, block.length >> 2);
      for (let i = 0; i < words.length; i++) b.int(words[i] as number);
    } else b.bytes(block);
    BLOCK_PRINTS.set(block, (p = { high: b.high, low: b.low }));
  }
  h.int(p.high);
  h.int(p.low);
}

/** An area, never changed in place (replaced: forks share them). */
export interface Area {
  readonly name: string | undefined;
  readonly start: bigint;
  readonly end: bigint;
  readonly perm: Perms;
  /** How the area began: eager (every page present, while frames lasted) or lazy. Presence itself is in `present`; the memory map draws pages against this. */
  readonly eager: boolean;
}

export type Populated = { mapped: bigint[]; error?: "ENOMEM" | "limit" };

/** Blocks that small writes made from blocks no space owned (AddressSpace.writeShared): by block, then offset and bytes. */
const WRITTEN = new WeakMap<Uint8Array, Map<string, Uint8Array>>();
/** The longest write whose block is shared that way (its bytes are its key's text). */
const SHARED_WRITE = 64;

/** Written bytes are kept in blocks of this size whatever the page size: a one-byte write never costs a 64 KiB page. */
const BLOCK = 4096;
const BLOCK_N = BigInt(BLOCK);

export class AddressSpace {
  /** Sorted by start, never overlapping; shared with a fork (list and areas) until one side changes them. */
  private areaList: Area[] = [];
  private areasShared = false;

  /** The areas, sorted by start, never overlapping (not to be changed: a fork may share them). */
  get areas(): readonly Area[] {
    return this.areaList;
  }

  /** The areas, about to change: the list copied first when a fork shares it (an area is never changed in place, only replaced). */
  private ownAreas(): Area[] {
    if (this.areasShared) {
      this.areaList = this.areaList.slice();
      this.areasShared = false;
    }
    return this.areaList;
  }
  /** Present pages, by page number. */
  readonly present = new PageRuns();
  /** Backing bytes: fills as runs of one value, and the blocks that other writes touched (which hold every byte of their block). */
  private readonly fills = new FillRuns();
  private blocks = new Map<number, Uint8Array>();
  /** The map of blocks is shared with a fork until one side adds or drops one (then it is copied; the blocks stay shared). */
  private blocksShared = false;
  private readonly blockKeys = new SortedKeys();
  /** One read-only page per fill value, shared by every page that a single fill covers (and by forks: made when first needed, as an exploration makes a space per run). */
  private uniformPages: Map<number, Uint8Array> | undefined;
  private readonly P: number;
  /** Free frames, or null for unlimited. */
  freeFrames: bigint | null;
  presentCount = 0n;
  /** Bumped by every change but `freeFrames`: the fingerprint made before it is stale. */
  private mutations = 0;
  /** How many changes this space has had (all but a `frames` action's, which sets freeFrames): with freeFrames, equal counts on one space mean the same memory. */
  get changeCount(): number {
    return this.mutations;
  }

  /** Bumped by every change of the areas (the fingerprint's areas part is remade). */
  private areaChanges = 0;
  private parts: { version: number; areas: number; high: number; low: number } | undefined;

  constructor(
    readonly pageSize: bigint,
    readonly base: bigint,
    readonly end: bigint,
    frames: bigint | null,
  ) {
    this.freeFrames = frames;
    this.P = Number(pageSize);
  }

  /**
   * The written blocks this space may change in place: all of them (null) until it is first forked; after that
   * only those it copied or made since its last fork (undefined: none). The others are shared with a fork.
   */
  private mine: Set<number> | null | undefined = null;

  /**
   * An independent copy in the same state, for the many runs of an
   * exploration that start from one prepared state: the runs and areas are
   * copied (small), written blocks are shared until one side writes one.
   */
  fork(): AddressSpace {
    const c = new AddressSpace(this.pageSize, this.base, this.end, this.freeFrames);
    c.presentCount = this.presentCount;
    // Everything is shared until one side changes it: a fork costs what the two sides come to differ by.
    c.areaList = this.areaList;
    c.areasShared = this.areasShared = true;
    c.present.copyFrom(this.present);
    c.fills.copyFrom(this.fills);
    c.blockKeys.copyFrom(this.blockKeys);
    c.blocks = this.blocks;
    c.blocksShared = this.blocksShared = true;
    // Both sides share every block from now on (nothing to list: neither owns one until it copies it).
    this.mine = undefined;
    c.mine = undefined;
    // A uniform page depends on the page size and value only: forks share them (one per value, not one per run).
    c.uniformPages = this.uniformPages ??= new Map();
    c.uniformValues = this.uniformValues ??= new WeakMap();
    // Pages made up from these bytes are the same on both sides until one changes its bytes.
    c.madeUp = this.madeUp ??= new Map();
    c.templates = this.templates ??= new Map();
    c.mutations = this.mutations;
    c.version = this.version;
    c.areaChanges = this.areaChanges;
    c.parts = this.parts;
    return c;
  }

  /** The map of blocks, about to get or lose one: copied first when a fork shares it. */
  private ownBlocks(): Map<number, Uint8Array> {
    if (this.blocksShared) {
      this.blocks = new Map(this.blocks);
      this.blocksShared = false;
    }
    return this.blocks;
  }

  /** A written block about to change: copied first when a fork shares it. */
  private own(k: number, block: Uint8Array): Uint8Array {
    if (this.mine === null || this.mine?.has(k)) {
      // The caller changes it: a print made of it is stale (a shared block is copied instead, and keeps its print).
      BLOCK_PRINTS.delete(block);
      return block;
    }
    const copy = block.slice();
    this.ownBlocks().set(k, copy);
    (this.mine ??= new Set()).add(k);
    return copy;
  }

  pageOf(addr: bigint): bigint {
    return addr / this.pageSize;
  }

  /** The page number as a plain number (exact: below 2^52). */
  private index(addr: bigint): number {
    return Number(addr / this.pageSize);
  }

  /** Index of the first area that ends after `addr`. */
  private areaIndex(addr: bigint): number {
    let lo = 0;
    let hi = this.areas.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.areas[mid] as Area).end > addr) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  areaAt(addr: bigint): Area | undefined {
    const a = this.areas[this.areaIndex(addr)];
    return a !== undefined && a.start <= addr ? a : undefined;
  }

  isPresent(addr: bigint): boolean {
    return this.areaAt(addr) !== undefined && this.present.has(this.index(addr));
  }

  /** An access succeeds without a fault: the page is present and its area allows it. */
  accessible(addr: bigint, access: Access): boolean {
    const a = this.areaAt(addr);
    return a !== undefined && a.perm[access] && this.present.has(this.index(addr));
  }

  /** axmm's check_region_access: every byte of [start, end) in areas allowing every access; an empty range needs its start inside one. */
  checkRegionAccess(start: bigint, end: bigint, access: readonly Access[]): boolean {
    let at = start;
    for (let i = this.areaIndex(start); i < this.areas.length; i++) {
      const a = this.areas[i] as Area;
      if (a.start > at || !access.every((x) => a.perm[x])) return false;
      at = a.end;
      if (at >= end) return true;
    }
    return false;
  }

  /**
   * Why checkRegionAccess refused [start, end): the first address no area covers, or the first
   * area without the access. Looked for only after a refusal, so checks that pass cost nothing more.
   */
  regionRefusal(start: bigint, end: bigint, access: readonly Access[]): string {
    let at = start;
    for (let i = this.areaIndex(start); i < this.areas.length; i++) {
      const a = this.areas[i] as Area;
      if (a.start > at) break;
      const missing = access.filter((x) => !a.perm[x]);
      if (missing.length > 0) return `the area ${hex(a.start)}..${hex(a.end)} is ${permText(a.perm)}: no ${missing.join("+")} permission`;
      at = a.end;
      if (at >= end) return "";
    }
    return `no area at ${hex(at)}`;
  }

  /**
   * Why populate of [start, end) gave ENOMEM, looked for after it did: the first page not present
   * has no area (unmapped after the region check), or had no free frame.
   */
  populateRefusal(start: bigint, end: bigint): string {
    for (let page = start; page < end; page += this.pageSize) {
      if (!this.areaAt(page)) return `no area at ${hex(page)}: unmapped since the region check`;
      if (!this.present.has(this.index(page))) return `no free frame for the page ${hex(page)}`;
    }
    return "";
  }

  private takeFrame(): boolean {
    this.mutations++;
    if (this.freeFrames === null) return true;
    if (this.freeFrames === 0n) return false;
    this.freeFrames -= 1n;
    return true;
  }

  /** Makes [lo, hi) of page numbers present (frames already taken); counts them. */
  private addPresent(lo: number, hi: number): void {
    this.mutations++;
    this.presentCount += BigInt(this.present.add(lo, hi));
  }

  /** Makes [lo, hi) not present, giving their frames back; returns how many were. */
  private removePresent(lo: number, hi: number): bigint {
    this.mutations++;
    const n = BigInt(this.present.remove(lo, hi));
    this.presentCount -= n;
    if (this.freeFrames !== null) this.freeFrames += n;
    return n;
  }

  /** Pages of [start, end) that lie in areas and are not present, counted up to `atMost` (per area, not per page). */
  pagesMissing(start: bigint, end: bigint, atMost: bigint): bigint {
    let n = 0n;
    for (let i = this.areaIndex(start); i < this.areas.length; i++) {
      const a = this.areas[i] as Area;
      if (a.start >= end) break;
      const lo = this.index(a.start > start ? a.start : start);
      const hi = this.index(a.end < end ? a.end : end);
      if (lo >= hi) continue;
      n += BigInt(hi - lo - this.present.count(lo, hi));
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
    let page = this.index(start);
    const last = this.index(end);
    while (page < last) {
      const a = this.areaAt(BigInt(page) * this.pageSize);
      if (!a) return { mapped, error: "ENOMEM" };
      const areaEnd = Math.min(last, this.index(a.end));
      // Walk the gaps between present runs only: a present stretch is skipped in one go.
      for (let p = this.present.nextAbsent(page); p < areaEnd; p = this.present.nextAbsent(p)) {
        // A page that gets no frame is not made present, so it costs no unit: ENOMEM comes before the budget.
        if (this.freeFrames === 0n) return { mapped, error: "ENOMEM" };
        if (BigInt(mapped.length) >= limit) return { mapped, error: "limit" };
        this.takeFrame();
        this.addPresent(p, p + 1);
        mapped.push(BigInt(p) * this.pageSize);
      }
      page = areaEnd;
    }
    return { mapped };
  }

  /** axmm's handle_page_fault: makes the page present when an area allows the access and a frame is free (true: "mapped" or "present"). */
  handlePageFault(addr: bigint, access: Access): "mapped" | "present" | "no-area" | "no-permission" | "no-frame" {
    if (addr < this.base || addr >= this.end) return "no-area";
    const a = this.areaAt(addr);
    if (!a) return "no-area";
    if (!a.perm[access]) return "no-permission";
    const p = this.index(addr);
    if (this.present.has(p)) return "present";
    if (!this.takeFrame()) return "no-frame";
    this.addPresent(p, p + 1);
    return "mapped";
  }

  // ---- bytes ------------------------------------------------------------------

  private uniformPage(value: number): Uint8Array {
    const pages = (this.uniformPages ??= new Map());
    let page = pages.get(value);
    if (!page) {
      pages.set(value, (page = new Uint8Array(this.P).fill(value)));
      (this.uniformValues ??= new WeakMap()).set(page, value);
    }
    return page;
  }

  private uniformValues: WeakMap<Uint8Array, number> | undefined;

  /** The one value of every byte of a page that pageBytes gave, when it is a fill's shared page (a scan then need not look at its bytes). */
  uniformValue(bytes: Uint8Array): number | undefined {
    return this.uniformValues?.get(bytes);
  }

  /**
   * The backing bytes of a page, read-only to callers. A page that one fill
   * covers (or nothing: zeros) is a shared page of that value, so a scan of
   * a large fill neither copies nor allocates; others are made up on demand.
   */
  pageBytes(page: bigint | number): Uint8Array {
    const p = Number(page);
    const lo = BigInt(p) * this.pageSize;
    const hi = lo + this.pageSize;
    const firstBlock = p * (this.P / BLOCK); // p * P may pass 2^53; p * 16 never does
    const blocks = this.P / BLOCK;
    let written = false;
    for (let b = 0; b < blocks && !written; b++) written = this.blocks.has(firstBlock + b);
    if (!written) {
      const value = this.fills.uniform(lo, hi);
      if (value !== undefined) return this.uniformPage(value);
    }
    // With one block per page, the written block is the page: nothing to make up (it changes only through own(), a new array when shared).
    if (blocks === 1 && written) return this.blocks.get(firstBlock) as Uint8Array;
    // The last page made up is kept until the bytes change: a scan cut into one-element reads (a before-read action) makes it once.
    const kept = this.composed;
    if (kept !== undefined && kept.page === p && kept.version === this.version) return kept.bytes;
    // Forks of one start share the pages made up from its bytes while theirs are unchanged: an exploration's runs make each once.
    const shared = this.madeUp?.get(p);
    if (shared !== undefined) return shared;
    const out = new Uint8Array(this.P);
    for (const f of this.fills.within(lo, hi)) out.fill(f.value, Number(f.start - lo), Number(f.end - lo));
    for (let b = 0; b < blocks; b++) {
      const block = this.blocks.get(firstBlock + b);
      if (block) out.set(block, b * BLOCK);
    }
    this.composed = { page: p, version: this.version, bytes: out };
    this.madeUp?.set(p, out);
    return out;
  }

  /** Bumped by every change of backing bytes: a page made up before it is stale. */
  private version = 0;
  /** Blocks as the fills make them (block()'s start), shared with forks until this side's fills change. */
  private templates: Map<number, Uint8Array> | undefined;
  /** Pages made up from bytes this space shares with the space it was forked from (or that forked from it); dropped when its bytes change. */
  private madeUp: Map<number, Uint8Array> | undefined;

  /** Backing bytes are about to change: pages made up before are stale, and no longer shared. */
  private changing(): void {
    this.mutations++;
    this.version++;
    this.madeUp = undefined;
  }
  private composed: { page: number; version: number; bytes: Uint8Array } | undefined;

  readBytes(addr: bigint, n: number): Uint8Array {
    const out = new Uint8Array(n);
    let i = 0;
    while (i < n) {
      const a = addr + BigInt(i);
      const offset = Number(a % this.pageSize);
      const k = Math.min(n - i, this.P - offset);
      out.set(this.pageBytes(this.index(a)).subarray(offset, offset + k), i);
      i += k;
    }
    return out;
  }

  /** The written block holding byte `a` (made from the fills under it the first time). */
  private block(a: bigint): Uint8Array {
    const k = Number(a / BLOCK_N);
    const kept = this.blocks.get(k);
    if (kept) return this.own(k, kept);
    const block = this.template(k).slice();
    this.ownBlocks().set(k, block);
    if (this.mine !== null) (this.mine ??= new Set()).add(k);
    this.blockKeys.insert(k);
    return block;
  }

  /** Block k as the fills make it, not to be changed: forks share it while their fills are the same. */
  private template(k: number): Uint8Array {
    const templates = (this.templates ??= new Map());
    let t = templates.get(k);
    if (t === undefined) {
      t = new Uint8Array(BLOCK);
      const lo = BigInt(k) * BLOCK_N;
      for (const f of this.fills.within(lo, lo + BLOCK_N)) t.fill(f.value, Number(f.start - lo), Number(f.end - lo));
      templates.set(k, t);
    }
    return t;
  }

  /** Stores bytes into backing memory, only where an area holds them at this moment. */
  writeBytes(addr: bigint, bytes: Uint8Array): void {
    this.changing();
    let i = 0;
    while (i < bytes.length) {
      const a = addr + BigInt(i);
      const offset = Number(a % BLOCK_N);
      const n = Math.min(bytes.length - i, BLOCK - offset);
      if (this.areaAt(a)) {
        const part = bytes.subarray(i, i + n);
        if (!this.writeShared(Number(a / BLOCK_N), offset, part)) this.block(a).set(part, offset);
      }
      i += n;
    }
  }

  /**
   * A small write into a block this space does not own (in a fork): the
   * block that a fork writing the same bytes there made, shared (no space
   * owns it: the next write copies it), or one made and kept for the next.
   * An exploration's forks write the same race's bytes into the same block
   * thousands of times: each would copy 4 KiB and print it again.
   */
  private writeShared(k: number, offset: number, part: Uint8Array): boolean {
    if (this.mine === null || this.mine?.has(k) || part.length > SHARED_WRITE) return false;
    const kept = this.blocks.get(k);
    const from = kept ?? this.template(k);
    let made = WRITTEN.get(from);
    if (made === undefined) WRITTEN.set(from, (made = new Map()));
    const key = `${offset}:${part.join(",")}`;
    let block = made.get(key);
    if (block === undefined) {
      block = from.slice();
      block.set(part, offset);
      made.set(key, block);
    }
    this.ownBlocks().set(k, block);
    if (kept === undefined) this.blockKeys.insert(k);
    return true;
  }

  /** Fills `len` bytes with one value, where areas hold them: one run per area, whatever the length. */
  fill(addr: bigint, len: bigint, byte: number): void {
    this.changing();
    const end = addr + len;
    for (let i = this.areaIndex(addr); i < this.areas.length; i++) {
      const a = this.areas[i] as Area;
      if (a.start >= end) break;
      const lo = a.start > addr ? a.start : addr;
      const hi = a.end < end ? a.end : end;
      if (lo >= hi) continue;
      // Blocks made from the fills from now on are made from these.
      this.templates = undefined;
      this.fills.set(lo, hi, byte);
      // Blocks already written hold every byte of theirs: the fill goes into them too.
      for (const k of this.blockKeys.between(Number(lo / BLOCK_N), Number((hi + BLOCK_N - 1n) / BLOCK_N))) {
        const bLo = BigInt(k) * BLOCK_N;
        const block = this.own(k, this.blocks.get(k) as Uint8Array);
        block.fill(byte, Number((lo > bLo ? lo : bLo) - bLo), Number((hi < bLo + BLOCK_N ? hi : bLo + BLOCK_N) - bLo));
      }
    }
  }

  /** Forgets the backing bytes of [start, end) (page-aligned, so block-aligned). */
  private dropBytes(start: bigint, end: bigint): void {
    this.changing();
    this.templates = undefined;
    this.fills.set(start, end, 0);
    for (const k of this.blockKeys.removeBetween(Number(start / BLOCK_N), Number(end / BLOCK_N))) {
      this.ownBlocks().delete(k);
      this.mine?.delete(k);
    }
  }

  // ---- changes to the map ---------------------------------------------------------

  /** Adds an area; its eager pages become present while frames last. */
  addArea(spec: { name: string | undefined; start: bigint; end: bigint; perm: Perms; eager: boolean; present?: readonly bigint[] }): void {
    this.mutations++;
    this.areaChanges++;
    const lo = this.index(spec.start);
    const hi = this.index(spec.end);
    let eager = spec.eager;
    if (spec.eager) {
      const free = this.freeFrames;
      // Frames run out part-way: the first `free` pages are present, the rest are not.
      const n = free !== null && free < BigInt(hi - lo) ? Number(free) : hi - lo;
      // Frames ran out part-way: the area counts as lazy with its first pages present.
      if (n < hi - lo) eager = false;
      if (free !== null) this.freeFrames = free - BigInt(n);
      this.addPresent(lo, lo + n);
    } else {
      // Like eager pages, listed present pages take frames only while frames last.
      for (const addr of spec.present ?? []) {
        const p = this.index(addr);
        if (this.present.has(p) || !this.takeFrame()) continue;
        this.addPresent(p, p + 1);
      }
    }
    const area: Area = { name: spec.name, start: spec.start, end: spec.end, perm: spec.perm, eager };
    this.ownAreas().splice(this.areaIndex(spec.start), 0, area);
  }

  /** Splits the area holding `addr` there, so that every area is inside or outside a range starting or ending at it. */
  private splitAt(addr: bigint): void {
    this.mutations++;
    this.areaChanges++;
    const i = this.areaIndex(addr);
    const found = this.areaList[i];
    if (!found || found.start >= addr) return;
    const areas = this.ownAreas();
    const a = areas[i] as Area;
    areas.splice(i, 1, { ...a, end: addr }, { ...a, start: addr });
  }

  /** Indexes [i, j) of the areas inside [start, end), after splitting at its edges. */
  private inside(start: bigint, end: bigint): [number, number] {
    this.splitAt(start);
    this.splitAt(end);
    const i = this.areaIndex(start);
    let j = i;
    while (j < this.areas.length && (this.areas[j] as Area).end <= end) j++;
    return [i, j];
  }

  /** munmap: areas (or their parts) in the range disappear, with their frames and bytes. */
  unmap(start: bigint, end: bigint): void {
    const [i, j] = this.inside(start, end);
    if (j > i) this.ownAreas().splice(i, j - i);
    // Only pages inside areas are ever present or backed: clearing the whole range clears exactly the areas' parts.
    this.removePresent(this.index(start), this.index(end));
    this.dropBytes(start, end);
  }

  /** mprotect: new permissions for the range; present pages stay present. */
  protect(start: bigint, end: bigint, perm: Perms): void {
    this.mutations++;
    this.areaChanges++;
    const [i, j] = this.inside(start, end);
    const areas = j > i ? this.ownAreas() : this.areaList;
    for (let k = i; k < j; k++) areas[k] = { ...(areas[k] as Area), perm };
  }

  /**
   * Adds everything a later access can see (areas, present pages, frames,
   * bytes) to a state's fingerprint: equal spaces hash equally (written
   * blocks by their own fingerprints). The areas and the bytes change far
   * less often than presence (each fault), so their part is hashed once per
   * change of them, and kept.
   */
  hashInto(h: Hasher): void {
    const parts = this.parts;
    if (parts === undefined || parts.version !== this.version || parts.areas !== this.areaChanges) {
      const p = new Hasher();
      p.int(this.areas.length);
      for (const a of this.areas) {
        p.big(a.start);
        p.big(a.end);
        p.int((a.perm.read ? 1 : 0) | (a.perm.write ? 2 : 0) | (a.perm.execute ? 4 : 0) | (a.eager ? 8 : 0));
        p.string(a.name ?? "");
      }
      this.fills.hashInto(p);
      p.int(this.blockKeys.keys.length);
      for (const k of this.blockKeys.keys) {
        p.num(k);
        blockPrint(this.blocks.get(k) as Uint8Array, p);
      }
      this.parts = { version: this.version, areas: this.areaChanges, high: p.high, low: p.low };
    }
    if (this.freeFrames === null) h.int(-1);
    else h.big(this.freeFrames);
    this.present.hashInto(h);
    h.int((this.parts as { high: number }).high);
    h.int((this.parts as { low: number }).low);
  }

  /** Eviction: pages become not present (frames freed), their bytes kept for the next fault. Returns how many were present. */
  evict(start: bigint, end: bigint): bigint {
    return this.removePresent(this.index(start), this.index(end));
  }
}

export const minB = (a: bigint, b: bigint): bigint => (a < b ? a : b);
export const maxB = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/** Permissions as a trace shows them: r, w, x or -, in that order. */
function permText(p: Perms): string {
  return `${p.read ? "r" : "-"}${p.write ? "w" : "-"}${p.execute ? "x" : "-"}`;
}

// Sets of page numbers kept as sorted runs: what the address space uses for
// present pages, so that an action over a range costs in proportion to the
// runs it touches, never to the pages of an area or of the whole space.
// Page numbers are plain numbers: an address over the smallest page (4 KiB)
// is below 2^52, exact in a double.
import type { Hasher } from "./fingerprint.js";

/** A set of page numbers as sorted, disjoint, non-adjacent runs [start, end). */
export class PageRuns {
  private starts: number[] = [];
  private ends: number[] = [];
  /** The lists are shared with a copy (or its original): the first change copies them (an exploration forks at every point). */
  private shared = false;

  /** About to change: a list shared with a copy is copied first. */
  private own(): void {
    if (!this.shared) return;
    this.starts = this.starts.slice();
    this.ends = this.ends.slice();
    this.shared = false;
  }

  /** Index of the first run that ends after `p` (runs.length when none). */
  private after(p: number): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.ends[mid] as number) > p) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  has(p: number): boolean {
    const i = this.after(p);
    return i < this.starts.length && (this.starts[i] as number) <= p;
  }

  /** How many pages of [lo, hi) are in the set. */
  count(lo: number, hi: number): number {
    let n = 0;
    for (let i = this.after(lo); i < this.starts.length && (this.starts[i] as number) < hi; i++)
      n += Math.min(hi, this.ends[i] as number) - Math.max(lo, this.starts[i] as number);
    return n;
  }

  /** The first page at or after `p` that is not in the set. */
  nextAbsent(p: number): number {
    const i = this.after(p);
    return i < this.starts.length && (this.starts[i] as number) <= p ? (this.ends[i] as number) : p;
  }

  /** The first page at or after `p` that is in the set, or `limit` when none is below it. */
  nextPresent(p: number, limit: number): number {
    const i = this.after(p);
    if (i >= this.starts.length) return limit;
    return Math.min(limit, Math.max(p, this.starts[i] as number));
  }

  /** Adds [lo, hi) (merging with the runs it overlaps or touches); returns how many pages were new. */
  add(lo: number, hi: number): number {
    if (lo >= hi) return 0;
    // Runs i..j-1 overlap or touch [lo, hi).
    const i = this.after(lo - 1);
    let j = i;
    let covered = 0;
    while (j < this.starts.length && (this.starts[j] as number) <= hi) {
      covered += Math.min(hi, this.ends[j] as number) - Math.max(lo, this.starts[j] as number);
      j++;
    }
    this.own();
    if (i === j) {
      this.starts.splice(i, 0, lo);
      this.ends.splice(i, 0, hi);
      return hi - lo;
    }
    const start = Math.min(lo, this.starts[i] as number);
    const end = Math.max(hi, this.ends[j - 1] as number);
    // Touching runs add no overlap: `covered` counted only pages inside [lo, hi).
    this.starts[i] = start;
    this.ends[i] = end;
    if (j - i > 1) {
      this.starts.splice(i + 1, j - i - 1);
      this.ends.splice(i + 1, j - i - 1);
    }
    return hi - lo - Math.max(0, covered);
  }

  /** Removes [lo, hi); returns how many pages were in the set. */
  remove(lo: number, hi: number): number {
    if (lo >= hi) return 0;
    const i = this.after(lo);
    let j = i;
    let removed = 0;
    while (j < this.starts.length && (this.starts[j] as number) < hi) {
      removed += Math.min(hi, this.ends[j] as number) - Math.max(lo, this.starts[j] as number);
      j++;
    }
    if (i === j) return 0;
    this.own();
    const keepS: number[] = [];
    const keepE: number[] = [];
    if ((this.starts[i] as number) < lo) (keepS.push(this.starts[i] as number), keepE.push(lo));
    if ((this.ends[j - 1] as number) > hi) (keepS.push(hi), keepE.push(this.ends[j - 1] as number));
    this.starts.splice(i, j - i, ...keepS);
    this.ends.splice(i, j - i, ...keepE);
    return removed;
  }

  /** The runs overlapping [lo, hi), clipped to it, in order. */
  within(lo: number, hi: number): [number, number][] {
    const out: [number, number][] = [];
    for (let i = this.after(lo); i < this.starts.length && (this.starts[i] as number) < hi; i++)
      out.push([Math.max(lo, this.starts[i] as number), Math.min(hi, this.ends[i] as number)]);
    return out;
  }

  /** Becomes a copy of `other` (a fork of the address space): both share the lists until one changes. */
  copyFrom(other: PageRuns): void {
    this.starts = other.starts;
    this.ends = other.ends;
    this.shared = other.shared = true;
  }

  /** Adds the runs to a fingerprint. */
  hashInto(h: Hasher): void {
    h.int(this.starts.length);
    for (let i = 0; i < this.starts.length; i++) {
      h.num(this.starts[i] as number);
      h.num(this.ends[i] as number);
    }
  }

  /** Every run, in order (for tests and recounts). */
  *runs(): Generator<[number, number]> {
    for (let i = 0; i < this.starts.length; i++) yield [this.starts[i] as number, this.ends[i] as number];
  }
}

/** Sorted numbers (dense block indexes), for range queries in proportion to what they find. */
export class SortedKeys {
  private list: number[] = [];
  /** Shared with a copy (or its original) until one side changes it. */
  private shared = false;

  /** The keys, in order (not to be changed: a copy may share them). */
  get keys(): readonly number[] {
    return this.list;
  }

  /** Becomes a copy of `other`: both share the list until one changes. */
  copyFrom(other: SortedKeys): void {
    this.list = other.list;
    this.shared = other.shared = true;
  }

  private own(): number[] {
    if (this.shared) {
      this.list = this.list.slice();
      this.shared = false;
    }
    return this.list;
  }

  /** Index of the first key at or after `k`. */
  lowerBound(k: number): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.list[mid] as number) < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(k: number): void {
    const last = this.list[this.list.length - 1];
    if (last === undefined || last < k) this.own().push(k);
    else {
      const i = this.lowerBound(k);
      if (this.list[i] !== k) this.own().splice(i, 0, k);
    }
  }

  /** The keys in [lo, hi), in order. */
  between(lo: number, hi: number): number[] {
    const out: number[] = [];
    for (let i = this.lowerBound(lo); i < this.list.length && (this.list[i] as number) < hi; i++) out.push(this.list[i] as number);
    return out;
  }

  /** Removes the keys in [lo, hi) and returns them. */
  removeBetween(lo: number, hi: number): number[] {
    const i = this.lowerBound(lo);
    const j = this.lowerBound(hi);
    return i === j ? [] : this.own().splice(i, j - i);
  }
}

/** Byte ranges of one value each (fills), sorted and disjoint; bytes outside every run read as zero. */
export class FillRuns {
  private starts: bigint[] = [];
  private ends: bigint[] = [];
  private values: number[] = [];
  /** Shared with a copy (or its original) until one side changes them. */
  private shared = false;

  /** Index of the first run that ends after `a`. */
  private after(a: bigint): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.ends[mid] as bigint) > a) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Becomes a copy of `other` (a fork of the address space): both share the lists until one changes. */
  copyFrom(other: FillRuns): void {
    this.starts = other.starts;
    this.ends = other.ends;
    this.values = other.values;
    this.shared = other.shared = true;
  }

  /** Adds the runs to a fingerprint. */
  hashInto(h: Hasher): void {
    h.int(this.starts.length);
    for (let i = 0; i < this.starts.length; i++) {
      h.big(this.starts[i] as bigint);
      h.big(this.ends[i] as bigint);
      h.int(this.values[i] as number);
    }
  }

  /** Sets [lo, hi) to `value` (0 removes: zero is what no run means). */
  set(lo: bigint, hi: bigint, value: number): void {
    if (lo >= hi) return;
    const i = this.after(lo);
    let j = i;
    while (j < this.starts.length && (this.starts[j] as bigint) < hi) j++;
    const s: bigint[] = [];
    const e: bigint[] = [];
    const v: number[] = [];
    if (i < j && (this.starts[i] as bigint) < lo) (s.push(this.starts[i] as bigint), e.push(lo), v.push(this.values[i] as number));
    if (value !== 0) (s.push(lo), e.push(hi), v.push(value));
    if (i < j && (this.ends[j - 1] as bigint) > hi) (s.push(hi), e.push(this.ends[j - 1] as bigint), v.push(this.values[j - 1] as number));
    if (this.shared) {
      this.starts = this.starts.slice();
      this.ends = this.ends.slice();
      this.values = this.values.slice();
      this.shared = false;
    }
    this.starts.splice(i, j - i, ...s);
    this.ends.splice(i, j - i, ...e);
    this.values.splice(i, j - i, ...v);
  }

  /** The runs overlapping [lo, hi), clipped to it. */
  within(lo: bigint, hi: bigint): { start: bigint; end: bigint; value: number }[] {
    const out: { start: bigint; end: bigint; value: number }[] = [];
    for (let i = this.after(lo); i < this.starts.length && (this.starts[i] as bigint) < hi; i++) {
      const s = this.starts[i] as bigint;
      const e = this.ends[i] as bigint;
      out.push({ start: s > lo ? s : lo, end: e < hi ? e : hi, value: this.values[i] as number });
    }
    return out;
  }

  /** The value of every byte of [lo, hi) when one run covers it all (0 when none touches it), else undefined. */
  uniform(lo: bigint, hi: bigint): number | undefined {
    const i = this.after(lo);
    if (i >= this.starts.length || (this.starts[i] as bigint) >= hi) return 0;
    return (this.starts[i] as bigint) <= lo && (this.ends[i] as bigint) >= hi ? (this.values[i] as number) : undefined;
  }
}

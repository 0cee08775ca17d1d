// The exploration (explore.md sections 3 to 5) at the cost of the distinct
// states, not of the schedules. A schedule is a path through one run that
// forks at each point occurrence: fire a race not yet placed there (in file
// order), or go on. From equal states (Machine.print: memory, flags, locks,
// the operation's progress and what it has read, the races still to place)
// the futures are equal, so each state's sub-result is worked out once and
// reused: per number of pairs still to place, how many schedules and, per
// class and per residue of their index, how many and the least; a state met
// again with a later first race placeable takes its forks from that race on
// from the first meeting's, and never runs (Node). Section 3's
// order is by length, then pair by pair (position, then race), so within
// one length a fork's subtree is one contiguous stretch: fire r1, fire r2,
// ..., go on; a schedule's index is its length's offset plus the offsets of
// the stretches before it. The reference (reference.ts) runs every schedule;
// the tests hold this one to it byte for byte.
import type { HazardKind } from "../scenario/schema.js";
import type { Scenario } from "../scenario/validate.js";
import type { Outcome } from "../sim/events.js";
import type { Fork, ForkAt, PointProbe, Started } from "../sim/injector.js";
import { kernelProfile, type ClosedAt } from "../sim/kernels/index.js";
import type { Trace } from "../sim/events.js";
import { MAX_EVENTS, TraceTooLarge } from "../sim/machine.js";
import { initialMemory, simulate } from "../sim/simulate.js";
import type { AddressSpace } from "../sim/memory.js";
import type { StrategyName } from "../sim/simulate.js";
import type { Occurrence } from "./occurrence.js";
import { exploreReference } from "./reference.js";
import { exploreSettings, TooManySchedules, type ExploreClass, type ExploreOptions, type ExploreResult, type Shard } from "./result.js";
import { raceEvent, raceEvents, raceFilter, tokenOf, type Pair, type RaceFilter } from "./schedule.js";
import { summarize } from "./signature.js";

export { DEFAULT_MAX_SCHEDULES, TooManySchedules } from "./result.js";
export type { ExploreClass, ExploreOptions, ExploreResult, Shard, Parallel } from "./result.js";

/** A witness as pairs from a fork on, shared between the sub-results that hold it. */
interface Witness {
  race: number;
  occ: Occurrence;
  next: Witness | null;
}

/** The schedules of one class whose index has one residue (modulo the shard count): how many, the least index, its schedule. */
interface Entry {
  count: number;
  min: number;
  wit: Witness | null;
}

/** An outcome class, numbered in the order the exploration meets them (cells of a band are indexed by it). */
interface Cls {
  key: string;
  outcome: Outcome;
  hazards: HazardKind[];
}

/**
 * The schedules of a subtree with a given number of pairs still to place,
 * indexes counted from the subtree's first: per class and residue of the
 * index (cell `class * n + residue`, n the shard count), how many and the least.
 */
interface Band {
  total: number;
  cells: (Entry | undefined)[];
}

/**
 * A subtree's result: bands[l] for l more pairs; the most events a run under
 * it ends with; the most units of work one spends, and whether one ran out
 * of budget (then its result depended on the units spent before it).
 */
interface Sub {
  bands: Band[];
  maxEvents: number;
  maxUnits: bigint;
  limited: boolean;
}

/** A fork: race `race` fired at `occ`, and what follows. */
interface Child {
  race: number;
  occ: Occurrence;
  sub: Sub;
}

/** A state's key: its fingerprint's two halves. */
interface Key {
  high: number;
  low: number;
}

/** A sub-result worked out, with its state's other half (states whose high halves are equal share a bucket). */
interface Known {
  low: number;
  sub: Sub;
  events: number;
  units: bigint;
}

/** A point the run reached from a fork: its state's key (undefined: merged with none) and its key but for the first race placeable (`core`), its forks (races from `from` on). */
interface Link {
  key: Key | undefined;
  core: Key | undefined;
  from: number;
  children: Child[];
  events: number;
  units: bigint;
}

/**
 * A point's forks and what follows them, by the state's key but for the
 * first race still placeable there: another run that comes to the same state
 * with a later first race has the same forks from that race on, and the same
 * rest, so its result is theirs combined, and it never runs.
 */
interface Node {
  low: number;
  from: number;
  children: Child[];
  next: Sub;
  events: number;
  units: bigint;
}

/** A point's state as the memo sees it: its key (undefined: merged with none), the units spent, the sub-result of an equal state known. */
interface Look {
  key: Key | undefined;
  core: Key | undefined;
  units: bigint;
  hit: Sub | undefined;
}

const NO_LOOK: Look = { key: undefined, core: undefined, units: 0n, hit: undefined };

/** A schedule counted, not run (Engine.countOnly). */
const COUNTED: Sub = { bands: [{ total: 1, cells: [] }], maxEvents: 0, maxUnits: 0n, limited: false };

/** How a subtree's run begins: a copy started at its last pair's point, or a copy's run from there (the probe given). */
type Start = Started | ((probe: PointProbe) => Trace);

/** The engine cannot give the reference's exact answer here (a trace near its cap): the reference runs instead. */
class Fallback extends Error {}

/** Thrown from a probe to stop a run that reached a state already worked out. */
class Stop {}

/** Close to the cap, event counts (not part of a state) could tell merged runs apart: the reference decides. */
const EVENT_MARGIN = 10_000;

/** Adds `from` to `into`, its indexes moved by `offset`, its witnesses after `pair` when one is given. */
function addShifted(into: Band, from: Band, offset: number, pair: Child | undefined, n: number): void {
  into.total += from.total;
  const shift = n === 1 ? 0 : offset % n;
  for (let i = 0; i < from.cells.length; i++) {
    const e = from.cells[i];
    if (e === undefined) continue;
    const r = n === 1 ? 0 : i % n;
    const j = i - r + ((r + shift) % n);
    const min = e.min + offset;
    const k = into.cells[j];
    if (k === undefined) into.cells[j] = { count: e.count, min, wit: pair ? { race: pair.race, occ: pair.occ, next: e.wit } : e.wit };
    else {
      k.count += e.count;
      if (min < k.min) Object.assign(k, { min, wit: pair ? { race: pair.race, occ: pair.occ, next: e.wit } : e.wit });
    }
  }
}

/**
 * How many cells band `l` of a node needs (whole classes of `n`): made that
 * long at once, since the memo keeps every band and V8 grows an array written
 * past its end by half and 16 more (the path at depth 3: about 10 MB less).
 */
function cellsOf(children: readonly Child[], rest: Band | undefined, l: number, n: number): number {
  let len = rest === undefined ? 0 : rest.cells.length;
  for (const c of children) {
    const b = c.sub.bands[l - 1];
    if (b !== undefined && b.cells.length > len) len = b.cells.length;
  }
  return n === 1 ? len : Math.ceil(len / n) * n;
}

/** A node's result: its forks in order (each one pair more), then going on (`rest`); `levels`: the most pairs still to place. */
function combine(children: readonly Child[], rest: Sub, levels: number, n: number): Sub {
  if (children.length === 0) return rest;
  const bands: Band[] = [rest.bands[0] as Band];
  let { maxEvents, maxUnits, limited } = rest;
  for (const c of children) {
    maxEvents = Math.max(maxEvents, c.sub.maxEvents);
    if (c.sub.maxUnits > maxUnits) maxUnits = c.sub.maxUnits;
    limited ||= c.sub.limited;
  }
  for (let l = 1; l <= levels; l++) {
    const band: Band = { total: 0, cells: new Array<Entry | undefined>(cellsOf(children, rest.bands[l], l, n)) };
    let offset = 0;
    for (const c of children) {
      const b = c.sub.bands[l - 1];
      if (b === undefined || b.total === 0) continue;
      addShifted(band, b, offset, c, n);
      offset += b.total;
    }
    const b = rest.bands[l];
    if (b !== undefined && b.total > 0) addShifted(band, b, offset, undefined, n);
    bands.push(band);
  }
  return { bands, maxEvents, maxUnits, limited };
}

function popcount(x: number): number {
  let n = 0;
  for (let y = x; y !== 0; y &= y - 1) n++;
  return n;
}

function occurrenceOf(thread: string, step: number, at: Occurrence["at"], k: bigint | undefined, closed?: ClosedAt): Occurrence {
  const o: Occurrence = k === undefined ? { thread, step, at } : { thread, step, at, k };
  // What the kernel keeps from happening there (kernels.md section 4): the races' filters read it.
  if (closed !== undefined) o.closed = closed;
  return o;
}

function sameOccurrence(o: Occurrence, thread: string, step: number, at: Occurrence["at"], k: bigint | undefined): boolean {
  return o.thread === thread && o.step === step && o.at === at && o.k === k;
}

/** Works out sub-results from forks, merging equal states. */
class Engine {
  /** Sub-results by state: by the high half of its fingerprint, then the low. */
  private readonly memo = new Map<number, Known[]>();
  /** Points' forks and rests by state but for the first race placeable (Node): by the high half, then the low. */
  private readonly nodes = new Map<number, Node[]>();
  private readonly start: AddressSpace;
  /** The kernel retries a fault it cannot resolve (kernels.md section 2): its handler keeps a count the state does not show. */
  private readonly retries: boolean;
  /** The classes met so far, in that order, and their numbers by signature. */
  readonly classes: Cls[] = [];
  private readonly classIds = new Map<string, number>();
  /** Distinct states worked out (points reached and not merged with one known). */
  states = 0;
  /** Schedules whose results are known (the start's forks done so far), for the progress line. */
  covered = 1;
  /** The schedules of length 1 in order, each with its subtree (the guard's count before the full depth). */
  readonly firsts: Sub[] = [];
  /** Told of each schedule of length 1's subtree as soon as it is worked out, in order (the guard's early refusal). */
  onFirst: ((sub: Sub) => void) | undefined;
  /** Schedules of the full depth are counted, not run (the guard's figures: no classes). */
  countOnly = false;

  constructor(
    private readonly s: Scenario,
    private readonly strategy: StrategyName,
    private readonly depth: number,
    private readonly filters: readonly RaceFilter[],
    readonly n: number,
    private readonly tick: (() => void) | undefined,
    /** Forks go on in copies of the run (false: each schedule from the start, as a check of the copies). */
    private readonly live = true,
  ) {
    this.start = initialMemory(s);
    this.budget = s.machine.budget;
    this.races = s.races;
    this.retries = kernelProfile(s.machine.kernel).unresolved === "retry";
    this.readsWanted = s.races.some((r) => r.at === undefined || r.at.includes("before-read"));
  }

  private readonly budget: bigint;
  private readonly races: Scenario["races"];

  /** Some race may fire at a before-read point (one for each element a scan or use reads). */
  private readonly readsWanted: boolean;

  /**
   * The result of the subtree after `pairs` (its last pair just fired; none:
   * the start): from a copy started at that pair's point, from a copy's run
   * (`entry`), or from the start.
   */
  solve(pairs: readonly Pair[], used: number, entry?: Start, first?: Look): Sub {
    const k = pairs.length;
    const last = pairs[k - 1];
    const levels = this.depth - k;
    let active = k === 0;
    const chain: Link[] = [];
    let hit: Sub | undefined;
    // The last point reached (kept as its parts: made an occurrence only if the run ends there), and whether its events all fired (the run may end in one of them).
    let bThread = "";
    let bStep = 0;
    let bAt: Occurrence["at"] | undefined;
    let bCount: bigint | undefined;
    let bClosed: ClosedAt | undefined;
    let fired = true;
    const stop = new Stop();
    const probe: PointProbe = {
      before: (thread, step, at, count, closed) => {
        if (!active && last !== undefined && !sameOccurrence(last.occ, thread, step, at, count)) return;
        bThread = thread;
        bStep = step;
        bAt = at;
        bCount = count;
        bClosed = closed;
        fired = false;
      },
      after: (thread, step, at, count, closed, print, events, fork) => {
        fired = true;
        let from = 0;
        if (!active) {
          if (last === undefined || !sameOccurrence(last.occ, thread, step, at, count)) return;
          active = true;
          from = last.race + 1;
        }
        const look = this.look(k, used, from, thread, step, at, count, closed, print, events);
        if (look.hit !== undefined) {
          hit = look.hit;
          throw stop;
        }
        visit(occurrenceOf(thread, step, at, count, closed), look, events, fork, from);
      },
      // Each element's before-read is a point only where some race may take one: a scan no race can stop in runs through.
      perElement: () => active && this.readsWanted,
      end: (units) => {
        finalUnits = units;
      },
    };
    // A point whose state is new: it is forked there, and its link's result is worked out once the run is over.
    const visit = (occ: Occurrence, look: Look, events: number, fork: ForkAt, from: number): void => {
      this.states++;
      this.tick?.();
      const children = this.forks(pairs, used, occ, from, fork);
      if (k === 0)
        for (const c of children) {
          for (const b of c.sub.bands) this.covered += b.total;
          this.onFirst?.(c.sub);
        }
      chain.push({ key: look.key, core: look.core, from, children, events, units: look.units });
    };
    let finalUnits = 0n;
    let rest: Sub;
    try {
      let trace: Trace;
      if (typeof entry === "object") {
        // A copy stopped just after its pair's point, whose state (`first`) is new: forked there, then it runs on.
        active = true;
        visit((last as Pair).occ, first as Look, entry.events, () => entry.fork(), (last as Pair).race + 1);
        trace = entry.run(probe);
      }
      // A fork goes on in a copy of its parent's run where the parent can be copied there; else the schedule runs from the start.
      else trace = entry ? entry(probe) : simulate(this.s, { strategy: this.strategy, keepEvents: false, start: this.start, races: raceEvents(this.s, pairs), probe });
      if (trace.summary.events > MAX_EVENTS - EVENT_MARGIN) throw new Fallback();
      // Counting has no classes to keep: the run is one schedule, whatever it came to.
      rest = { bands: this.countOnly ? COUNTED.bands : this.leaf(this.classOf(summarize(trace))), maxEvents: trace.summary.events, maxUnits: finalUnits, limited: trace.outcome === "step-limit" };
      if (!fired && bAt !== undefined) {
        // The run ended while a point's events fired: races not yet placed there may still be, and change nothing.
        const from = active ? 0 : (last as Pair).race + 1;
        const ended = this.ended(rest, occurrenceOf(bThread, bStep, bAt, bCount, bClosed), from, used, k);
        if (k === 0)
          for (const c of ended.children) {
            this.firsts.push(c.sub);
            this.onFirst?.(c.sub);
          }
        rest = ended.sub;
      } else if (!active) throw new Error("explore: a fork's run never reached the point it forked at");
    } catch (e) {
      if (e !== stop) throw e;
      rest = hit as Sub;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const link = chain[i] as Link;
      if (link.core !== undefined && link.children.length > 0) {
        const node = { low: link.core.low, from: link.from, children: link.children, next: rest, events: link.events, units: link.units };
        const nodes = this.nodes.get(link.core.high);
        if (nodes === undefined) this.nodes.set(link.core.high, [node]);
        else nodes.push(node);
      }
      rest = combine(link.children, rest, levels, this.n);
      if (link.key !== undefined) this.remember(link.key, { low: link.key.low, sub: rest, events: link.events, units: link.units });
    }
    if (k === 0) {
      const firsts = chain.flatMap((l) => l.children.map((c) => c.sub));
      this.firsts.unshift(...firsts);
    }
    return rest;
  }

  /**
   * A point reached with its events fired, `k` pairs placed (`from`: the
   * first race that may still be placed there): its state's key, and the
   * sub-result of an equal state worked out, if there is one.
   */
  private look(
    k: number,
    used: number,
    from: number,
    thread: string,
    step: number,
    at: Occurrence["at"],
    count: bigint | undefined,
    closed: ClosedAt | undefined,
    print: Started["print"],
    events: number,
  ): Look {
    // The start's states are met by no other run (all others have a pair placed), but they are printed all the same:
    // a print keeps its memory's part (areas, bytes), which the forks' clones inherit. Left out, every fork hashed its
    // blocks again, and depth 3 on the 4,000-byte path took 1.6x as long.
    // Under a retrying kernel a fault's point holds the handler's own count of retries, undescribed: merged with none.
    const more = k < this.depth;
    const state = this.retries && at === "page-fault" ? undefined : print({ faults: more && this.mayTake(used, "page-fault"), checks: more && this.mayTake(used, "page-check") });
    if (state === undefined) return NO_LOOK;
    const h = state.hash;
    const units = state.units;
    // Where the schedule is besides the machine: the races placed, the first one still placeable here, the point.
    h.int(used);
    // The same key but for the first race placeable: a Node's, whose forks from a later first race are this state's.
    // Only where it can be met again with another first race: not the start's (no other run meets them), not with every pair placed (no forks).
    const byPoint = k > 0 && more ? h.copy() : undefined;
    h.int(this.firstPlaceable(used, from, thread, step, at, count, closed));
    h.string(at);
    h.num(count === undefined ? 0 : Number(count) + 1);
    byPoint?.string(at);
    byPoint?.num(count === undefined ? 0 : Number(count) + 1);
    const key = { high: h.high, low: h.low };
    const core = byPoint && { high: byPoint.high, low: byPoint.low };
    const known = this.find(key, units);
    if (known === undefined) return { key, core, units, hit: core && this.derived(k, key, core, from, units, events) };
    const maxEvents = known.sub.maxEvents - known.events + events;
    if (maxEvents > MAX_EVENTS - EVENT_MARGIN) throw new Fallback();
    return { key, core, units, hit: { bands: known.sub.bands, maxEvents, maxUnits: known.sub.maxUnits - known.units + units, limited: known.sub.limited } };
  }

  /**
   * The result of a state no run has worked out with races from `from` on,
   * from one that has with races from an earlier one (Node): its forks from
   * `from` on, then the same rest; undefined when there is none (or, as in
   * `find`, when its budget could tell them apart).
   */
  private derived(k: number, key: Key, core: Key, from: number, units: bigint, events: number): Sub | undefined {
    const nodes = this.nodes.get(core.high);
    if (nodes === undefined) return undefined;
    for (const node of nodes) {
      if (node.low !== core.low || node.from > from) continue;
      const sub = combine(node.children.filter((c) => c.race >= from), node.next, this.depth - k, this.n);
      if (node.units !== units && (sub.limited || sub.maxUnits - node.units + units > this.budget)) continue;
      const maxEvents = sub.maxEvents - node.events + events;
      if (maxEvents > MAX_EVENTS - EVENT_MARGIN) throw new Fallback();
      // Kept as the state's own result too: a later run that comes to it finds it at once.
      this.remember(key, { low: key.low, sub, events: node.events, units: node.units });
      return { bands: sub.bands, maxEvents, maxUnits: sub.maxUnits - node.units + units, limited: sub.limited };
    }
    return undefined;
  }

  /** Keeps a sub-result worked out (or derived) for its state. */
  private remember(key: Key, known: Known): void {
    const bucket = this.memo.get(key.high);
    if (bucket === undefined) this.memo.set(key.high, [known]);
    else bucket.push(known);
  }

  /**
   * A state worked out that equals this one, `units` spent: the same units, or
   * (no run under it ran out of budget) any, as long as the most a run under
   * it spends, moved by the difference, stays within the budget.
   */
  private find(key: Key, units: bigint): Known | undefined {
    const bucket = this.memo.get(key.high);
    if (bucket !== undefined)
      for (const k of bucket) if (k.low === key.low && (k.units === units || (!k.sub.limited && k.sub.maxUnits - k.units + units <= this.budget))) return k;
    return undefined;
  }

  /** Whether a race not placed yet may fire at the nth `at` point of a step (then the step's count of them is part of a state). */
  private mayTake(used: number, at: "page-fault" | "page-check"): boolean {
    for (let r = 0; r < this.races.length; r++) {
      if ((used & (1 << r)) !== 0) continue;
      const on = (this.races[r] as Scenario["races"][number]).at;
      if (on === undefined || on.includes(at)) return true;
    }
    return false;
  }

  /**
   * The first race, from `from` on, that may still be placed at this point
   * (the races' count when none): runs that differ only in `from` but agree
   * on it have the same forks here.
   */
  private firstPlaceable(used: number, from: number, thread: string, step: number, at: Occurrence["at"], count: bigint | undefined, closed: ClosedAt | undefined): number {
    if (this.depth - popcount(used) <= 0) return this.filters.length;
    let occ: Occurrence | undefined;
    for (let r = from; r < this.filters.length; r++) {
      if ((used & (1 << r)) !== 0) continue;
      occ ??= occurrenceOf(thread, step, at, count, closed);
      if ((this.filters[r] as RaceFilter).allows(occ)) return r;
    }
    return this.filters.length;
  }

  /** One run's bands, by its class: one schedule, index 0 (shared: bands are never changed once made). */
  private leaf(cls: number): Band[] {
    let bands = this.leaves[cls];
    if (bands === undefined) {
      const cells: (Entry | undefined)[] = [];
      cells[cls * this.n] = { count: 1, min: 0, wit: null };
      this.leaves[cls] = bands = [{ total: 1, cells }];
    }
    return bands;
  }

  private readonly leaves: Band[][] = [];

  private classOf(summary: ReturnType<typeof summarize>): number {
    let id = this.classIds.get(summary.key);
    if (id === undefined) {
      id = this.classes.length;
      this.classIds.set(summary.key, id);
      this.classes.push({ key: summary.key, outcome: summary.outcome, hazards: summary.hazards });
    }
    return id;
  }

  /** The forks at `occ`: each race not placed yet, from `from` on in file order, that may take it. */
  private forks(pairs: readonly Pair[], used: number, occ: Occurrence, from: number, fork: ForkAt): Child[] {
    const children: Child[] = [];
    if (pairs.length >= this.depth) return children;
    // One fork of the run here for all its races (asked for at the first that may take the point; null: not yet).
    let f: Fork | undefined | null = null;
    for (let r = from; r < this.filters.length; r++) {
      if ((used & (1 << r)) !== 0 || !(this.filters[r] as RaceFilter).allows(occ)) continue;
      // Counting: a schedule is one, whatever its run comes to (its run's budget and points are its parent's).
      if (this.countOnly && pairs.length + 1 === this.depth) {
        children.push({ race: r, occ, sub: COUNTED });
        continue;
      }
      const pair = { race: r, occ };
      if (f === null) f = this.live ? fork(occ.at, occ.k, occ.closed) : undefined;
      const races = [raceEvent(this.s, r, occ)];
      const u = used | (1 << r);
      // Started at the point where it can be: most copies come to a state known right there, and never run.
      const started = f?.start(races);
      if (started !== undefined) {
        const look = this.look(pairs.length + 1, u, r + 1, occ.thread, occ.step, occ.at, occ.k, occ.closed, started.print, started.events);
        children.push({ race: r, occ, sub: look.hit ?? this.solve([...pairs, pair], u, started, look) });
      } else {
        const live = f;
        children.push({ race: r, occ, sub: this.solve([...pairs, pair], u, live && ((probe: PointProbe) => live.run(races, probe))) });
      }
    }
    return children;
  }

  /** After the run ended at `occ`: the races still placeable there, in every combination, each the same run. */
  private ended(rest: Sub, occ: Occurrence, from: number, used: number, k: number): { sub: Sub; children: Child[] } {
    const children: Child[] = [];
    if (k < this.depth)
      for (let r = from; r < this.filters.length; r++) {
        if ((used & (1 << r)) !== 0 || !(this.filters[r] as RaceFilter).allows(occ)) continue;
        children.push({ race: r, occ, sub: this.ended(rest, occ, r + 1, used | (1 << r), k + 1).sub });
      }
    return { sub: combine(children, rest, this.depth - k, this.n), children };
  }
}

function witnessPairs(w: Witness | null): Pair[] {
  const out: Pair[] = [];
  for (let x = w; x !== null; x = x.next) out.push({ race: x.race, occ: x.occ });
  return out;
}

/** Refuses as the reference does, at the first place it would: its levels' partial counts, then the exact total. */
function guard(depth: number, firsts: readonly Sub[], totals: readonly number[], max: number): void {
  const b1 = totals[1] ?? 0;
  if (depth >= 2 && 1 + b1 > max) throw new TooManySchedules(1 + b1, false, max);
  if (depth >= 3) {
    let next = 0;
    for (let j = 0; j < firsts.length; j++) {
      next += (firsts[j] as Sub).bands[1]?.total ?? 0;
      if (1 + (j + 1) + next > max) throw new TooManySchedules(1 + (j + 1) + next, false, max);
    }
  }
  const total = totals.reduce((a, b) => a + b, 0);
  if (total > max) throw new TooManySchedules(total, true, max);
}

/**
 * About how many schedules there are up to `depth`, from the b1 of length 1
 * over `races` races (each run reaching the points the first one does: P =
 * b1 / races of them): for each length l, the ways to pick l races and l
 * points in order, C(races, l) · P^l / l!. Only a guess: a wrong one costs
 * time, never the answer (the full exploration's guard checks the same).
 */
export function estimatedSchedules(b1: number, races: number, depth: number): number {
  const points = b1 / Math.max(races, 1);
  let total = 1;
  let ways = 1;
  for (let l = 1; l <= Math.min(depth, races); l++) {
    ways = (ways * (races - l + 1) * points) / (l * l);
    total += ways;
  }
  return total;
}

/**
 * The guard's figures (the reference's) from explorations that count the
 * schedules of their last length without running them, refused as soon as
 * one passes `max`; returns when none does. Beyond depth 2, the second figure
 * (schedules of length 2, first by first) comes from a count to depth 2, whose first
 * subtrees are worked out first: the figure the reference stops at is known
 * long before the rest. The total comes from a count to the full depth, which
 * costs about what an exploration one pair shorter does: made only when the
 * total may well pass `max`.
 */
function refuseEarly(s: Scenario, strategy: StrategyName, filters: readonly RaceFilter[], depth: number, b1: number, max: number, tick: ExploreOptions["tick"]): void {
  const guess = (d: number) => estimatedSchedules(b1, filters.length, d) > max / 4;
  // A time limit holds while counting too (nothing covered yet).
  const counting = tick && (() => tick(0));
  if (depth >= 3 && guess(2)) {
    const engine = new Engine(s, strategy, 2, filters, 1, counting);
    engine.countOnly = true;
    let firsts = 0;
    let next = 0;
    engine.onFirst = (sub) => {
      firsts++;
      next += sub.bands[1]?.total ?? 0;
      if (1 + firsts + next > max) throw new TooManySchedules(1 + firsts + next, false, max);
    };
    engine.solve([], 0);
  }
  if (guess(depth)) {
    const engine = new Engine(s, strategy, depth, filters, 1, counting);
    engine.countOnly = true;
    const total = engine.solve([], 0).bands.reduce((a, b) => a + b.total, 0);
    if (total > max) throw new TooManySchedules(total, true, max);
  }
}

/** How many schedules of length 1 there are: one run's occurrences, each race that may take each (the guard's first count, before any fork). */
function countFirsts(s: Scenario, strategy: StrategyName, filters: readonly RaceFilter[]): number {
  let n = 0;
  // Only the points some race may take (as the reference's runner): a scan's every before-read would cost a call a byte.
  const wanted = s.races.every((r) => r.at !== undefined) ? new Set(s.races.flatMap((r) => r.at ?? [])) : undefined;
  simulate(s, {
    strategy,
    keepEvents: false,
    ...(wanted !== undefined ? { pointsWanted: wanted } : {}),
    onPoint: (thread, step, at, k, closed) => {
      const occ = occurrenceOf(thread, step, at, k, closed);
      for (const f of filters) if (f.allows(occ)) n++;
    },
  });
  return n;
}

/** Explores one scenario under one strategy: the reference's answer, byte for byte, with how many distinct states it took. */
export function explore(s: Scenario, opts: ExploreOptions): ExploreResult {
  // Told of every schedule one by one: that costs what the schedules cost, and the reference does just that.
  if (opts.onSchedule !== undefined) return exploreReference(s, opts);
  try {
    return exploreStates(s, opts);
  } catch (e) {
    // Near a trace's cap the reference knows which schedule passes it first, and says so as it would.
    if (e instanceof Fallback || e instanceof TraceTooLarge) return exploreReference(s, opts);
    throw e;
  }
}

function exploreStates(s: Scenario, opts: ExploreOptions): ExploreResult {
  const { depth } = opts;
  const shard: Shard | null = opts.shard ?? null;
  const n = shard?.count ?? 1;
  const max = opts.maxSchedules ?? 2_000_000;
  const threadNames = new Set(s.threads.map((t) => t.name));
  const filters = s.races.map((r) => raceFilter(r, threadNames));
  if (filters.length > 30) throw new Fallback();
  // The guard's first figure costs one run: refused at once when the schedules of length 1 are already too many.
  const b1 = depth >= 2 ? countFirsts(s, opts.strategy, filters) : 0;
  if (depth >= 2 && 1 + b1 > max) throw new TooManySchedules(1 + b1, false, max);
  // From depth 2 the guard's later figures are counted first where they may well pass the limit: a refusal costs what counting does.
  if (depth >= 2) refuseEarly(s, opts.strategy, filters, depth, b1, max, opts.tick);
  let engine: Engine | undefined = undefined;
  const tick = opts.onStates || opts.tick ? () => (opts.tick?.((engine as Engine).covered), opts.onStates?.((engine as Engine).states, (engine as Engine).covered)) : undefined;
  engine = new Engine(s, opts.strategy, depth, filters, n, tick);
  const root = engine.solve([], 0);
  const totals = Array.from({ length: depth + 1 }, (_, l) => root.bands[l]?.total ?? 0);
  guard(depth, engine.firsts, totals, max);

  const settings = exploreSettings(s);
  const found = new Map<string, { cls: Cls; count: number; min: number; wit: Witness | null }>();
  let base = 0;
  let schedules = 0;
  for (let l = 0; l <= depth; l++) {
    const band = root.bands[l];
    if (band === undefined) continue;
    for (let i = 0; i < band.cells.length; i++) {
      const e = band.cells[i];
      if (e === undefined) continue;
      const c = engine.classes[Math.floor(i / n)] as Cls;
      const r = i % n;
        if (shard !== null && (base + r) % n !== shard.index - 1) continue;
        schedules += e.count;
        const f = found.get(c.key);
        if (f === undefined) found.set(c.key, { cls: c, count: e.count, min: base + e.min, wit: e.wit });
        else {
          f.count += e.count;
          if (base + e.min < f.min) Object.assign(f, { min: base + e.min, wit: e.wit });
        }
      }
    base += band.total;
  }
  const start = initialMemory(s);
  const classes: ExploreClass[] = [...found.values()]
    .sort((a, b) => a.min - b.min)
    .map((f) => {
      const pairs = witnessPairs(f.wit);
      // The witness runs again for its steps (messages included): it must come to its class, or a state was merged wrongly.
      const summary = summarize(simulate(s, { strategy: opts.strategy, keepEvents: false, start, races: raceEvents(s, pairs) }));
      if (summary.key !== f.cls.key) throw new Error(`explore: witness ${tokenOf(s, pairs)} reaches ${summary.key}, not ${f.cls.key}`);
      const violates = settings.never.has(f.cls.outcome) || (settings.hazardsForbidden && f.cls.hazards.length > 0);
      return {
        key: f.cls.key,
        outcome: f.cls.outcome,
        steps: summary.steps(),
        hazards: f.cls.hazards,
        count: f.count,
        witness: tokenOf(s, pairs),
        witnessIndex: f.min,
        violates,
      };
    });
  return {
    scenario: s.name,
    machine: { cpus: s.machine.cpus, strategy: opts.strategy, page_size: s.machine.page_size, ...(s.machine.kernel !== undefined ? { kernel: s.machine.kernel } : {}) },
    depth,
    shard,
    schedules,
    classes,
    violations: classes.filter((c) => c.violates).reduce((a, c) => a + c.count, 0),
    states: engine.states,
  };
}

// The exploration (explore.md sections 3 to 5): every schedule up to the
// depth, breadth-first in the order of section 3, each run once, grouped
// into classes by signature. Only signatures and one witness per class are
// kept, never traces.
import type { Scenario } from "../scenario/validate.js";
import type { Outcome } from "../sim/events.js";
import { initialMemory, simulate, type StrategyName } from "../sim/simulate.js";
import type { HazardKind } from "../scenario/schema.js";
import type { Occurrence } from "./occurrence.js";
import type { KernelName } from "../scenario/kernels.js";
import { raceEvents, raceFilter, tokenOf, type Pair, type RaceFilter } from "./schedule.js";
import { summarize, type ClassStep } from "./signature.js";

export interface Shard {
  index: number;
  count: number;
}

export interface ExploreOptions {
  depth: number;
  strategy: StrategyName;
  shard?: Shard;
  /** Refuse (before running the schedules of the full depth) an exploration of more schedules than this. */
  maxSchedules?: number;
  /** Told how far the exploration is (schedules run, of how many), now and then. */
  progress?: (done: number, total: number) => void;
  /** Runs the schedules of the full depth on other threads, when it chooses to. */
  parallel?: Parallel;
  /** Told of each schedule counted, with its index and token, in order (without `parallel`). */
  onSchedule?: (index: number, token: string) => void;
}

export interface ExploreClass {
  key: string;
  outcome: Outcome;
  steps: ClassStep[];
  hazards: HazardKind[];
  count: number;
  witness: string;
  witnessIndex: number;
  violates: boolean;
}

export interface ExploreResult {
  scenario: string;
  machine: { cpus: number; strategy: StrategyName; page_size: bigint; kernel?: KernelName };
  depth: number;
  shard: Shard | null;
  /** Schedules counted (those of the shard, when sharded). */
  schedules: number;
  classes: ExploreClass[];
  /** Schedules (not classes) that violate. */
  violations: number;
}

/** Thrown before the full-depth schedules run when there would be more than `maxSchedules`. */
export class TooManySchedules extends Error {
  constructor(
    readonly count: number,
    readonly exact: boolean,
    readonly max: number,
  ) {
    super(`the exploration would run ${exact ? "" : "more than "}${count} schedules (the limit is ${max})`);
  }
}

export const DEFAULT_MAX_SCHEDULES = 2_000_000;

/** A schedule to extend: its pairs and `p`, the position of its last pair's occurrence in its run (-1: the start). */
export interface Node {
  pairs: Pair[];
  p: number;
}

/** Runs a schedule; returns what came out and, when asked, the occurrences the run reached. */
export type Runner = (pairs: readonly Pair[], record: boolean) => { summary: ReturnType<typeof summarize>; occurrences: Occurrence[] };

export function makeRunner(s: Scenario, strategy: StrategyName): Runner {
  const start = initialMemory(s);
  return (pairs, record) => {
    const occurrences: Occurrence[] = [];
    const trace = simulate(s, {
      strategy,
      keepEvents: false,
      start,
      races: raceEvents(s, pairs),
      ...(record
        ? {
            // `closed`: what the kernel keeps from happening there (kernels.md section 4), for the races' filters.
            onPoint: (thread, step, at, k, closed) => {
              const o: Occurrence = k === undefined ? { thread, step, at } : { thread, step, at, k };
              if (closed !== undefined) o.closed = closed;
              occurrences.push(o);
            },
          }
        : {}),
    });
    return { summary: summarize(trace), occurrences };
  };
}

/** The extensions of `node` (section 3), in order: by occurrence position, then race declaration order. */
export function* children(node: Node, occurrences: readonly Occurrence[], filters: readonly RaceFilter[]): Generator<Node> {
  const used = new Set(node.pairs.map((p) => p.race));
  const lastRace = node.pairs.length > 0 ? (node.pairs[node.pairs.length - 1] as Pair).race : -1;
  for (let i = Math.max(node.p, 0); i < occurrences.length; i++) {
    const occ = occurrences[i] as Occurrence;
    for (let r = 0; r < filters.length; r++) {
      if (used.has(r)) continue;
      if (i === node.p && r <= lastRace) continue;
      if (!(filters[r] as RaceFilter).allows(occ)) continue;
      yield { pairs: [...node.pairs, { race: r, occ }], p: i };
    }
  }
}

function countChildren(node: Node, occurrences: readonly Occurrence[], filters: readonly RaceFilter[]): number {
  let n = 0;
  for (const _ of children(node, occurrences, filters)) n++;
  return n;
}

/** Collects classes: counts per signature, the lowest-index witness. */
export class Classes {
  private readonly byKey = new Map<string, ExploreClass>();
  schedules = 0;

  constructor(
    private readonly s: Scenario,
    private readonly never: ReadonlySet<string>,
    private readonly hazardsForbidden: boolean,
    private readonly visit?: (index: number, token: string) => void,
  ) {}

  add(summary: ReturnType<typeof summarize>, pairs: readonly Pair[], index: number): void {
    this.schedules++;
    this.visit?.(index, tokenOf(this.s, pairs));
    const known = this.byKey.get(summary.key);
    if (known) {
      known.count++;
      if (index < known.witnessIndex) Object.assign(known, { witness: tokenOf(this.s, pairs), witnessIndex: index, steps: summary.steps() });
      return;
    }
    const violates = this.never.has(summary.outcome) || (this.hazardsForbidden && summary.hazards.length > 0);
    const { key, outcome, hazards } = summary;
    this.byKey.set(key, { key, outcome, steps: summary.steps(), hazards, count: 1, witness: tokenOf(this.s, pairs), witnessIndex: index, violates });
  }

  /** Adds classes collected elsewhere (another worker's share). */
  merge(other: readonly ExploreClass[], schedules: number): void {
    this.schedules += schedules;
    for (const c of other) {
      const known = this.byKey.get(c.key);
      if (!known) this.byKey.set(c.key, { ...c });
      else {
        known.count += c.count;
        if (c.witnessIndex < known.witnessIndex) Object.assign(known, { witness: c.witness, witnessIndex: c.witnessIndex, steps: c.steps });
      }
    }
  }

  list(): ExploreClass[] {
    return [...this.byKey.values()].sort((a, b) => a.witnessIndex - b.witnessIndex);
  }
}

export function exploreSettings(s: Scenario): { never: Set<string>; hazardsForbidden: boolean } {
  return { never: new Set(s.explore?.never ?? []), hazardsForbidden: s.explore?.hazards === "forbidden" };
}

/**
 * Explores one scenario under one strategy. Schedules shorter than the
 * depth run first, breadth-first, recording the occurrences their runs
 * reach; that tells how many schedules of the full depth there are before
 * any of them runs (the guard), and they run last, parent by parent.
 */
export function explore(s: Scenario, opts: ExploreOptions): ExploreResult {
  const { depth } = opts;
  const shard = opts.shard ?? null;
  const inShard = (i: number) => shard === null || i % shard.count === shard.index - 1;
  const max = opts.maxSchedules ?? DEFAULT_MAX_SCHEDULES;
  const run = makeRunner(s, opts.strategy);
  const threadNames = new Set(s.threads.map((t) => t.name));
  const filters = s.races.map((r) => raceFilter(r, threadNames));
  const settings = exploreSettings(s);
  const classes = new Classes(s, settings.never, settings.hazardsForbidden, opts.onSchedule);

  // Levels 0 .. depth-1, run and kept (they are the parents of the next level).
  let index = 0;
  let level: Node[] = [{ pairs: [], p: -1 }];
  let fullDepthCounts: number[] = [];
  for (let length = 0; length < depth; length++) {
    const next: Node[] = [];
    const counts: number[] = [];
    for (const node of level) {
      const { summary, occurrences } = run(node.pairs, true);
      if (inShard(index)) classes.add(summary, node.pairs, index);
      index++;
      if (length + 1 < depth) {
        for (const child of children(node, occurrences, filters)) next.push(child);
        if (index + next.length > max) throw new TooManySchedules(index + next.length, false, max);
      } else counts.push(countChildren(node, occurrences, filters));
    }
    if (length + 1 < depth) level = next;
    else fullDepthCounts = counts;
  }
  const total = index + fullDepthCounts.reduce((a, b) => a + b, 0);
  if (total > max) throw new TooManySchedules(total, true, max);

  // The full depth: each parent runs again to find its occurrences, then its children run.
  opts.progress?.(index, total);
  const work: FullDepthWork = { parents: level, counts: fullDepthCounts, offset: index, shard };
  if (opts.parallel && total - index > 0) {
    const shares = opts.parallel(s, opts.strategy, work, (done) => opts.progress?.(index + done, total));
    if (shares !== undefined) {
      for (const share of shares) classes.merge(share.classes, share.schedules);
      return result(s, opts, depth, shard, classes);
    }
  }
  runFullDepth(s, opts.strategy, work, classes, (done) => opts.progress?.(index + done, total));
  return result(s, opts, depth, shard, classes);
}

/** The schedules of the full depth: the parents (schedules one shorter), how many children each has, the index of the first. */
export interface FullDepthWork {
  parents: Node[];
  counts: number[];
  offset: number;
  shard: Shard | null;
}

/** What one share of the full-depth work found. */
export interface Share {
  classes: ExploreClass[];
  schedules: number;
}

/**
 * Runs the full-depth work elsewhere (worker threads) and returns each
 * share's classes, or undefined to have it run here. Results are merged by
 * lowest witness index, so the output is the same either way.
 */
export type Parallel = (s: Scenario, strategy: StrategyName, work: FullDepthWork, progress: (done: number) => void) => Share[] | undefined;

/** Runs the children of `work.parents`, in order, into `classes`. */
export function runFullDepth(s: Scenario, strategy: StrategyName, work: FullDepthWork, classes: Classes, progress?: (done: number) => void): void {
  const run = makeRunner(s, strategy);
  const threadNames = new Set(s.threads.map((t) => t.name));
  const filters = s.races.map((r) => raceFilter(r, threadNames));
  const { shard } = work;
  const inShard = (i: number) => shard === null || i % shard.count === shard.index - 1;
  let index = work.offset;
  work.parents.forEach((node, j) => {
    const count = work.counts[j] ?? 0;
    let wanted = false;
    for (let i = index; i < index + count && !wanted; i++) wanted = inShard(i);
    if (!wanted) {
      index += count;
      return;
    }
    const { occurrences } = run(node.pairs, true);
    for (const child of children(node, occurrences, filters)) {
      if (inShard(index)) classes.add(run(child.pairs, false).summary, child.pairs, index);
      index++;
    }
    progress?.(index - work.offset);
  });
}

function result(s: Scenario, opts: ExploreOptions, depth: number, shard: Shard | null, classes: Classes): ExploreResult {
  const list = classes.list();
  return {
    scenario: s.name,
    machine: { cpus: s.machine.cpus, strategy: opts.strategy, page_size: s.machine.page_size, ...(s.machine.kernel !== undefined ? { kernel: s.machine.kernel } : {}) },
    depth,
    shard,
    schedules: classes.schedules,
    classes: list,
    violations: list.filter((c) => c.violates).reduce((n, c) => n + c.count, 0),
  };
}

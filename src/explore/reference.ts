// The reference exploration (explore.md sections 3 to 5): every schedule up
// to the depth, breadth-first in the order of section 3, each run once from
// the start, grouped into classes by signature. Its cost is the number of
// schedules: `explore` (explore.ts) gives the same answer at the cost of the
// distinct states; this one stays as what the tests hold it to.
import type { Scenario } from "../scenario/validate.js";
import { initialMemory, simulate, type StrategyName } from "../sim/simulate.js";
import type { Occurrence } from "./occurrence.js";
import type { TriggerName } from "../scenario/schema.js";
import { raceEvents, raceFilter, type Pair, type RaceFilter } from "./schedule.js";
import { summarize } from "./signature.js";
import {
  Classes,
  DEFAULT_MAX_SCHEDULES,
  exploreSettings,
  result,
  TooManySchedules,
  type ExploreOptions,
  type ExploreResult,
  type FullDepthWork,
  type Node,
} from "./result.js";

/** Runs a schedule; returns what came out and, when asked, the occurrences the run reached. */
export type Runner = (pairs: readonly Pair[], record: boolean) => { summary: ReturnType<typeof summarize>; occurrences: Occurrence[] };

/**
 * Runs schedules of `s`. Only the occurrences some race allows are recorded:
 * the others can never be a pair's, and a scan reaches one `before-read` a
 * byte (64 million for a 64 MiB string, gigabytes as objects). Positions
 * then count recorded occurrences only, which keeps their order, so the
 * schedules and their order (explore.md section 3) are the same.
 */
export function makeRunner(s: Scenario, strategy: StrategyName, filters: readonly RaceFilter[] = racesOf(s)): Runner {
  const start = initialMemory(s);
  // A race without `at` may take every point: then no point is skipped by its name.
  const wanted = s.races.every((r) => r.at !== undefined) ? new Set<TriggerName>(s.races.flatMap((r) => r.at ?? [])) : undefined;
  return (pairs, record) => {
    const occurrences: Occurrence[] = [];
    const trace = simulate(s, {
      strategy,
      keepEvents: false,
      start,
      races: raceEvents(s, pairs),
      ...(record
        ? {
            ...(wanted !== undefined ? { pointsWanted: wanted } : {}),
            // `closed`: what the kernel keeps from happening there (kernels.md section 4), for the races' filters.
            onPoint: (thread, step, at, k, closed) => {
              const o: Occurrence = k === undefined ? { thread, step, at } : { thread, step, at, k };
              if (closed !== undefined) o.closed = closed;
              if (filters.some((f) => f.allows(o))) occurrences.push(o);
            },
          }
        : {}),
    });
    return { summary: summarize(trace), occurrences };
  };
}

function racesOf(s: Scenario): RaceFilter[] {
  const threadNames = new Set(s.threads.map((t) => t.name));
  return s.races.map((r) => raceFilter(r, threadNames));
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



/**
 * Explores one scenario under one strategy. Schedules shorter than the
 * depth run first, breadth-first, recording the occurrences their runs
 * reach; that tells how many schedules of the full depth there are before
 * any of them runs (the guard), and they run last, parent by parent.
 */
export function exploreReference(s: Scenario, opts: ExploreOptions): ExploreResult {
  const { depth } = opts;
  const shard = opts.shard ?? null;
  const inShard = (i: number) => shard === null || i % shard.count === shard.index - 1;
  const max = opts.maxSchedules ?? DEFAULT_MAX_SCHEDULES;
  const runner = makeRunner(s, opts.strategy);
  // Before each run the caller is told how far the exploration is (it may stop it there: a time limit).
  const run: Runner = opts.tick === undefined ? runner : (pairs, record) => (opts.tick?.(index), runner(pairs, record));
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
  runFullDepth(s, opts.strategy, work, classes, (done) => opts.progress?.(index + done, total), opts.tick && ((done) => opts.tick?.(index + done)));
  return result(s, opts, depth, shard, classes);
}



/** Runs the children of `work.parents`, in order, into `classes`. */
export function runFullDepth(s: Scenario, strategy: StrategyName, work: FullDepthWork, classes: Classes, progress?: (done: number) => void, tick?: (done: number) => void): void {
  const runner = makeRunner(s, strategy);
  const run: Runner = tick === undefined ? runner : (pairs, record) => (tick(index - work.offset), runner(pairs, record));
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


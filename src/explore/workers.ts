// The full-depth schedules of a large exploration on worker threads, through
// the one pool (src/workers/pool.ts). The work is cut into small chunks taken
// in turn (schedules differ a lot in cost: a run that panics early is short,
// so fixed equal shares left one thread idle). Classes keep the lowest
// witness index whatever order chunks come in, so the merged result is
// byte-identical to a single-threaded run.
import type { Scenario } from "../scenario/validate.js";
import { TraceTooLarge } from "../sim/machine.js";
import type { StrategyName } from "../sim/simulate.js";
import { plainCodec, runPool, type ErrorCodec } from "../workers/pool.js";
import { runFullDepth } from "./reference.js";
import { Classes, exploreSettings, type FullDepthWork, type Parallel, type Share } from "./result.js";

export const EXPLORE_KIND = "axptr-sim-explore";

export interface ExploreJob {
  scenario: Scenario;
  strategy: StrategyName;
  chunks: FullDepthWork[];
}

/** A trace too large to keep, met in a worker, is the same error as on this thread. */
export const exploreCodec: ErrorCodec = {
  encode: (e) => (e instanceof TraceTooLarge ? { tag: "TraceTooLarge", message: e.message } : plainCodec.encode(e)),
  decode: (w) => (w.tag === "TraceTooLarge" ? new TraceTooLarge(w.message) : plainCodec.decode(w)),
};

/** One chunk of the full-depth work: its classes and how many schedules it counted. */
export function runChunk(job: ExploreJob, k: number, progress: (done: number) => void): Share {
  const settings = exploreSettings(job.scenario);
  const classes = new Classes(job.scenario, settings.never, settings.hazardsForbidden);
  const chunk = job.chunks[k] as FullDepthWork;
  runFullDepth(job.scenario, job.strategy, chunk, classes, progress);
  progress(chunk.counts.reduce((a, b) => a + b, 0));
  return { classes: classes.list(), schedules: classes.schedules };
}

/** Chunks a thread takes at a time: about this many per thread. */
const CHUNKS_PER_THREAD = 32;

/** Splits the parents into `n` contiguous shares of about equal numbers of children. */
export function split(work: FullDepthWork, n: number): FullDepthWork[] {
  const total = work.counts.reduce((a, b) => a + b, 0);
  const shares: FullDepthWork[] = [];
  let j = 0;
  let offset = work.offset;
  for (let k = 0; k < n; k++) {
    const target = k === n - 1 ? Infinity : Math.ceil(total / n);
    const start = j;
    let sum = 0;
    while (j < work.parents.length && sum < target) sum += work.counts[j++] ?? 0;
    shares.push({ parents: work.parents.slice(start, j), counts: work.counts.slice(start, j), offset, shard: work.shard });
    offset += sum;
  }
  return shares.filter((s) => s.parents.length > 0);
}

/**
 * A Parallel that uses `threads` threads in all (this one included) running
 * `script` (the bundled worker), once there are at least `from` schedules.
 */
export function workerPool(script: string, threads: number, from: number): Parallel {
  return (s, strategy, work, progress) => {
    const total = work.counts.reduce((a, b) => a + b, 0);
    if (threads < 2 || total < from) return undefined;
    const chunks = split(work, threads * CHUNKS_PER_THREAD);
    if (chunks.length === 0) return undefined;
    const job: ExploreJob = { scenario: s, strategy, chunks };
    return runPool({
      script,
      kind: EXPLORE_KIND,
      data: job,
      chunks: chunks.length,
      threads,
      here: (k, p) => runChunk(job, k, p),
      progress,
      codec: exploreCodec,
    });
  };
}

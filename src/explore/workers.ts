// Worker threads for the full-depth schedules of a large exploration. The
// caller stays synchronous: it runs the first share itself while the
// workers run the others, then waits for each with Atomics.wait and takes
// its result with receiveMessageOnPort. Shares are merged by lowest
// witness index, so the output is byte-identical to a single-threaded run.
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { Scenario } from "../scenario/validate.js";
import type { StrategyName } from "../sim/simulate.js";
import { runFullDepth } from "./reference.js";
import { Classes, exploreSettings, type FullDepthWork, type Parallel, type Share } from "./result.js";

export interface WorkerJob {
  scenario: Scenario;
  strategy: StrategyName;
  /** Every chunk of the full-depth work; each thread takes the next one not taken (`next`). */
  chunks: FullDepthWork[];
  /** [0]: the next chunk to take, shared by every thread. */
  next: Int32Array;
  /** [0]: set to 1 when done; [1]: schedules run so far (for the progress line). */
  signal: Int32Array;
}

/**
 * Runs chunks until none is left. Schedules differ a lot in cost (a run that
 * panics early is short), so fixed equal shares left one thread idle; taking
 * small chunks in turn keeps both busy. Classes keep the lowest witness index
 * whatever order chunks come in, so the merged result does not depend on who ran what.
 */
export function runChunks(s: Scenario, strategy: StrategyName, chunks: readonly FullDepthWork[], next: Int32Array, classes: Classes, progress: (done: number) => void): void {
  let done = 0;
  for (let k = Atomics.add(next, 0, 1); k < chunks.length; k = Atomics.add(next, 0, 1)) {
    const chunk = chunks[k] as FullDepthWork;
    runFullDepth(s, strategy, chunk, classes, (n) => progress(done + n));
    done += chunk.counts.reduce((a, b) => a + b, 0);
    progress(done);
  }
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
 * A Parallel that uses `workers` threads in all (this one included) running
 * `script` (the bundled worker), once there are at least `from` schedules.
 */
export function workerPool(script: string, workers: number, from: number): Parallel {
  return (s, strategy, work, progress) => {
    const total = work.counts.reduce((a, b) => a + b, 0);
    if (workers < 2 || total < from) return undefined;
    const chunks = split(work, workers * CHUNKS_PER_THREAD);
    if (chunks.length === 0) return undefined;
    const next = new Int32Array(new SharedArrayBuffer(4));
    const started = Array.from({ length: workers - 1 }, () => {
      const signal = new Int32Array(new SharedArrayBuffer(8));
      const { port1, port2 } = new MessageChannel();
      const job: WorkerJob = { scenario: s, strategy, chunks, next, signal };
      const worker = new Worker(script, { workerData: { job, port: port2 }, transferList: [port2] });
      return { worker, signal, port: port1 };
    });
    const settings = exploreSettings(s);
    const here = new Classes(s, settings.never, settings.hazardsForbidden);
    const others = () => started.reduce((n, w) => n + Atomics.load(w.signal, 1), 0);
    let mine = 0;
    runChunks(s, strategy, chunks, next, here, (done) => progress((mine = done) + others()));
    const shares: Share[] = [{ classes: here.list(), schedules: here.schedules }];
    for (const w of started) {
      while (Atomics.load(w.signal, 0) === 0) {
        Atomics.wait(w.signal, 0, 0, 100);
        progress(mine + others());
      }
      const msg = receiveMessageOnPort(w.port)?.message as { ok: true; share: Share } | { ok: false; error: string } | undefined;
      w.port.close();
      void w.worker.terminate();
      if (!msg) throw new Error("an exploration worker ended without a result");
      if (!msg.ok) throw new Error(`an exploration worker failed: ${msg.error}`);
      shares.push(msg.share);
    }
    return shares;
  };
}

// The one worker pool (used by explore's full-depth schedules and by check's
// files): numbered chunks of work, taken in increasing order by this thread
// and by worker threads through one shared counter, results handed back by
// chunk. The caller stays synchronous (explore and check are), so it cannot
// hear a worker's `exit` or `error` events itself: a small supervisor thread
// starts the workers, hears them, and wakes this thread when one dies. A
// dead worker is an error, never a wait: the others are stopped and the
// caller gets a WorkerDied. A chunk that throws stops the taking of new
// chunks; the chunks already taken finish, and the error of the lowest chunk
// is the one thrown, so the answer does not depend on who ran what.
import { availableParallelism } from "node:os";
import { isMainThread, MessageChannel, receiveMessageOnPort, Worker, workerData, type MessagePort } from "node:worker_threads";

/** A worker thread ended before finishing its work: it exited, crashed, or ran out of memory. */
export class WorkerDied extends Error {
  constructor(
    message: string,
    /** True when the worker ran out of memory (not a bug of the tool: the work is too large for the machine). */
    readonly outOfMemory: boolean,
  ) {
    super(message);
  }
}

/** A chunk's error as it crosses threads; `tag` lets the caller make its typed error again. */
export interface WireError {
  tag?: string;
  message: string;
  stack?: string;
}

/** Turns errors into WireErrors (in a worker) and back (in the caller), for the typed errors a task throws. */
export interface ErrorCodec {
  encode(e: unknown): WireError;
  decode(w: WireError): Error;
}

/** Any error as a WireError; decoded as a plain Error carrying the worker's stack. */
export const plainCodec: ErrorCodec = {
  encode: (e) => (e instanceof Error ? { message: e.message, ...(e.stack !== undefined ? { stack: e.stack } : {}) } : { message: String(e) }),
  decode: (w) => Object.assign(new Error(`a worker thread failed: ${w.message}`), { stack: w.stack ?? w.message }),
};

export interface PoolJob<D, R> {
  /** The script a worker runs; it calls servePool with the same `kind`. */
  script: string;
  kind: string;
  /** What every worker gets (structured-cloned once each). */
  data: D;
  chunks: number;
  /** Threads in all, this one included (workers: threads - 1), at most one a core and one a chunk. */
  threads: number;
  /** Does one chunk on this thread; `progress(n)`: n units of the chunk done so far. */
  here: (chunk: number, progress: (n: number) => void) => R;
  /** Told of the units done in all threads, now and then. */
  progress?: (done: number) => void;
  codec?: ErrorCodec;
}

// The shared control block: the next chunk to take, messages posted, the supervisor's alarm, then per worker its units done and whether it finished.
const NEXT = 0;
const POSTED = 1;
const ALARM = 2;
const SLOTS = 3;

type Posted<R> = { chunk: number; ok: true; value: R } | { chunk: number; ok: false; error: WireError; taken: number };

/** The supervisor: starts the workers, hears their deaths, stops the others and raises the alarm. Plain JS, so it loads nothing. */
const SUPERVISOR = `
const { workerData, Worker } = require("node:worker_threads");
const { script, kind, data, chunks, control, ports, alarm, resourceLimits } = workerData;
const ctl = new Int32Array(control);
const workers = [];
let dead = false;
function die(message, outOfMemory) {
  if (dead) return;
  dead = true;
  for (const w of workers) void w.terminate();
  alarm.postMessage({ message, outOfMemory });
  Atomics.store(ctl, ${ALARM}, 1);
  Atomics.notify(ctl, ${POSTED});
}
ports.forEach((port, slot) => {
  const w = new Worker(script, { workerData: { axptrSimPool: kind, data, chunks, control, port, slot, workers: ports.length }, transferList: [port], ...(resourceLimits ? { resourceLimits } : {}) });
  workers.push(w);
  w.on("error", (e) => die(e && e.code === "ERR_WORKER_OUT_OF_MEMORY" ? "a worker thread ran out of memory" : "a worker thread failed: " + (e && e.stack ? e.stack : String(e)), Boolean(e && e.code === "ERR_WORKER_OUT_OF_MEMORY")));
  w.on("exit", (code) => {
    if (Atomics.load(ctl, ${SLOTS} + 2 * slot + 1) !== 1) die("a worker thread stopped (exit code " + code + ") before finishing its work", false);
  });
});
`;

/** Runs every chunk, on this thread and `threads - 1` workers; returns the results by chunk. */
export function runPool<D, R>(job: PoolJob<D, R>): R[] {
  // Never more threads than cores (more only share them, each with a heap of its own) or than chunks.
  const workers = Math.max(0, Math.min(job.threads, availableParallelism(), job.chunks) - 1);
  const results = new Array<R>(job.chunks);
  const codec = job.codec ?? plainCodec;
  if (workers === 0) {
    let base = 0;
    for (let c = 0; c < job.chunks; c++) {
      let last = 0;
      results[c] = job.here(c, (n) => job.progress?.(base + (last = n)));
      base += last;
    }
    return results;
  }
  const control = new SharedArrayBuffer(4 * (SLOTS + 2 * workers));
  const ctl = new Int32Array(control);
  const channels = Array.from({ length: workers }, () => new MessageChannel());
  const alarm = new MessageChannel();
  const ports = channels.map((c) => c.port2);
  const fault = process.env.AXPTR_SIM_POOL_FAULT;
  const supervisor = new Worker(SUPERVISOR, {
    eval: true,
    workerData: {
      script: job.script,
      kind: job.kind,
      data: job.data,
      chunks: job.chunks,
      control,
      ports,
      alarm: alarm.port2,
      // Test hook (see servePool): a worker made to run out of memory gets a small heap, so it does quickly.
      resourceLimits: fault === "oom" ? { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 } : undefined,
    },
    transferList: [...ports, alarm.port2],
  });
  // Never keeps the process alive: this thread waits below for all it needs.
  supervisor.unref();

  const failures: { chunk: number; error: () => Error }[] = [];
  let taken = job.chunks;
  let mine = 0;
  let received = 0;
  let base = 0;
  const others = () => {
    let n = 0;
    for (let w = 0; w < workers; w++) n += Atomics.load(ctl, SLOTS + 2 * w);
    return n;
  };
  const drain = () => {
    for (const { port1 } of channels)
      for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) {
        const p = m.message as Posted<R>;
        received++;
        if (p.ok) results[p.chunk] = p.value;
        else {
          taken = Math.min(taken, p.taken);
          failures.push({ chunk: p.chunk, error: () => codec.decode(p.error) });
        }
      }
  };
  const stop = () => {
    for (const { port1 } of channels) port1.close();
    alarm.port1.close();
    void supervisor.terminate();
  };
  const died = () => {
    if (Atomics.load(ctl, ALARM) === 0) return;
    const said = receiveMessageOnPort(alarm.port1)?.message as { message: string; outOfMemory: boolean } | undefined;
    stop();
    throw new WorkerDied(said?.message ?? "a worker thread died", said?.outOfMemory ?? false);
  };

  try {
    // Under the test hook, this thread leaves every chunk to the workers, so a worker surely meets the fault.
    for (let c = fault === undefined ? Atomics.add(ctl, NEXT, 1) : job.chunks; c < job.chunks; c = Atomics.add(ctl, NEXT, 1)) {
      let last = 0;
      try {
        results[c] = job.here(c, (n) => job.progress?.(base + (last = n) + others()));
      } catch (e) {
        taken = Math.min(taken, Atomics.exchange(ctl, NEXT, job.chunks), job.chunks);
        failures.push({ chunk: c, error: () => (e instanceof Error ? e : new Error(String(e))) });
        mine++;
        break;
      }
      base += last;
      mine++;
      died();
      drain();
      if (failures.length > 0) break;
    }
    // Every chunk below `taken` posts exactly once (a result or an error); wait for the workers' ones.
    for (;;) {
      drain();
      if (received + mine >= taken) break;
      died();
      const seen = Atomics.load(ctl, POSTED);
      drain();
      if (received + mine >= taken) break;
      Atomics.wait(ctl, POSTED, seen, 100);
      job.progress?.(base + others());
    }
  } catch (e) {
    stop();
    throw e;
  }
  stop();
  if (failures.length > 0) throw failures.reduce((a, b) => (b.chunk < a.chunk ? b : a)).error();
  return results;
}

interface ServedData {
  axptrSimPool: string;
  data: unknown;
  chunks: number;
  control: SharedArrayBuffer;
  port: MessagePort;
  slot: number;
}

/**
 * In a worker started by runPool for `kind`: takes chunks until none is
 * left, posting each result (or error) before counting it posted. Started
 * once the whole bundle has loaded (the module calling it may be evaluated
 * before those its task calls).
 */
export function servePool<D, R>(kind: string, task: (data: D, chunk: number, progress: (n: number) => void) => R, codec: ErrorCodec = plainCodec): void {
  const w = workerData as ServedData | undefined;
  if (isMainThread || w === null || typeof w !== "object" || w.axptrSimPool !== kind) return;
  setImmediate(() => {
    const ctl = new Int32Array(w.control);
    const progressSlot = SLOTS + 2 * w.slot;
    let base = 0;
    let first = true;
    for (let c = Atomics.add(ctl, NEXT, 1); c < w.chunks; c = Atomics.add(ctl, NEXT, 1)) {
      if (first) fault();
      first = false;
      let last = 0;
      let posted: Posted<R>;
      try {
        const value = task(w.data as D, c, (n) => Atomics.store(ctl, progressSlot, base + (last = n)));
        posted = { chunk: c, ok: true, value };
      } catch (e) {
        const taken = Math.min(Atomics.exchange(ctl, NEXT, w.chunks), w.chunks);
        posted = { chunk: c, ok: false, error: codec.encode(e), taken };
      }
      base += last;
      Atomics.store(ctl, progressSlot, base);
      w.port.postMessage(posted);
      Atomics.add(ctl, POSTED, 1);
      Atomics.notify(ctl, POSTED);
      if (!posted.ok) break;
    }
    Atomics.store(ctl, progressSlot + 1, 1);
    w.port.close();
  });
}

/**
 * Test hook (test/workers/pool.test.ts): AXPTR_SIM_POOL_FAULT makes a worker throw, exit or run out of
 * memory at its first chunk; any value (`idle` included) leaves every chunk to the workers.
 */
function fault(): void {
  const f = process.env.AXPTR_SIM_POOL_FAULT;
  if (f === "throw") throw new Error("AXPTR_SIM_POOL_FAULT=throw");
  if (f === "exit") process.exit(7);
  if (f === "oom") {
    const hoard: string[][] = [];
    for (let i = 0; ; i++) hoard.push(Array.from({ length: 1e5 }, (_, k) => `${i}:${k}`));
  }
}

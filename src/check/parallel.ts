// `check` on every core: each scenario is loaded, simulated and rendered as
// its golden text, and its golden read, in worker threads (the same bundle,
// started again) and on the main thread, which then judges and reports in
// file order, so the output is byte for byte that of one thread. Many small
// files only: a worker costs a start-up, which a handful would not repay.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { isMainThread, MessageChannel, receiveMessageOnPort, Worker, workerData, type MessagePort } from "node:worker_threads";
import type { Problem } from "../scenario/problems.js";
import { InputError } from "../cli/errors.js";
import { loadAll, simulateLoaded } from "../cli/io.js";
import { failedExpectations, goldenPath, goldenText } from "../cli/commands/check.js";
import { lookAt, type Seen } from "../cli/files.js";
import { exploreForGolden, outcomesPath, outcomesText, violations, type Violation } from "./outcomes.js";

/**
 * One scenario made ready for judging: its golden text now, its failed
 * expectations and its golden as found on the disk (looked at and read here,
 * so that on every core too), or its problems.
 */
export type Ready = { file: string; now: string; expectations: string[]; golden: Seen; outcomes?: Outcomes };
/** A scenario with races: its outcome golden's text now, its violating classes, the line of `races` (for annotations), and that golden as found. */
export type Outcomes = { now: string; violations: Violation[]; line: number; golden: Seen };
export type Prepared =
  | Ready
  | { file: string; problems: Problem[]; tooLarge: boolean }
  | { file: string; error: string };

/** Below this many files one thread does it all. */
const MIN_FILES = 64;
/** Files a thread takes at a time: large enough to be cheap to hand out, small enough to share the tail. */
const CHUNK = 16;
/** A worker whose chunk is not done after this long (it died, or the machine is stuck) is not waited for: the chunk is made again here. */
const PATIENCE_MS = 20_000;

export function prepareOne(file: string): Prepared {
  try {
    const [loaded] = loadAll([file]);
    if (!loaded) return { file, problems: [], tooLarge: false };
    try {
      const trace = simulateLoaded(loaded);
      const ready: Ready = { file, now: goldenText(trace, file), expectations: failedExpectations(trace), golden: lookAt(goldenPath(file), "golden") };
      const s = loaded.scenario;
      if (s.races.length > 0) {
        // The exploration runs here too, so a worker does it when there are workers.
        const r = exploreForGolden(s);
        ready.outcomes = {
          now: outcomesText(r, s, file),
          violations: violations(r, s),
          line: loaded.locate?.(["races"]).line ?? 1,
          golden: lookAt(outcomesPath(file), "golden"),
        };
      }
      return ready;
    } catch (e) {
      if (e instanceof InputError) return { file, problems: [...e.problems], tooLarge: true };
      throw e;
    }
  } catch (e) {
    if (e instanceof InputError) return { file, problems: [...e.problems], tooLarge: false };
    return { file, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

/**
 * Every file prepared, in the given order. Throws as loading and simulating
 * them one by one would: every problem of every invalid file first, else the
 * first file too large to trace; an internal error as it was.
 */
export function prepareAll(files: readonly string[], bundle: string | undefined = bundlePath()): Ready[] {
  const threads = threadCount();
  const all = threads > 1 && files.length >= MIN_FILES && bundle !== undefined ? inParallel(files, threads - 1, bundle) : files.map(prepareOne);
  const invalid = all.flatMap((p) => ("problems" in p && !p.tooLarge ? p.problems : []));
  if (invalid.length > 0) throw new InputError(invalid);
  for (const p of all) {
    if ("error" in p) throw new Error(`while checking ${p.file}: ${p.error}`);
    if ("problems" in p) throw new InputError(p.problems);
  }
  return all.filter((p): p is Ready => "now" in p);
}

/**
 * Every file prepared, in the given order, with the problems of the invalid
 * ones (and their names) instead of a throw: `check` goes on past them.
 * A file too large to trace and an internal error still throw.
 */
export function prepareEach(files: readonly string[], bundle: string | undefined = bundlePath()): { ready: Ready[]; problems: Problem[]; invalid: string[] } {
  const threads = threadCount();
  const all = threads > 1 && files.length >= MIN_FILES && bundle !== undefined ? inParallel(files, threads - 1, bundle) : files.map(prepareOne);
  const bad = all.filter((p): p is Extract<Prepared, { problems: Problem[] }> => "problems" in p && !p.tooLarge);
  for (const p of all) {
    if ("error" in p) throw new Error(`while checking ${p.file}: ${p.error}`);
    if ("problems" in p && p.tooLarge) throw new InputError(p.problems);
  }
  return { ready: all.filter((p): p is Ready => "now" in p), problems: bad.flatMap((p) => p.problems), invalid: bad.map((p) => p.file) };
}

/** Every core up to 8, or AXPTR_SIM_CHECK_THREADS (1: no workers). */
function threadCount(): number {
  const asked = Number(process.env.AXPTR_SIM_CHECK_THREADS);
  return Number.isInteger(asked) && asked >= 1 ? Math.min(asked, 64) : Math.min(availableParallelism(), 8);
}

/** The running bundle (dist/axptr-sim.cjs), which a worker loads again; undefined outside it (tests of the sources). */
function bundlePath(): string | undefined {
  return typeof __filename === "string" && __filename.endsWith(".cjs") ? __filename : undefined;
}

/** The launcher beside the bundle (dist/launch.js), which starts it from V8's code cache as for the main thread; else the bundle. */
function workerScript(bundle: string): string {
  const launcher = join(dirname(bundle), "launch.js");
  return existsSync(launcher) ? launcher : bundle;
}

interface Job {
  kind: "axptr-sim-check";
  files: readonly string[];
  /** [next chunk to take, then one state a chunk: 0 free, 1 taken, 2 posted]. */
  control: SharedArrayBuffer;
  port: MessagePort;
}

function inParallel(files: readonly string[], workers: number, bundle: string): Prepared[] {
  const chunks = Math.ceil(files.length / CHUNK);
  const control = new SharedArrayBuffer(4 * (chunks + 1));
  const state = new Int32Array(control);
  const ports: MessagePort[] = [];
  for (let i = 0; i < workers; i++) {
    const { port1, port2 } = new MessageChannel();
    const job: Job = { kind: "axptr-sim-check", files, control, port: port2 };
    const w = new Worker(workerScript(bundle), { workerData: job, transferList: [port2] });
    // Never keeps the process alive: the main thread waits for what it needs below.
    w.unref();
    ports.push(port1);
  }
  const out: Prepared[] = new Array<Prepared>(files.length);
  const take = (port: MessagePort) => {
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
      const { first, results } = m.message as { first: number; results: Prepared[] };
      results.forEach((r, k) => (out[first + k] = r));
    }
  };
  // This thread takes chunks too, then waits for the ones the workers took.
  work(files, state, (first, results) => results.forEach((r, k) => (out[first + k] = r)));
  for (let c = 0; c < chunks; c++) {
    const deadline = Date.now() + PATIENCE_MS;
    while (Atomics.load(state, c + 1) !== 2 && Date.now() < deadline) Atomics.wait(state, c + 1, 1, 50);
    if (Atomics.load(state, c + 1) !== 2) {
      const first = c * CHUNK;
      files.slice(first, first + CHUNK).forEach((f, k) => (out[first + k] = prepareOne(f)));
    }
  }
  for (const p of ports) (take(p), p.close());
  // A chunk posted after its deadline was made here already; anything still missing is made here too.
  for (let i = 0; i < files.length; i++) if (out[i] === undefined) out[i] = prepareOne(files[i] as string);
  return out;
}

/** Takes free chunks until none is left, handing each chunk's results to `done`. */
function work(files: readonly string[], state: Int32Array, done: (first: number, results: Prepared[]) => void): void {
  const chunks = state.length - 1;
  for (;;) {
    const c = Atomics.add(state, 0, 1);
    if (c >= chunks) return;
    Atomics.store(state, c + 1, 1);
    const first = c * CHUNK;
    done(first, files.slice(first, first + CHUNK).map(prepareOne));
    Atomics.store(state, c + 1, 2);
    Atomics.notify(state, c + 1);
  }
}

// In a worker started by inParallel: take chunks, post each chunk's results before marking it done.
// Started once the whole bundle has loaded (this module may be evaluated before those it calls).
if (!isMainThread && (workerData as Job | undefined)?.kind === "axptr-sim-check") {
  setImmediate(() => {
    const job = workerData as Job;
    work(job.files, new Int32Array(job.control), (first, results) => job.port.postMessage({ first, results }));
    job.port.close();
  });
}

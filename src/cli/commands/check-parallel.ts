// `check` on every core: each scenario is loaded, simulated and rendered as
// its golden text, and its golden read, in worker threads (the same bundle,
// started again) and on the main thread, which then judges and reports in
// file order, so the output is byte for byte that of one thread. Many small
// files only: a worker costs a start-up, which a handful would not repay.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import type { Problem } from "../../scenario/problems.js";
import { runPool, servePool } from "../../workers/pool.js";
import { TooManySchedules } from "../../explore/explore.js";
import { grouped } from "./explore.js";
import { exploreForGolden, outcomesPath, outcomesText, violations, type Violation } from "../../check/outcomes.js";
import { InputError } from "../errors.js";
import { loadAll, simulateLoaded } from "../io.js";
import { lookAt, type Seen } from "../files.js";
import { failedExpectations, goldenPath, goldenText } from "./check.js";
import { limitName, scheduleLimit, timed, TimeUp, type Limits } from "../limits.js";

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

/** What check's progress line is told (src/cli/progress.ts): files done of all, and a long exploration's states on this thread. */
export interface CheckProgress {
  files: (done: number, total: number) => void;
  states: (states: number, schedules: number, label: string) => void;
}

/** `limits`: check's --max-schedules (as written) and --max-duration, both checked already; `progress`: on this thread only. */
export function prepareOne(file: string, limits: Limits = {}, progress?: CheckProgress): Prepared {
  try {
    const [loaded] = loadAll([file]);
    if (!loaded) return { file, problems: [], tooLarge: false };
    try {
      const trace = simulateLoaded(loaded);
      const ready: Ready = { file, now: goldenText(trace, file), expectations: failedExpectations(trace), golden: lookAt(goldenPath(file), "golden") };
      const s = loaded.scenario;
      if (s.races.length > 0) {
        // The exploration runs here too, so a worker does it when there are workers.
        const limit = scheduleLimit(limits.maxSchedules, s);
        const onStates = progress ? (n: number, covered: number) => progress.states(n, covered, file) : undefined;
        const r = exploreForGolden(s, { maxSchedules: limit.max, ...timed(limits.maxDuration, onStates ? { onStates } : {}) });
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
      // An exploration over the limit is a problem of that file (check goes on past it), as explore refuses it.
      const depth = loaded.scenario.explore?.depth ?? 1;
      if (e instanceof TooManySchedules) {
        const limit = scheduleLimit(limits.maxSchedules, loaded.scenario);
        // The file's own limit is marked where the file sets it.
        const path = limit.from === "file" ? ["explore", "max_schedules"] : ["races"];
        const line = loaded.locate?.(path) ?? { line: 1, col: 1 };
        const over = limit.from === "default" ? `the limit of ${grouped(e.max)}` : limitName(limit);
        const raise = limit.from === "file" ? ", or raise explore.max_schedules (--max-schedules overrides it)" : limit.from === "option" ? ", or raise --max-schedules" : "";
        const message = `the exploration of its races would run ${e.qualifier}${grouped(e.count)} schedules, over ${over}; narrow it with at: or during: on the races, or a lower explore.depth (now ${depth})${raise}`;
        return { file, problems: [{ file, line: line.line, col: line.col, path, message }], tooLarge: false };
      }
      // So is one that passed --max-duration: the others are still checked.
      if (e instanceof TimeUp) {
        const line = loaded.locate?.(["races"]) ?? { line: 1, col: 1 };
        const message = `the exploration of its races passed ${e.progress}; narrow it with fewer races or at: or during: on them, a lower explore.depth (now ${depth}), or raise --max-duration`;
        return { file, problems: [{ file, line: line.line, col: line.col, path: ["races"], message }], tooLarge: false };
      }
      throw e;
    }
  } catch (e) {
    if (e instanceof InputError) return { file, problems: [...e.problems], tooLarge: false };
    return { file, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

/**
 * Every file prepared, in the given order, with the problems of the invalid
 * ones (and their names) instead of a throw: `check` goes on past them.
 * A file too large to trace and an internal error still throw.
 */
export function prepareEach(
  files: readonly string[],
  limits: Limits = {},
  progress?: CheckProgress,
  bundle: string | undefined = bundlePath(),
): { ready: Ready[]; problems: Problem[]; invalid: string[] } {
  const threads = threadCount();
  const all =
    threads > 1 && files.length >= MIN_FILES && bundle !== undefined
      ? inParallel({ files, limits }, threads - 1, bundle, progress)
      : files.map((f, i) => {
          progress?.files(i, files.length);
          return prepareOne(f, limits, progress);
        });
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

const CHECK_KIND = "axptr-sim-check";

/** What every worker gets: the files, and the bounds on their explorations. */
interface CheckJob {
  files: readonly string[];
  limits: Limits;
}

/** The files cut into chunks, prepared on this thread and `workers` worker threads (the pool: src/workers/pool.ts). */
function inParallel(job: CheckJob, workers: number, bundle: string, progress?: CheckProgress): Prepared[] {
  const { files } = job;
  const chunks = Math.ceil(files.length / CHUNK);
  progress?.files(0, files.length);
  const results = runPool({
    script: workerScript(bundle),
    kind: CHECK_KIND,
    data: job,
    chunks,
    threads: workers + 1,
    here: (c, done) => prepareChunk(job, c, done, progress),
    ...(progress ? { progress: (done: number) => progress.files(done, files.length) } : {}),
  });
  return results.flat();
}

/** `done(n)`: n files of the chunk prepared (the pool adds up every thread's); `progress`: on this thread only, a long exploration's states. */
function prepareChunk(job: CheckJob, c: number, done?: (n: number) => void, progress?: CheckProgress): Prepared[] {
  return job.files.slice(c * CHUNK, (c + 1) * CHUNK).map((f, i) => {
    const p = prepareOne(f, job.limits, progress);
    done?.(i + 1);
    return p;
  });
}

// In a worker started by the pool: prepare the chunks it takes.
servePool(CHECK_KIND, (job: CheckJob, c: number, done: (n: number) => void) => prepareChunk(job, c, done));

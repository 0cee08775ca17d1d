// `explore FILE` and `explore --merge A.json B.json …` (explore.md section 5).
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { explore, TooManySchedules, type ExploreResult, type Parallel, type Shard } from "../../explore/explore.js";
import { workerPool } from "../../explore/workers.js";
import { MAX_SHARDS, MergeError, mergeShards } from "../../explore/merge.js";
import { exploreJson, renderExploreJson, withFingerprint } from "../../render/explore-json.js";
import { exploreTextAll, exploreTextBlock } from "../../render/explore-text.js";
import type { Json } from "../../render/json.js";
import { ALL_STRATEGIES, STRATEGIES } from "../../scenario/schema.js";
import { isStarry, KERNELS } from "../../scenario/kernels.js";
import { printable as p } from "../../scenario/printable.js";
import { checkStrategyOption, parseKernel, withKernel } from "../kernel.js";
import { TraceTooLarge } from "../../sim/machine.js";
import type { StrategyName } from "../../sim/simulate.js";
import { CheckFailed, InputError, UsageError } from "../errors.js";
import { loadAll, loadEach, readInput, type Loaded } from "../io.js";
import { invocation, pathFromHere } from "../invocation.js";
import { fileFromJson, resultFromJson } from "../../explore/from-json.js";
import { replayCommand, violationReasons } from "../../render/explore-text.js";
import { shardFingerprint } from "../fingerprint.js";
import { limitName, parseDuration, scheduleLimit, timed, TimeUp } from "../limits.js";

/** The largest shard --merge reads: a class's witness may hold megabytes of values. */
const MAX_SHARD_BYTES = 64 * 1024 * 1024;

export interface ExploreCommandOptions {
  depth?: string;
  strategy?: string;
  /** --kernel NAME, or all: each kernel in kernels.md's order (kernels.md section 1). */
  kernel?: string;
  format: "text" | "json";
  shard?: string;
  /** --max-schedules as written; absent: the file's explore.max_schedules, else the default. */
  maxSchedules?: string;
  /** --max-duration SECONDS as written: each exploration stops there (exit 2). No default: a clock would make the answer depend on the machine. */
  maxDuration?: string;
  /** Threads in all for a large exploration (default: the machine's cores; 1: this thread only). */
  workers?: string;
  color: boolean;
  /** Shows a progress line (on a terminal only). */
  progress?: (done: number, total: number, strategy: string) => void;
  /** Shows the states worked out and the schedules they cover (the exploration by states; on a terminal only). */
  states?: (states: number, schedules: number, strategy: string) => void;
}

function parseDepth(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[123]$/.test(text)) throw new UsageError(`--depth ${JSON.stringify(text)}: expected 1, 2 or 3`);
  return Number(text);
}

export function parseShard(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  const m = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || !Number.isSafeInteger(count) || index > count) throw new UsageError(`--shard ${JSON.stringify(text)}: expected I/N with 1 ≤ I ≤ N (e.g. --shard 2/4)`);
  if (count > MAX_SHARDS)
    throw new UsageError(`--shard ${JSON.stringify(text)}: N is at most ${grouped(MAX_SHARDS)} (one shard a CI job; a merge reads every one)`);
  return { index, count };
}

/** `named`: a kernel is named (in the file or by --kernel): global-flag joins `all`, last. */
function strategiesOf(text: string | undefined, fileStrategy: StrategyName, named = false): { list: StrategyName[]; all: boolean; overridden: boolean } {
  if (text === undefined) return { list: [fileStrategy], all: false, overridden: false };
  if (text === "all") return { list: [...(named ? ALL_STRATEGIES : STRATEGIES)], all: true, overridden: true };
  if (!(ALL_STRATEGIES as readonly string[]).includes(text)) throw new UsageError(`--strategy ${JSON.stringify(text)}: expected all or one of ${ALL_STRATEGIES.join(", ")}`);
  return { list: [text as StrategyName], all: false, overridden: true };
}

export const grouped = (n: number) => n.toLocaleString("en-US");

/** Below this many full-depth schedules, starting threads costs more than it saves (unless --workers asks for them). */
const PARALLEL_FROM = 20_000;

/** The worker pool: --workers N uses N threads whatever the size; by default every core, for large explorations only. */
function parallelOf(text: string | undefined): Parallel | undefined {
  let workers = Math.min(availableParallelism(), 8);
  let from = PARALLEL_FROM;
  if (text !== undefined) {
    if (!/^[1-9][0-9]?$/.test(text) || Number(text) > 64) throw new UsageError(`--workers ${JSON.stringify(text)}: expected a number of threads from 1 to 64`);
    workers = Number(text);
    from = 1;
  }
  // The bundled CLI has its worker beside it; run from source (tests of the library) there is none, and one thread does it all.
  const script = typeof __dirname === "string" ? join(__dirname, "explore-worker.cjs") : undefined;
  if (workers < 2 || script === undefined || !existsSync(script)) return undefined;
  return workerPool(script, workers, from);
}

/** Runs the exploration(s) of one loaded file; throws typed errors for the CLI. */
export function exploreLoaded(given: Loaded, o: ExploreCommandOptions): ExploreResult[] {
  const kernel = parseKernel(o.kernel, true);
  if (kernel === "all") {
    if (o.strategy !== undefined) throw new UsageError(`--strategy ${o.strategy} cannot be given with --kernel all: the starry-* kernels fix their strategies`);
    return KERNELS.flatMap((k) => exploreLoaded(withKernel(given, k), { ...o, kernel: undefined }));
  }
  checkStrategyOption(given, o.strategy, kernel);
  const l = withKernel(given, kernel);
  const { file, scenario } = l;
  if (scenario.races.length === 0)
    throw new InputError([{ file, line: 1, col: 1, path: ["races"], message: "the scenario has no races: nothing to explore (add a races: list; see README, \"Finding races\")" }]);
  const depth = parseDepth(o.depth) ?? scenario.explore?.depth ?? 1;
  const shard = parseShard(o.shard);
  const limit = scheduleLimit(o.maxSchedules, scenario);
  const seconds = parseDuration(o.maxDuration);
  const parallel = parallelOf(o.workers);
  const { list } = strategiesOf(o.strategy, scenario.machine.strategy, scenario.machine.kernel !== undefined);
  return list.map((strategy) => {
    try {
      return explore(scenario, {
        depth,
        strategy,
        maxSchedules: limit.max,
        ...(parallel ? { parallel } : {}),
        ...(shard ? { shard } : {}),
        ...timed(seconds, {
          ...(o.progress ? { progress: (d: number, t: number) => o.progress?.(d, t, strategy) } : {}),
          ...(o.states ? { onStates: (n: number, covered: number) => o.states?.(n, covered, strategy) } : {}),
        }),
      });
    } catch (e) {
      const under = o.strategy === "all" ? ` under ${strategy}` : "";
      // The file's limit is raised in the file, or overridden on the command line.
      const raise = limit.from === "file" ? "explore.max_schedules (--max-schedules overrides it)" : "--max-schedules";
      if (e instanceof TooManySchedules)
        throw new UsageError(
          `${file}: the exploration would run ${e.qualifier}${grouped(e.count)} schedules${under}, over ${limitName(limit)}; ` +
            `narrow it with at: or during: on the races, a lower --depth (now ${depth}), or split it with --shard I/N, or raise ${raise}`,
        );
      if (e instanceof TimeUp)
        throw new UsageError(
          `${file}: the exploration${under} passed ${e.progress}; ` +
            `narrow it with fewer races or at: or during: on them, a lower --depth (now ${depth}), or split it with --shard I/N, or raise --max-duration`,
        );
      if (e instanceof TraceTooLarge) throw new InputError([{ file, line: 1, col: 1, path: [], message: `too large to trace: ${e.message}` }]);
      throw e;
    }
  });
}

/** The JSON of one result; a shard's carries the fingerprint of its own strategy and kernel (each document of --strategy all or --kernel all has its own). */
function shardJson(r: ExploreResult, file: string, bytes: Uint8Array): { [k: string]: Json } {
  const doc = exploreJson(r, file);
  if (r.shard === null) return doc;
  return withFingerprint(doc, shardFingerprint(bytes, { depth: r.depth, strategy: r.machine.strategy, kernel: r.machine.kernel, shards: r.shard.count }));
}

export function exploreCommand(files: readonly string[], o: ExploreCommandOptions): { stdout: string; failed?: CheckFailed } {
  if (files.length !== 1) throw new UsageError(`explore takes one scenario file (got ${files.length}); to merge shards use explore --merge A.json B.json …`);
  const [l] = loadAll(files) as [Loaded];
  const results = exploreLoaded(l, o);
  const byKernel = o.kernel === "all";
  const all = o.strategy === "all" || byKernel;
  let stdout: string;
  if (o.format === "json") stdout = renderExploreJson(results.map((r) => shardJson(r, l.file, l.bytes)), !all);
  else {
    const never = l.scenario.explore?.never ?? [];
    const hazardsForbidden = l.scenario.explore?.hazards === "forbidden";
    // The replay commands run as printed from here: the tool as the user started it, the file from the current folder.
    const base = { color: o.color, file: pathFromHere(l.file), never, hazardsForbidden, command: invocation() };
    stdout = all
      ? exploreTextAll(results, { ...base, ...(o.kernel !== undefined && !byKernel ? { kernelArg: o.kernel } : {}) }, byKernel)
      : exploreTextBlock(results[0] as ExploreResult, { ...base, ...(o.strategy !== undefined ? { strategyArg: o.strategy } : {}), ...(o.kernel !== undefined ? { kernelArg: o.kernel } : {}) });
  }
  const violations = results.some((r) => r.violations > 0);
  // No summary line: explore writes nothing to standard error but its progress (explore.md section 5).
  return violations ? { stdout, failed: new CheckFailed("") } : { stdout };
}

/** `explore --merge`: every file is a shard document (or, for --strategy all, an array of them). Text by default, as explore. */
export function mergeCommand(files: readonly string[], o: { format: "text" | "json"; color: boolean } = { format: "json", color: false }): { stdout: string; stderr?: string; failed?: CheckFailed } {
  if (files.length === 0) throw new UsageError("explore --merge needs the shards' JSON files");
  const docs = files.map((file) => {
    // Read as a scenario is (bounded, folders and unreadable files refused in words), with room for large classes.
    const read = readInput(file, { maxBytes: MAX_SHARD_BYTES, what: "a shard's JSON file" });
    if ("problem" in read) throw new InputError([read.problem]);
    const { text } = read;
    try {
      return { file, doc: JSON.parse(text) as Json };
    } catch {
      throw new UsageError(`${file}: not JSON (expected the output of explore --format json --shard I/N)`);
    }
  });
  const arrays = docs.map((d) => Array.isArray(d.doc));
  if (arrays.some((a) => a !== arrays[0])) throw new UsageError("explore --merge: some files hold one strategy, others several (--strategy all): merge shards of one exploration");
  try {
    let merged: Json;
    if (arrays[0]) {
      const n = (docs[0]?.doc as Json[]).length;
      for (const d of docs) if ((d.doc as Json[]).length !== n) throw new MergeError(`${d.file} holds ${(d.doc as Json[]).length} strategies, ${docs[0]?.file} ${n}`);
      merged = Array.from({ length: n }, (_, i) => mergeShards(docs.map((d) => ({ doc: (d.doc as Json[])[i] ?? null, where: `${d.file}[${i}]` }))));
    } else merged = mergeShards(docs.map((d) => ({ doc: d.doc, where: d.file })));
    const results = (Array.isArray(merged) ? merged : [merged]).map(resultFromJson);
    const file = pathFromHere(fileFromJson(Array.isArray(merged) ? (merged[0] ?? null) : merged));
    const stdout = o.format === "json" ? `${JSON.stringify(merged, null, 2)}\n` : mergedText(results, file, o.color);
    // A merge is the last step of a CI job whose output goes to a file: a violation is explained on standard error too.
    const said = violationLines(results, file);
    return said.length > 0 ? { stdout, stderr: said.join("\n") + "\n", failed: new CheckFailed("") } : { stdout };
  } catch (e) {
    if (e instanceof MergeError) throw new UsageError(`explore --merge: ${e.message}`);
    throw e;
  }
}

/**
 * The explore settings of the file the shards name, when it is there and is that scenario (a CI job's checkout):
 * they are not in the JSON. Otherwise none: a violating class then says only that it violates the file's settings.
 */
function settingsOf(file: string, name: string): { never: readonly string[]; hazardsForbidden: boolean } {
  const [l] = file === "-" || !existsSync(file) ? [] : loadEach([file]).loaded;
  if (!l || l.scenario.name !== name) return { never: [], hazardsForbidden: false };
  return { never: l.scenario.explore?.never ?? [], hazardsForbidden: l.scenario.explore?.hazards === "forbidden" };
}

/**
 * Merged shards as explore prints them; replays name the strategy (whether the shards' was the file's own is not in their JSON)
 * and the kernel the documents name, except a starry-* kernel's strategy, which it fixes (and --strategy beside it is refused).
 * Several documents differing by kernel are explore --kernel all's: one line per kernel, each replayed with its --kernel.
 */
function mergedText(results: readonly ExploreResult[], file: string, color: boolean): string {
  const base = { color, file, ...settingsOf(file, results[0]?.scenario ?? ""), command: invocation() };
  const kernels = new Set(results.map((r) => r.machine.kernel));
  if (results.length > 1 && kernels.size > 1) return exploreTextAll(results, base, true);
  if (results.length > 1) return exploreTextAll(results, { ...base, ...kernelOf(results[0] as ExploreResult) });
  const [r] = results as [ExploreResult];
  return exploreTextBlock(r, { ...base, ...replayArgs(r) });
}

/** The --kernel a merged result's replay repeats (none when no kernel was named). */
function kernelOf(r: ExploreResult): { kernelArg?: string } {
  return r.machine.kernel !== undefined ? { kernelArg: r.machine.kernel } : {};
}

/** The --kernel and --strategy a merged result's replay names. */
function replayArgs(r: ExploreResult): { kernelArg?: string; strategyArg?: string } {
  return { ...kernelOf(r), ...(r.machine.kernel !== undefined && isStarry(r.machine.kernel) ? {} : { strategyArg: r.machine.strategy }) };
}

/** Each violating class in one line with the command that replays it (a merge's explanation on standard error). */
export function violationLines(results: readonly ExploreResult[], file: string): string[] {
  const out: string[] = [];
  const byKernel = new Set(results.map((r) => r.machine.kernel)).size > 1;
  // Which setting each class breaks, when the file is here to say (the JSON does not carry the settings).
  const settings = settingsOf(file, results[0]?.scenario ?? "");
  for (const r of results) {
    if (r.violations === 0) continue;
    const bad = r.classes.map((c, i) => ({ c, i })).filter(({ c }) => c.violates);
    const under = results.length > 1 ? ` under ${byKernel ? (r.machine.kernel ?? "") : r.machine.strategy}` : "";
    // Shards of --kernel all replay as explore --kernel all prints them: each with its --kernel (and the file's strategy).
    const { kernelArg, strategyArg } = byKernel ? { ...kernelOf(r), strategyArg: undefined } : replayArgs(r);
    out.push(p(`axptr-sim: ${file}${under}: ${bad.length} class${bad.length === 1 ? "" : "es"} (${r.violations} schedule${r.violations === 1 ? "" : "s"}) violate${bad.length === 1 ? "s" : ""} the file's explore settings:`));
    for (const { c, i } of bad) {
      const hazards = c.hazards.length > 0 ? `, hazards ${c.hazards.join(", ")}` : "";
      const reasons = violationReasons(c, settings.never, settings.hazardsForbidden);
      const broken = reasons === "explore settings" ? "" : ` (violates ${reasons})`;
      out.push(p(`  class ${i + 1}: ${c.count} schedule${c.count === 1 ? "" : "s"}, outcome ${c.outcome}${hazards}${broken}; replay: ${replayCommand(file, c.witness, strategyArg, kernelArg, invocation())}`));
    }
  }
  return out;
}

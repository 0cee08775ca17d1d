import { jsonChunks } from "../../render/json.js";
import { ndjsonChunks } from "../../render/ndjson.js";
import { textChunks } from "../../render/text.js";
import { renderMermaidAll } from "../../render/mermaid/index.js";
import type { StrategyName } from "../../sim/simulate.js";
import type { Trace } from "../../sim/events.js";
import { parseToken, raceEvents } from "../../explore/schedule.js";
import { CheckFailed, InputError, UsageError } from "../errors.js";
import { loadEach, scenarioFiles, simulateLoaded } from "../io.js";
import { checkStrategyOption, withKernel } from "../kernel.js";
import type { KernelName } from "../../scenario/kernels.js";
import { unexploredRaces } from "../unexplored.js";

export type Format = "text" | "json" | "ndjson" | "mermaid";

export interface RunOptions {
  format: Format;
  strategy?: StrategyName;
  /** --kernel: overrides the file's machine.kernel (kernels.md section 1). */
  kernel?: KernelName;
  quiet: boolean;
  /** An explore witness: the schedule to run (explore.md section 6). */
  replay?: string;
  color: boolean;
  /** mermaid: each diagram in a Markdown code fence. */
  fences?: boolean;
  /** --replay: run a token whose pairs the run does not all reach, those races unfired (explore.md section 6); by default refused. */
  allowUnfired?: boolean;
  /** Each failing region check, page check and populate says why (text and JSON); off, the output is as it always was. */
  explain?: boolean;
}

/** `run PATH…` (files, folders: their scenarios, sorted; -): the output to print, and whether every expectation was met. */
export function runCommand(paths: readonly string[], opts: RunOptions): { output: Iterable<string>; stderr?: string; failed?: CheckFailed } {
  if (opts.fences && opts.format !== "mermaid") throw new UsageError("--fences wraps Mermaid diagrams in code fences: add --format mermaid");
  if (opts.allowUnfired && opts.replay === undefined) throw new UsageError("--allow-unfired is about the pairs of a --replay token: add --replay TOKEN, or leave it out");
  if (opts.explain && opts.format === "mermaid") throw new UsageError("--explain adds reasons to the trace's lines: --format mermaid does not show them (use text, json or ndjson)");
  // An option a format would ignore is refused, as --fences is: the user asked for something they would not get.
  if (opts.quiet && opts.format !== "text") throw new UsageError(`--quiet shortens the text trace: --format ${opts.format} does not use it (leave out --quiet, or use --format text)`);
  const { files, problems } = scenarioFiles(paths);
  const { loaded, problems: fileProblems } = loadEach(files);
  // When any file is invalid, nothing runs (format section 3).
  if (problems.length + fileProblems.length > 0) throw new InputError([...problems, ...fileProblems]);
  // Every file is checked against --kernel and --strategy before anything runs.
  const effective = loaded.map((l) => (checkStrategyOption(l, opts.strategy, opts.kernel), withKernel(l, opts.kernel)));
  const traces = effective.map(({ file, scenario }) => {
    const races = opts.replay === undefined ? undefined : replayed(file, scenario, opts.replay);
    // A replay explores the schedule the user asked for: only a plain run says that races went unexplored.
    const unexplored = opts.replay === undefined ? unexploredRaces(file, scenario, "run", opts.kernel) : undefined;
    const trace = simulateLoaded({ file, scenario }, { ...(opts.strategy ? { strategy: opts.strategy } : {}), ...(races ? { races } : {}), ...(opts.explain ? { explain: true } : {}) });
    if (opts.replay !== undefined && !opts.allowUnfired) refuseUnplaced(file, opts.replay, trace);
    return { file, trace, ...(unexplored ? { unexplored } : {}) };
  });
  const json = opts.format === "json" || opts.format === "ndjson";
  const said = json ? [] : traces.flatMap((t) => (t.unexplored ? [t.unexplored.line] : []));
  const stderr = said.length > 0 ? { stderr: said.map((l) => l + "\n").join("") } : {};
  const docs = traces.map(({ file, trace, unexplored }) => ({ file, trace, ...(unexplored ? { extra: unexplored.json } : {}) }));
  let output: Iterable<string>;
  if (opts.format === "json") output = jsonChunks(docs, paths.length === 1 && files[0] === paths[0]) /* one file: a document; a folder: an array */;
  else if (opts.format === "ndjson") output = ndjsonChunks(docs);
  else if (opts.format === "mermaid") output = [renderMermaidAll(traces, { color: opts.color, fences: opts.fences ?? false })];
  else output = textOf(traces, opts);
  output = batched(output);
  const failed = traces.reduce((n, t) => n + t.trace.summary.expectations.failed, 0);
  return failed > 0 ? { output, ...stderr, failed: new CheckFailed(`${failed} expectation${failed === 1 ? "" : "s"} failed`) } : { output, ...stderr };
}

/** Text traces one after another, a blank line between them. */
function* textOf(traces: readonly { trace: Trace; file: string }[], opts: RunOptions): Generator<string> {
  for (const [i, { trace, file }] of traces.entries()) {
    if (i > 0) yield "\n";
    yield* textChunks(trace, file, { color: opts.color, quiet: opts.quiet });
  }
}

/** Lines gathered into pieces of about 64 KiB: one write per line would be a system call per event. */
function* batched(pieces: Iterable<string>): Generator<string> {
  let batch: string[] = [];
  let size = 0;
  for (const p of pieces) {
    if (p.length >= 1 << 16) {
      // A large piece (a slice of a huge value) goes as it is, not copied into a batch.
      if (batch.length > 0) yield batch.join("");
      yield p;
      batch = [];
      size = 0;
      continue;
    }
    batch.push(p);
    size += p.length;
    if (size >= 1 << 16) {
      yield batch.join("");
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0) yield batch.join("");
}

/** The races a --replay token places, or a bad-input error naming the token. */
function replayed(file: string, scenario: Parameters<typeof parseToken>[0], token: string): ReturnType<typeof raceEvents> {
  const r = parseToken(scenario, token);
  if (!r.ok) throw new UsageError(`${file}: --replay '${token}': ${r.message}`);
  return raceEvents(scenario, r.schedule);
}

/**
 * A replay whose pair the run never reaches (a step since removed, a renamed thread) would pass for a known
 * failure: it is refused, naming the pair (exit 2), unless --allow-unfired (explore.md section 6's behaviour:
 * that race is left unfired). Every pair of explore's own witnesses is reached.
 */
function refuseUnplaced(file: string, token: string, trace: Trace): void {
  const [u] = trace.unfired.filter((x) => x.race !== undefined);
  if (u === undefined) return;
  const pair = token.split("+").find((p) => p.startsWith(`${u.race}@`)) ?? `${u.race}@${u.when}`;
  throw new UsageError(
    `${file}: --replay '${token}': the pair ${pair} cannot be placed: ${u.why}; the token no longer fits the file (was it made from an older version?); --allow-unfired runs it with that race unfired`,
  );
}

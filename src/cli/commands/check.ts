// `check [PATH…]`: golden traces for CI. Reads scenarios and goldens, writes
// goldens only with --update (atomically), reports in words, JUnit or GitHub annotations.
// Every name and path it prints goes through printable() (p): see src/scenario/printable.ts.
import { accessSync, constants, mkdirSync, unlinkSync } from "node:fs";
import { basename, dirname } from "node:path";
import { failureMessage, JUNIT_MARK, renderJunit } from "../../check/junit.js";
import { judge, type CaseResult } from "../../check/golden.js";
import { outcomesPath, violationText } from "../../check/outcomes.js";
import { changeOf, reviewable, type Change } from "../../check/review.js";
import { palette } from "../../render/colors.js";
import { diffRows } from "../../render/diff.js";
import { renderText, resultText } from "../../render/text.js";
import type { Trace } from "../../sim/events.js";
import { formatProblem, type Problem } from "../../scenario/problems.js";
import { printable as p } from "../../scenario/printable.js";
import { CheckFailed, InputError, UsageError } from "../errors.js";
import { loadAll, simulateLoaded, type Loaded } from "../io.js";
import { fileProblem, headOf, lookAt, inspectTarget, readOnlyProblem, reasonOf, removeStaleTemporaries, writeAtomically, writeFailure, type Seen, type Target } from "../files.js";
import { collect, identities, SCENARIO } from "../walk.js";
import { invocation } from "../invocation.js";
import { excluded, excludeGlobs } from "../glob.js";
import { shellWord } from "../../render/explore-text.js";
import { prepareEach, type CheckProgress } from "./check-parallel.js";
import { parseDuration, parseMax } from "../limits.js";

export interface CheckOptions {
  update: boolean;
  strict: boolean;
  reporter: "human" | "junit";
  output?: string;
  /** Replace --output even when it is not an earlier JUnit report of check. */
  force?: boolean;
  color: boolean;
  /** CI is set: said in the report, and (as always) nothing is written without --update. */
  ci: boolean;
  /** GITHUB_ACTIONS is set: failures also become `::error` annotations. */
  github: boolean;
  /** Scenarios (or goldens) whose goldens to write, as --update would, and no others. */
  accept?: readonly string[];
  /** With --update: remove obsolete goldens. */
  prune?: boolean;
  /** Globs of scenario paths not to check (--exclude, repeatable). */
  exclude?: readonly string[];
  /** A check that finds no scenario passes (as vitest's --passWithNoTests); by default it fails. */
  passWithNoScenarios?: boolean;
  /** --max-schedules as written: the limit of every file's exploration (over each file's explore.max_schedules). */
  maxSchedules?: string;
  /** --max-duration SECONDS as written: the time each file's exploration may take (none by default: the verdict must not depend on the machine). */
  maxDuration?: string;
  /** A progress line (on a terminal only): files done, and a long exploration's states. */
  progress?: CheckProgress;
  /** check --review's first pass: nothing is written; the goldens --update would write come back as changes, with what was prepared. */
  plan?: boolean;
  /** check --review's last pass: what its first pass prepared (the traces reviewed, not made again), the goldens looked at again. */
  reuse?: PreparedSet;
}

/** What check made ready on every core (src/cli/commands/check-parallel.ts). */
export type PreparedSet = ReturnType<typeof prepareEach>;

export interface CheckDone {
  stdout: string;
  failed?: CheckFailed;
  problems?: Problem[];
  /** With `plan`: the goldens to review, in file order, and what was prepared for the last pass. */
  plan?: { changes: Change[]; prepared: PreparedSet };
}

/** Where check looks when given no path (format section 4). */
export const DEFAULT_FOLDER = "scenarios";

/** The golden trace of a scenario: the plain-text trace, no colour, no absolute path. */
export function goldenText(trace: Trace, scenarioPath: string): string {
  return renderText(trace, basename(scenarioPath), { color: false });
}

export function goldenPath(scenarioPath: string): string {
  return scenarioPath.replace(SCENARIO, ".trace");
}

export function checkCommand(paths: readonly string[], o: CheckOptions): CheckDone {
  if (o.prune && !o.update) throw new UsageError("--prune removes obsolete goldens, and goldens change only with --update: add --update");
  if (o.reporter === "junit" && !o.output) throw new UsageError("--reporter junit needs --output FILE");
  if (o.output && o.reporter !== "junit") throw new UsageError("--output is where the junit reporter writes: add --reporter junit");
  if (o.force && !o.output) throw new UsageError("--force lets --output replace a file that is not a JUnit report of check: add --reporter junit --output FILE");
  parseMax(o.maxSchedules);
  const maxDuration = parseDuration(o.maxDuration);
  const same = identities();
  const found = collect(paths, same, DEFAULT_FOLDER);
  const { traces: goldensSeen, problems } = found;
  // --exclude: those scenarios are not checked, and their goldens are not obsolete.
  const globs = excludeGlobs(o.exclude ?? []);
  const left = found.scenarios.filter((s) => excluded(s, globs.paths, globs.names));
  const scenarios = found.scenarios.filter((s) => !excluded(s, globs.paths, globs.names));

  // Each golden belongs to one scenario (a.yaml and a.yml would share a.trace), and is never a scenario.
  const owner = new Map<string, string>();
  for (const s of scenarios) {
    const g = goldenPath(s);
    const other = owner.get(same(g));
    if (other !== undefined) problems.push(fileProblem(s, `its golden ${g} is also the golden of ${other}: rename one of the two`));
    else owner.set(same(g), s);
  }
  // --accept PATH…: the goldens of those scenarios (or those goldens) are written as --update would, and no other.
  const accepted = new Map((o.accept ?? []).map((p) => [same(p), p]));
  const accepts = (file: string, golden: string) => accepted.has(same(file)) || accepted.has(same(golden));
  for (const [id, p] of accepted)
    if (!scenarios.some((s) => same(s) === id || same(goldenPath(s)) === id || same(outcomesPath(s)) === id))
      throw new UsageError(`--accept ${p}: not a scenario of this check, nor one's golden (name a .yaml checked here, or its .trace or .outcomes)`);
  let report: Target | undefined;
  if (o.output) {
    const id = same(o.output);
    if (owner.has(id) || scenarios.some((s) => same(s) === id)) throw new UsageError(`--output ${o.output}: is a scenario or a golden of this check: name another file`);
    makeFolderFor(o.output);
    try {
      accessSync(dirname(o.output), constants.W_OK);
    } catch (e) {
      throw writeFailure(o.output, "--output", e);
    }
    report = inspectTarget(o.output, "--output file");
    if (report.kind === "refused") problems.push(report.problem);
    else if (report.kind === "file" && report.readOnly) problems.push(readOnlyProblem(o.output, report.mode, "--output file"));
    // Only a report check wrote is replaced: --output names a file, and a typo must not cost the file it names.
    else if (report.kind === "file" && !o.force && !headOf(o.output).startsWith(JUNIT_MARK))
      problems.push(fileProblem(o.output, "the --output file exists and is not a JUnit report of axptr-sim check: check does not replace it (name another file, or add --force to replace it)"));
  }

  // Loaded, simulated and rendered on every core (src/cli/commands/check-parallel.ts), in file order.
  // An invalid scenario is reported (exit 2, after everything) and the others are checked;
  // what check cannot safely look at (links, permissions, folders in the way) stops it before anything is written.
  const made = o.reuse ? again(o.reuse) : prepareEach(scenarios, { maxSchedules: o.maxSchedules, maxDuration }, o.progress);
  const { ready: prepared, problems: invalidProblems, invalid } = made;
  // Every golden was looked at (never through a link, src/cli/files.ts) with its scenario: one check cannot look at stops it before anything is printed or written.
  for (const p of prepared) if (p.golden.target.kind === "refused") problems.push(p.golden.target.problem);
  refuse(problems, o);

  const c = palette(o.color);
  const out: string[] = [];
  const results: CaseResult[] = [];
  const writes: { golden: string; text: string; mode?: number }[] = [];
  /** What --update does to each golden, in the order of the scenarios. */
  const done: string[] = [];
  const lines = new Map<CaseResult, number>();
  const changes: Change[] = [];
  /** Judges one golden (as looked at and read with its scenario) and plans its write under --update. */
  const judgeGolden = (file: string, golden: string, now: string, expectations: string[], { target, read }: Seen): CaseResult | undefined => {
    if (target.kind === "refused") {
      problems.push(target.problem);
      return undefined;
    }
    if (read && "problem" in read) {
      problems.push(read.problem);
      return undefined;
    }
    const stored = read?.text;
    let r = judge(file, golden, now, stored, expectations);
    if (o.plan && reviewable(r)) changes.push(changeOf(r, now, target.kind === "file" && target.readOnly ? target.mode : undefined));
    const writing = o.update || accepts(file, golden);
    if (writing && r.status !== "passed" && (r.status === "missing" || r.diff)) {
      // A golden records a trace whose expectations are met: --update does not write one that fails them.
      if (r.expectations.length > 0) {
        const verb = r.status === "missing" ? "not created" : "not updated";
        done.push(
          golden.endsWith(".outcomes")
            ? `${verb} ${golden}: a class of ${file} violates its explore settings (fix it first: an outcome golden records only allowed outcomes)`
            : `${verb} ${golden}: an expectation of ${file} failed (fix it first: a golden records a trace whose expectations are met)`,
        );
        return r;
      }
      // A golden the user made read-only is not replaced: they meant something by it.
      if (target.kind === "file" && target.readOnly) problems.push(readOnlyProblem(golden, target.mode, "golden"));
      writes.push({ golden, text: now, ...(target.kind === "file" ? { mode: target.mode } : {}) });
      done.push(`${r.status === "missing" ? "created" : "updated"} ${golden}`);
      r = judge(file, golden, now, now, r.expectations);
    } else if (writing) done.push(`unchanged ${golden}`);
    return r;
  };
  for (const { file, now, expectations, golden, outcomes } of prepared) {
    const r = judgeGolden(file, goldenPath(file), now, expectations, golden);
    if (r === undefined) continue;
    results.push(r);
    // Only a failure is marked: its scenario is loaded and run again here for the line.
    if (r.status !== "passed") {
      const [loadedFile] = loadAll([file]);
      if (loadedFile) lines.set(r, markLine(loadedFile, simulateLoaded(loadedFile), r));
    }
    if (outcomes) {
      // The `.outcomes` golden of a scenario with races: judged like a trace golden; a violating class fails as an expectation does.
      const broken = outcomes.violations.map((v) => violationText(v, file, invocation()));
      const judged = judgeGolden(file, outcomesPath(file), outcomes.now, broken, outcomes.golden);
      if (judged === undefined) continue;
      // A violating class is a failure of the scenario, not a golden still to create: it counts as failed, golden or not.
      const oc: CaseResult = judged.status === "missing" && broken.length > 0 ? { ...judged, status: "failed", absent: true } : judged;
      results.push(oc);
      lines.set(oc, outcomes.line);
    }
  }
  // An outcome golden is live only while its scenario has races (an invalid scenario keeps both: it could not be looked at).
  const raceless = new Set(prepared.filter((p) => p.outcomes === undefined).map((p) => same(outcomesPath(p.file))));
  const goldenSet = new Set([...scenarios, ...left].flatMap((s) => [same(goldenPath(s)), same(outcomesPath(s))]).filter((g) => !raceless.has(g)));
  const stale = goldensSeen.filter((t) => !goldenSet.has(same(t))).sort();
  const why = (t: string) => (raceless.has(same(t)) ? "its scenario has no races" : "its scenario is gone");
  // Nothing is written (or pruned) unless every golden can be.
  for (const folder of new Set([...writes.map((w) => dirname(w.golden)), ...(o.prune ? stale.map((t) => dirname(t)) : [])])) {
    try {
      accessSync(folder, constants.W_OK);
    } catch (e) {
      problems.push(fileProblem(folder, `cannot write goldens in this folder: ${reasonOf(e)}`));
    }
  }
  refuse(problems, o);
  const removed: string[] = [];
  if (o.update || accepted.size > 0) {
    const folders = new Map(scenarios.map((s) => [same(dirname(goldenPath(s))), dirname(goldenPath(s))]));
    for (const folder of folders.values()) removed.push(...removeStaleTemporaries(folder));
  }
  for (const w of writes) writeAtomically(w.golden, w.text, "golden", w.mode);
  const listed: string[] = [...removed.map((t) => `removed ${t} (left behind by an interrupted check --update)`), ...done];
  // --update --prune removes obsolete goldens (a link is removed, never what it points to), listing each.
  const pruned = o.prune ? stale.filter((t) => pruneGolden(t, problems)) : [];
  refuse(problems, o);
  listed.push(...pruned.map((t) => `removed ${t} (obsolete: ${why(t)})`));
  const obsolete = stale.filter((t) => !pruned.includes(t));

  for (const r of results) {
    if (r.status === "passed") {
      out.push(`${c.ok("ok  ")} ${label(r)}`);
      continue;
    }
    if (r.status === "missing") {
      out.push(`${c.bad("MISSING")} ${label(r)}: no ${isOutcomes(r) ? "outcome golden" : "golden trace"} ${p(r.golden)}`);
      for (const e of r.expectations) out.push(`  expectation failed: ${p(e)}`);
      // --update does not create the golden of a failed expectation: the scenario (or the simulator) must change first.
      if (r.expectations.length === 0) out.push(`  create it with: ${p(`${invocation()} check --update ${shellWord(r.scenario)}`)}`);
      else out.push(fixLine(r));
      continue;
    }
    out.push(`${c.bad("FAIL")} ${label(r)}: ${p(failureMessage(r))}`);
    // An outcome golden's failed expectations are violating classes, each already saying so.
    for (const e of r.expectations) out.push(isOutcomes(r) ? `  ${p(e)}` : `  expectation failed: ${p(e)}`);
    // A stored golden is the user's file, and may hold anything: its lines are made printable too.
    if (r.diff) out.push(...diffRows(r.diff, o.color));
    // One next step that works: --update cannot mend a failed expectation (it refuses), so it is offered only when none failed.
    if (r.expectations.length > 0) out.push(isOutcomes(r) ? `  fix the behaviour a witness shows (replay it as above), or the explore settings in ${p(r.scenario)}` : fixLine(r));
    else if (r.diff) out.push(`  if the change is intended: ${p(`${invocation()} check --update ${shellWord(r.scenario)}`)}`);
  }
  for (const f of invalid) out.push(`${c.bad("INVALID")} ${p(f)}: not checked (its problems are on standard error)`);
  for (const t of obsolete) out.push(`${o.strict ? c.bad("OBSOLETE") : c.warn("obsolete")} ${p(t)}: ${p(why(t))} (delete it${o.strict ? "" : "; --strict fails on it"})`);
  if (listed.length > 0) out.push("", ...listed.map(p));

  // A check of nothing is most often a wrong path or a wrong glob in CI: it fails, as test runners do on "no tests found".
  const none = scenarios.length === 0 && o.passWithNoScenarios !== true;
  if (none) out.push(`${c.bad("NO SCENARIOS")} in ${p(paths.join(", "))}: no file named NAME.yaml or NAME.yml (--pass-with-no-scenarios passes anyway)`);
  const passed = results.filter((r) => r.status === "passed").length;
  const failed = results.filter((r) => r.status === "failed").length;
  const missing = results.filter((r) => r.status === "missing").length;
  const invalidCount = invalid.length > 0 ? `, ${invalid.length} invalid` : "";
  out.push("", `check: ${passed} passed, ${failed} failed, ${missing} missing, ${obsolete.length} obsolete${invalidCount}${o.ci && !o.update ? " (CI: goldens are written only with --update)" : ""}`);

  if (o.github) out.push(...annotations(results, o.strict ? obsolete : [], lines, why));
  // In GitHub Actions an invalid scenario is also marked on its own line.
  if (o.github && invalidProblems.length > 0) out.push(problemAnnotations(invalidProblems).trimEnd());
  if (o.reporter === "junit" && o.output) {
    removeStaleTemporaries(dirname(o.output));
    writeAtomically(o.output, renderJunit(results, obsolete, o.strict, invalidProblems, why), "--output", report?.kind === "file" ? report.mode : undefined);
  }

  const bad = failed + missing + (o.strict ? obsolete.length : 0);
  const stdout = out.join("\n") + "\n";
  const result: CheckDone = { stdout, ...(invalidProblems.length > 0 ? { problems: invalidProblems } : {}), ...(o.plan ? { plan: { changes, prepared: made } } : {}) };
  if (bad > 0) return { ...result, failed: new CheckFailed(`check failed: ${failed} failed, ${missing} missing${o.strict ? `, ${obsolete.length} obsolete` : ""}`) };
  return none ? { ...result, failed: new CheckFailed("check failed: no scenarios found") } : result;
}


/** What an earlier pass prepared, its goldens looked at again (they may have changed since). */
function again(set: PreparedSet): PreparedSet {
  return {
    ...set,
    ready: set.ready.map((r) => ({ ...r, golden: lookAt(goldenPath(r.file), "golden"), ...(r.outcomes ? { outcomes: { ...r.outcomes, golden: lookAt(outcomesPath(r.file), "golden") } } : {}) })),
  };
}

/** --output may name a file in folders that do not exist yet (reports/junit.xml): they are made, as other reporters do. */
function makeFolderFor(path: string): void {
  const folder = dirname(path);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === "EEXIST" || code === "ENOTDIR" ? "a file is in the way" : code === "EACCES" || code === "EPERM" ? "permission denied" : (e as Error).message;
    throw new UsageError(`--output ${path}: cannot make its folder ${folder}: ${reason}`);
  }
}

/** Removes an obsolete golden; a failure is a problem of that file (the check then exits 2). */
function pruneGolden(path: string, problems: Problem[]): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (e) {
    problems.push(fileProblem(path, `cannot remove this obsolete golden: ${reasonOf(e)}`));
    return false;
  }
}

/** What to do about a failed expectation: the scenario (or the simulator) must change; the run shows it. */
function fixLine(r: CaseResult): string {
  return `  ${p(`fix the expectation in ${r.scenario}, or the behaviour it describes (${invocation()} run ${shellWord(r.scenario)})`)}`;
}

function isOutcomes(r: CaseResult): boolean {
  return r.golden.endsWith(".outcomes");
}

/** A case as the report names it: the scenario, and "(outcomes)" for its outcome golden. */
function label(r: CaseResult): string {
  return p(isOutcomes(r) ? `${r.scenario} (outcomes)` : r.scenario);
}

export function failedExpectations(t: Trace): string[] {
  const steps = t.steps
    .filter((s) => s.met === false && s.expected !== null)
    .map((s) => `${s.thread}#${s.step} ${s.op}: expected ${resultText(s.expected ?? { status: "not-run" })}, got ${resultText(s.result)}`);
  return [...steps, ...t.expectations.filter((e) => !e.met).map((e) => `run: ${e.what}, ${got(e.what, t)}`)];
}

/** What the run gave instead: the outcome for an outcome expectation, the hazards reported for a hazard one. */
function got(what: string, t: Trace): string {
  if (!what.startsWith("hazard ")) return `got outcome ${t.outcome}`;
  const kinds = [...new Set(t.hazards.map((h) => h.kind))];
  return kinds.length === 0 ? "got no hazard" : `got hazard${kinds.length === 1 ? "" : "s"} ${kinds.join(", ")}`;
}

/** GitHub Actions workflow commands: each failure marked on its scenario file. */
/** The scenario's line to mark: the step with the first failed expectation, else the step where the trace first differs. */
function markLine(l: Loaded, trace: Trace, r: CaseResult): number {
  const failed = trace.steps.find((s) => s.met === false);
  const step = failed ?? r.step;
  if (!step || !l.locate) return 1;
  const ti = l.scenario.threads.findIndex((t) => t.name === step.thread);
  return ti < 0 ? 1 : l.locate(["threads", ti, "steps", step.step - 1]).line;
}

/** `why`: why an obsolete golden is obsolete, as the text report says it. */
function annotations(results: readonly CaseResult[], obsolete: readonly string[], marks: ReadonlyMap<CaseResult, number>, why: (golden: string) => string): string[] {
  const failures = results
    .filter((r) => r.status !== "passed")
    .map((r) => `::error file=${prop(p(r.scenario))},line=${marks.get(r) ?? 1},title=${prop("axptr-sim check")}::${esc(p(failureMessage(r)))}`);
  return [...failures, ...obsolete.map((t) => `::error file=${prop(p(t))},line=1,title=${prop("axptr-sim check")}::${esc(p(`obsolete golden: ${why(t)}`))}`)];
}

function problemAnnotations(problems: readonly Problem[]): string {
  return problems.map((q) => `::error file=${prop(p(q.file))},line=${q.line},col=${q.col},title=${prop("axptr-sim check")}::${esc(formatProblem(q))}`).join("\n") + "\n";
}

const esc = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const prop = (s: string) => esc(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/** Problems found before anything is written end the check: exit 2, nothing written (marked in GitHub Actions too). */
function refuse(problems: readonly Problem[], o: CheckOptions): void {
  if (problems.length > 0) throw new InputError(problems, o.github ? problemAnnotations(problems) : "");
}

// `check [PATH…]`: golden traces for CI. Reads scenarios and goldens, writes
// goldens only with --update (atomically), reports in words, JUnit or GitHub annotations.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, normalize } from "node:path";
import { failureMessage, renderJunit } from "../../check/junit.js";
import { judge, type CaseResult } from "../../check/golden.js";
import { outcomesPath } from "../../check/outcomes.js";
import { palette } from "../../render/colors.js";
import { renderText, resultText } from "../../render/text.js";
import type { Trace } from "../../sim/events.js";
import { formatProblem, type Problem } from "../../scenario/problems.js";
import { CheckFailed, UsageError } from "../errors.js";
import { loadAll, simulateLoaded, type Loaded } from "../io.js";
import { prepareEach } from "../../check/parallel.js";

export interface CheckOptions {
  update: boolean;
  strict: boolean;
  reporter: "human" | "junit";
  output?: string;
  color: boolean;
  /** CI is set: said in the report, and (as always) nothing is written without --update. */
  ci: boolean;
  /** GITHUB_ACTIONS is set: failures also become `::error` annotations. */
  github: boolean;
}

const SCENARIO = /\.ya?ml$/;
/** Where check looks when given no path (format section 4). */
export const DEFAULT_FOLDER = "scenarios";

/** The golden trace of a scenario: the plain-text trace, no colour, no absolute path. */
export function goldenText(trace: Trace, scenarioPath: string): string {
  return renderText(trace, basename(scenarioPath), { color: false });
}

export function goldenPath(scenarioPath: string): string {
  return scenarioPath.replace(SCENARIO, ".trace");
}

export function checkCommand(paths: readonly string[], o: CheckOptions): { stdout: string; failed?: CheckFailed; problems?: Problem[] } {
  if (o.reporter === "junit" && !o.output) throw new UsageError("--reporter junit needs --output FILE");
  if (o.output && o.reporter !== "junit") throw new UsageError("--output is where the junit reporter writes: add --reporter junit");
  const { scenarios, traces: goldensSeen } = collect(paths);
  // Loaded, simulated and rendered on every core (src/check/parallel.ts), in file order.
  // An invalid scenario is reported (exit 2, after everything) and the others are checked.
  const { ready: prepared, problems, invalid } = prepareEach(scenarios);
  const c = palette(o.color);
  const out: string[] = [];
  const results: CaseResult[] = [];
  const written: string[] = [];
  const lines = new Map<CaseResult, number>();
  for (const { file, now, expectations, outcomes } of prepared) {
    const golden = goldenPath(file);
    const stored = existsSync(golden) ? readFileSync(golden, "utf8") : undefined;
    let r = judge(file, golden, now, stored, expectations);
    if (o.update) {
      const u = update(r, now);
      written.push(u.said);
      if (u.written) r = judge(file, golden, now, now, r.expectations);
    }
    results.push(r);
    // Only a failure is marked: its scenario is loaded and run again here for the line.
    if (r.status !== "passed") {
      const [loadedFile] = loadAll([file]);
      if (loadedFile) lines.set(r, markLine(loadedFile, simulateLoaded(loadedFile), r));
    }
    if (outcomes) {
      const oc = checkOutcomes(file, outcomes.now, outcomes.violations, o.update, written);
      results.push(oc);
      lines.set(oc, outcomes.line);
    }
  }
  const expected = new Set(scenarios.flatMap((s) => [normalize(goldenPath(s)), normalize(outcomesPath(s))]));
  const obsolete = goldensSeen.filter((t) => !expected.has(normalize(t))).sort();

  for (const r of results) {
    if (r.status === "passed") {
      out.push(`${c.ok("ok  ")} ${label(r)}`);
      continue;
    }
    if (r.status === "missing") {
      out.push(`${c.bad("MISSING")} ${label(r)}: no ${isOutcomes(r) ? "outcome golden" : "golden trace"} ${r.golden}`);
      out.push(`  create it with: npx axptr-sim check --update ${r.scenario}`);
      continue;
    }
    out.push(`${c.bad("FAIL")} ${label(r)}: ${failureMessage(r)}`);
    for (const e of r.expectations) out.push(`  expectation failed: ${e}`);
    if (r.diff) {
      out.push(...r.diff.trimEnd().split("\n").map((l) => "  " + (l.startsWith("+") ? c.ok(l) : l.startsWith("-") ? c.bad(l) : l)));
      out.push(`  if the change is intended: npx axptr-sim check --update ${r.scenario}`);
    }
    // --update cannot mend a failed expectation: the scenario (or the simulator) must change.
    if (r.expectations.length > 0) out.push(`  fix the expectation in ${r.scenario}, or the behaviour it describes (npx axptr-sim run ${r.scenario})`);
  }
  for (const f of invalid) out.push(`${c.bad("INVALID")} ${f}: not checked (its problems are on standard error)`);
  for (const t of obsolete) out.push(`${o.strict ? c.bad("OBSOLETE") : c.warn("obsolete")} ${t}: its scenario is gone (delete it${o.strict ? "" : "; --strict fails on it"})`);
  if (written.length > 0) out.push("", ...written);

  const passed = results.filter((r) => r.status === "passed").length;
  const failed = results.filter((r) => r.status === "failed").length;
  const missing = results.filter((r) => r.status === "missing").length;
  const invalidCount = invalid.length > 0 ? `, ${invalid.length} invalid` : "";
  out.push("", `check: ${passed} passed, ${failed} failed, ${missing} missing, ${obsolete.length} obsolete${invalidCount}${o.ci && !o.update ? " (CI: goldens are written only with --update)" : ""}`);

  if (o.github) out.push(...annotations(results, o.strict ? obsolete : [], lines));
  // In GitHub Actions an invalid scenario is also marked on its own line.
  if (o.github && problems.length > 0) out.push(problemAnnotations(problems).trimEnd());
  if (o.reporter === "junit" && o.output) {
    makeFolderFor(o.output);
    writeAtomically(o.output, renderJunit(results, obsolete, o.strict, problems), "--output");
  }

  const bad = failed + missing + (o.strict ? obsolete.length : 0);
  const stdout = out.join("\n") + "\n";
  const done = problems.length > 0 ? { stdout, problems } : { stdout };
  return bad > 0 ? { ...done, failed: new CheckFailed(`check failed: ${failed} failed, ${missing} missing${o.strict ? `, ${obsolete.length} obsolete` : ""}`) } : done;
}

/**
 * --update for one scenario: writes its golden when missing or different,
 * unless an expectation failed (the golden would record the ✗ as if it were
 * right): then the golden is left as it is, and the report says why.
 */
function update(r: CaseResult, now: string): { written: boolean; said: string } {
  if (r.status === "passed" || (r.status !== "missing" && !r.diff)) return { written: false, said: `unchanged ${r.golden}` };
  if (r.expectations.length > 0)
    return { written: false, said: `${r.status === "missing" ? "not created" : "not updated"} ${r.golden}: an expectation of ${r.scenario} failed (fix it first: a golden records a trace whose expectations are met)` };
  writeAtomically(r.golden, now, "golden");
  return { written: true, said: `${r.status === "missing" ? "created" : "updated"} ${r.golden}` };
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

function isOutcomes(r: CaseResult): boolean {
  return r.golden.endsWith(".outcomes");
}

/** A case as the report names it: the scenario, and "(outcomes)" for its outcome golden. */
function label(r: CaseResult): string {
  return isOutcomes(r) ? `${r.scenario} (outcomes)` : r.scenario;
}

/** The `.outcomes` golden of a scenario with races: judged like a trace golden; a violating class fails as an expectation does, --update or not. */
function checkOutcomes(file: string, now: string, failed: string[], update: boolean, written: string[]): CaseResult {
  const golden = outcomesPath(file);
  const stored = existsSync(golden) ? readFileSync(golden, "utf8") : undefined;
  let r = judge(file, golden, now, stored, failed);
  if (update && r.status !== "passed" && (r.status === "missing" || r.diff)) {
    writeAtomically(golden, now, "golden");
    written.push(`${r.status === "missing" ? "created" : "updated"} ${golden}`);
    r = judge(file, golden, now, now, failed);
  } else if (update) written.push(`unchanged ${golden}`);
  return r;
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

function annotations(results: readonly CaseResult[], obsolete: readonly string[], marks: ReadonlyMap<CaseResult, number>): string[] {
  const failures = results
    .filter((r) => r.status !== "passed")
    .map((r) => `::error file=${prop(r.scenario)},line=${marks.get(r) ?? 1},title=${prop("axptr-sim check")}::${esc(failureMessage(r))}`);
  return [...failures, ...obsolete.map((t) => `::error file=${prop(t)},line=1,title=${prop("axptr-sim check")}::obsolete golden: its scenario is gone`)];
}

function problemAnnotations(problems: readonly Problem[]): string {
  return problems.map((p) => `::error file=${prop(p.file)},line=${p.line},col=${p.col},title=${prop("axptr-sim check")}::${esc(formatProblem(p))}`).join("\n") + "\n";
}

const esc = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const prop = (s: string) => esc(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/** Scenario files under the paths (folders recursively, sorted), and the .trace files seen in those folders. */
function collect(paths: readonly string[]): { scenarios: string[]; traces: string[] } {
  const scenarios: string[] = [];
  const traces: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === "node_modules" || name.startsWith(".")) continue;
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (SCENARIO.test(name)) scenarios.push(p);
      else if (name.endsWith(".trace") || name.endsWith(".outcomes")) traces.push(p);
    }
  };
  for (const p of paths) {
    if (p === "-") throw new UsageError("check reads scenario files and writes goldens beside them: give files or folders, not - (standard input)");
    if (!existsSync(p))
      throw new UsageError(`${p}: no such file or folder${p === DEFAULT_FOLDER ? ` (${DEFAULT_FOLDER}/ is where check looks when given no path: name the scenario files or folders to check)` : ""}`);
    if (statSync(p).isDirectory()) walk(p);
    else scenarios.push(p);
  }
  return { scenarios: unique(scenarios), traces: unique(traces) };
}

/** Each file once, however often the paths reach it (`s s`, `s ./s/a.yaml`), spelt as first reached. */
function unique(paths: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const p of paths) if (!seen.has(normalize(p))) seen.set(normalize(p), p);
  return [...seen.values()];
}

/** Temporary file beside the target, then rename: a golden is never left half-written.
 * A file that cannot be written (no such folder, no permission) is the user's problem (exit 2), not a bug. */
function writeAtomically(path: string, text: string, what: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    const reason = err.code === "ENOENT" ? "no such folder" : err.code === "EACCES" || err.code === "EPERM" ? "permission denied" : err.code === "EISDIR" ? "is a folder" : err.message;
    throw new UsageError(`${what} ${path}: cannot write it: ${reason}`);
  }
}


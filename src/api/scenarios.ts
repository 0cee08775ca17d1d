// The package root's scenario and simulation functions, their arguments
// checked (args.ts); the CLI calls the unchecked ones directly.
import { KERNELS, type KernelName } from "../scenario/kernels.js";
import { formatProblem as formatProblemUnchecked, type Problem } from "../scenario/problems.js";
import { vmProblems } from "../scenario/rules.js";
import { ALL_STRATEGIES, TRIGGERS } from "../scenario/schema.js";
import { loadScenario as loadScenarioUnchecked, type LoadResult, type Scenario } from "../scenario/validate.js";
import type { Trace } from "../sim/events.js";
import { kernelProfile as kernelProfileUnchecked, type KernelProfile } from "../sim/kernels/index.js";
import { AddressSpace } from "../sim/memory.js";
import { simulate as simulateUnchecked, type SimulateOptions } from "../sim/simulate.js";
import { ArgumentError } from "./argument-error.js";
import { Args } from "./args.js";
import { checkScenario, trustScenario } from "./scenario-check.js";
import { brand, checkRaceEvents } from "./shapes.js";

/**
 * Reads a scenario file's text (YAML): `{ ok: true, scenario, locate }`, or
 * `{ ok: false, problems }` with each problem's file, line and column, as
 * `axptr-sim validate` reports them. Nothing is read from disk: `file` only
 * names the text in problems.
 *
 * @throws {ArgumentError} when `text` or `file` is not a string.
 */
export function loadScenario(text: string, file: string): LoadResult {
  const a: Args = new Args("loadScenario");
  a.string("text", text);
  a.string("file", file);
  const r = loadScenarioUnchecked(text, file);
  if (r.ok) trustScenario(r.scenario);
  return r;
}

/**
 * A problem as its one line, `file:line:col: key.path: message` (control
 * characters written as escapes).
 *
 * @throws {ArgumentError} when `problem` is not `{ file, line, col, path, message }`.
 */
export function formatProblem(problem: Problem): string {
  const a: Args = new Args("formatProblem");
  const p = a.object("problem", problem, "a Problem { file, line, col, path, message }");
  a.string("problem.file", p.file);
  a.integer("problem.line", p.line, 1, Number.MAX_SAFE_INTEGER);
  a.integer("problem.col", p.col, 1, Number.MAX_SAFE_INTEGER);
  a.array("problem.path", p.path, "an array of keys (strings) and indexes (numbers)").forEach((k, i) => {
    if (typeof k !== "string" && typeof k !== "number") a.fail(`problem.path[${i}]`, "a string or a number", k);
  });
  a.string("problem.message", p.message);
  return formatProblemUnchecked(problem);
}

/**
 * A kernel's rules (kernels.md): its strategy, when it fixes one, and what it
 * keeps from happening where. `undefined` is the default kernel, axptr-doc.
 *
 * @throws {ArgumentError} when `name` is not one of `KERNELS`.
 */
export function kernelProfile(name: KernelName | undefined): KernelProfile {
  const a: Args = new Args("kernelProfile");
  a.optional("name", name, (k, v) => a.oneOf(k, v, KERNELS));
  return kernelProfileUnchecked(name);
}

const SIMULATE_OPTIONS = ["strategy", "kernel", "races", "onPoint", "pointsWanted", "keepEvents", "start", "probe", "explain"] as const;

/**
 * Runs a scenario: the pure, deterministic simulation `axptr-sim run` prints,
 * as a typed `Trace`. `options.strategy` and `options.kernel` override the
 * file's (a starry-* kernel's own strategy wins); `options.races` places races
 * (from `raceEvents`).
 *
 * @throws {ArgumentError} when `scenario` is not one `loadScenario` would
 *   return (checked in full unless it is one it returned) or an option is
 *   unknown or of the wrong type: `simulate: options.strategy must be one of none, …, got "per-cpu-flag"`.
 * @throws {TraceTooLarge} past `MAX_EVENTS` events.
 */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): Trace {
  const a: Args = new Args("simulate");
  const s = checkScenario(a.fn, scenario);
  const o = a.options("options", options, SIMULATE_OPTIONS);
  a.optional("options.strategy", o.strategy, (k, v) => a.oneOf(k, v, ALL_STRATEGIES));
  const kernel = a.optional("options.kernel", o.kernel, (k, v) => a.oneOf(k, v, KERNELS));
  if (kernel !== undefined) {
    // As `run --kernel`: a vm_* step the kernel has not is refused.
    const p = vmProblems(s, kernel)[0];
    if (p) throw new ArgumentError(a.fn, "options.kernel", "a kernel that has every operation the scenario's steps use", `simulate: options.kernel: ${p.path.join(".")}: ${p.message}`);
  }
  a.optional("options.races", o.races, (k, v) => checkRaceEvents(a, k, v));
  for (const key of ["onPoint", "probe"] as const) a.optional(`options.${key}`, o[key], (k, v) => a.func(k, v));
  for (const key of ["keepEvents", "explain"] as const) a.optional(`options.${key}`, o[key], (k, v) => a.boolean(k, v));
  a.optional("options.pointsWanted", o.pointsWanted, (k, v) => {
    if (!(v instanceof Set)) a.fail(k, `a Set of points (${TRIGGERS.join(", ")})`, v);
    for (const p of v) a.oneOf(`${k} (a member)`, p, TRIGGERS);
  });
  a.optional("options.start", o.start, (k, v) => {
    if (!(v instanceof AddressSpace)) a.fail(k, "an AddressSpace (the simulator's start state)", v);
  });
  return brand(simulateUnchecked(s, options));
}

// Signatures and classes (explore.md section 4): what came out of a run,
// without panic messages, so that runs with equal signatures are one class.
import type { Outcome, StepResult, Trace } from "../sim/events.js";
import type { HazardKind, OpName } from "../scenario/schema.js";
import { resultKey } from "../sim/result-key.js";

export { resultKey };

export interface ClassStep {
  thread: string;
  step: number;
  op: OpName;
  result: StepResult;
}

export interface RunSummary {
  key: string;
  outcome: Outcome;
  /** The steps with their results (made only when asked: most runs join a class already known). */
  steps: () => ClassStep[];
  /** The distinct hazard kinds, in code-point order. */
  hazards: HazardKind[];
}

export function codePointOrder(a: string, b: string): number {
  // Code-point order, not UTF-16 order: compare as arrays of code points.
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

export function summarize(t: Trace): RunSummary {
  const hazards = [...new Set(t.hazards.map((h) => h.kind))].sort(codePointOrder);
  const key = `${t.outcome}|${t.steps.map((s) => resultKey(s.result)).join("|")}|${hazards.join(",")}`;
  return { key, outcome: t.outcome, steps: () => t.steps.map((s) => ({ thread: s.thread, step: s.step, op: s.op, result: s.result })), hazards };
}

// Which steps reach which trigger points (semantics section 5): an event at a
// point its step never reaches fires nothing. `run` reports such an event as
// unfired; `validate` warns about it before anything runs.
import type { OpName, StepSpec, TriggerName } from "../scenario/schema.js";
import type { Scenario } from "../scenario/validate.js";

/** Which ops have a point: the others never reach it. Points not listed are reached by every op. */
export const POINTS: Partial<Record<TriggerName, readonly OpName[]>> = {
  "after-align-check": ["get", "get_as_slice", "get_as_null_terminated", "get_as_str"],
  "after-region-check": ["get", "get_as_slice"],
  "after-populate": ["get", "get_as_slice"],
  "before-use": ["get", "get_as_slice"],
  "flag-set": ["get_as_null_terminated", "get_as_str"],
  "flag-clear": ["get_as_null_terminated", "get_as_str"],
  "page-check": ["get_as_null_terminated", "get_as_str"],
  "before-read": ["get_as_null_terminated", "get_as_str"],
};

/** Why this step can never reach the point `at`, whatever happens in the run; undefined when it may. */
export function neverReached(st: StepSpec, at: TriggerName): string | undefined {
  const ops = POINTS[at];
  if (ops && !ops.includes(st.op)) return `a ${st.op} step has no ${at} point (only ${ops.join(", ")})`;
  if (at === "before-use" && !("use" in st && st.use !== undefined)) return "the step has no use: the kernel never touches the reference";
  return undefined;
}

/** The injected events of a valid scenario that can never fire, each with why. */
export function eventsNeverReached(s: Scenario): { event: number; why: string }[] {
  const out: { event: number; why: string }[] = [];
  s.events.forEach((e, event) => {
    const thread = e.when.thread ?? s.threads[0]?.name;
    const st = s.threads.find((t) => t.name === thread)?.steps[Number(e.when.step) - 1];
    const why = st && neverReached(st, e.when.at);
    if (why !== undefined) out.push({ event, why });
  });
  return out;
}

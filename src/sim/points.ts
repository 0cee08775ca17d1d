// Which steps reach which trigger points (semantics section 5): an event at a
// point its step never reaches fires nothing. `run` reports such an event as
// unfired; `validate` warns about it before anything runs.
import type { OpName, StepSpec, TriggerName } from "../scenario/schema.js";
import type { Scenario } from "../scenario/validate.js";
import { DEFAULT_KERNEL, isVmOp, VM_KERNELS } from "../scenario/kernels.js";

/** Which ops have a point: the others never reach it. Points not listed are reached by every op. */
export const POINTS: Partial<Record<TriggerName, readonly OpName[]>> = {
  "after-align-check": ["get", "get_as_slice", "get_as_null_terminated", "get_as_str"],
  "after-region-check": ["get", "get_as_slice"],
  "after-populate": ["get", "get_as_slice"],
  // get_as_null_terminated and get_as_str reach it too, with use: read (kernels.md section 3; see neverReached).
  "before-use": ["get", "get_as_slice"],
  "flag-set": ["get_as_null_terminated", "get_as_str", "vm_read", "vm_write", "vm_load_string"],
  "flag-clear": ["get_as_null_terminated", "get_as_str", "vm_read", "vm_write", "vm_load_string"],
  "page-check": ["get_as_null_terminated", "get_as_str"],
  "before-read": ["get_as_null_terminated", "get_as_str", "vm_read", "vm_write", "vm_load_string"],
};

/**
 * Why this step can never reach the point `at`, whatever happens in the run; undefined when it may.
 * `vm`: the kernel has the vm_* copies (only then are they named among the ops that have the point).
 */
export function neverReached(st: StepSpec, at: TriggerName, vm = false): string | undefined {
  const ops = POINTS[at];
  // A scan's use: read (kernels.md section 3) adds the before-use point; without one the message stays as before it existed.
  if (at === "before-use" && (st.op === "get_as_null_terminated" || st.op === "get_as_str") && st.use !== undefined) return undefined;
  if (ops && !ops.includes(st.op)) return `a ${st.op} step has no ${at} point (only ${ops.filter((op) => vm || !isVmOp(op)).join(", ")})`;
  if (at === "before-use" && !("use" in st && st.use !== undefined)) return "the step has no use: the kernel never touches the reference";
  return undefined;
}

/** The injected events of a valid scenario that can never fire, each with why. */
export function eventsNeverReached(s: Scenario): { event: number; why: string }[] {
  const out: { event: number; why: string }[] = [];
  s.events.forEach((e, event) => {
    const thread = e.when.thread ?? s.threads[0]?.name;
    const st = s.threads.find((t) => t.name === thread)?.steps[Number(e.when.step) - 1];
    const why = st && neverReached(st, e.when.at, VM_KERNELS.includes(s.machine.kernel ?? DEFAULT_KERNEL));
    if (why !== undefined) out.push({ event, why });
  });
  return out;
}

// The rules of kernels.md section 8 that a schema cannot say: a pointer
// taken from an earlier step of the same thread, locks declared once and
// held only when declared.
import type { KeyPath } from "./problems.js";
import type { LockSpec, NestedStepSpec, StepSpec } from "./schema.js";
import { closest } from "./suggest.js";

type Add = (path: KeyPath, message: string, atKey?: boolean) => void;

/** Each lock name once; returns the declared names. */
export function checkLocks(locks: readonly LockSpec[], add: Add): string[] {
  const seen = new Map<string, number>();
  locks.forEach((l, i) => {
    const prev = seen.get(l.name);
    if (prev !== undefined) add(["locks", i, "name"], `lock name "${l.name}" is already declared by locks.${prev} (expected each lock name once)`);
    else seen.set(l.name, i);
  });
  return [...seen.keys()];
}

/** Every name in a step's `hold` is a declared lock. */
export function checkHold(st: StepSpec | NestedStepSpec, path: KeyPath, locks: readonly string[], add: Add): void {
  st.hold?.forEach((name, k) => {
    if (locks.includes(name)) return;
    const near = closest(name, locks);
    const expected = locks.length > 0 ? `expected one of the locks declared under locks: ${locks.join(", ")}` : "the file declares no locks: add it under locks, with its kind";
    add([...path, "hold", k], `no lock named "${name}"${near !== undefined ? ` (did you mean "${near}"?)` : ""} (${expected})`);
  });
}

/** `ptr: { from: N }` names an earlier step of the same thread (`step` is this step's number, from 1). */
export function checkPtrFrom(st: StepSpec, path: KeyPath, thread: string, step: number, count: number, add: Add): void {
  if (!("ptr" in st) || typeof st.ptr === "bigint") return;
  const from = st.ptr.from;
  const earlier = step === 1 ? "step 1 has no earlier step: give the pointer as a number" : `expected an earlier step of thread "${thread}", 1..${step - 1}`;
  const fp = [...path, "ptr", "from"];
  if (from > count) add(fp, `thread "${thread}" has no step ${from} (it has ${count}; ${earlier})`);
  else if (from === step) add(fp, `step ${from} is this step itself: a pointer comes from an earlier result (${earlier})`);
  else if (from > step) add(fp, `step ${from} comes after this one: a pointer comes from an earlier result (${earlier})`);
}

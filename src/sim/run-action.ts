// The `run` action (semantics section 5, "Another thread runs"): another
// thread is switched in, on this CPU or another, for one operation right
// here; then the interrupted step goes on.
import type { NestedStepSpec } from "../scenario/schema.js";
import { describeArgs } from "./describe.js";
import type { RunResult } from "./events.js";
import { BlockedSignal, type Machine } from "./machine.js";
import { withHeld } from "./locks.js";
import { runOp } from "./ops.js";

/**
 * Runs `step` as `thread` on `cpu`: a `run` event (the interrupted thread's),
 * the operation's events (the other thread's, on `cpu`), then `run-result`.
 * A run-ending result propagates (no `run-result`): the interrupted step gets it.
 */
export function runAnother(m: Machine, thread: string, cpu: number, step: NestedStepSpec, by: string | undefined): void {
  m.emit({ kind: "run", to: thread, to_cpu: cpu, op: step.op, args: describeArgs(step), ...(by !== undefined ? { by } : {}) });
  const back = m.save();
  m.switchTo(thread, cpu);
  try {
    let result: RunResult;
    let holder: string | undefined;
    // kernels.md section 8: the syscall takes its `hold` locks first; one another thread holds makes it sleep at once.
    const busy = m.locks.heldByOther(step.hold, thread);
    try {
      if (busy !== undefined) throw new BlockedSignal(busy.holder);
      // Another system call entering axptr 0.1: under `held` it takes the lock before anything else.
      result = withHeld(m, step.hold, () => runOp(m, step, { lockFirst: true }));
    } catch (e) {
      if (!(e instanceof BlockedSignal)) throw e;
      // The thread would sleep until the lock is free: what it did so far stays done, the rest never happens here.
      result = { status: "blocked" };
      holder = e.holder;
    }
    m.emit({ kind: "run-result", op: step.op, result, ...(holder !== undefined ? { blocked_by: holder } : {}), ...(busy !== undefined ? { lock: busy.lock } : {}) });
  } finally {
    m.restore(back);
  }
}

// What a kernel profile says (kernels.md sections 1 to 7): plain data that the
// handler, the operations and the injector read. One module per kernel.
import type { KernelName } from "../../scenario/kernels.js";
import type { OpName, StrategyName, TriggerName } from "../../scenario/schema.js";

/** A set of points: `at` one of these, of a step whose op is one of `ops` (any op when absent). */
export interface PointRule {
  at: readonly TriggerName[];
  ops?: readonly OpName[];
  /** Only while the step's own user access is open (a fault inside access_user_memory). */
  inAccess?: true;
}

/** Where the running thread cannot be taken off its CPU, or interrupted: the points, and why (for the unfired report). */
export interface Closed {
  /** "only": the thread can be preempted only at these points; "except": everywhere but these. */
  mode: "only" | "except";
  points: readonly PointRule[];
  why: string;
}

/** A kernel fault, state saying "accessing", that handle_page_fault cannot resolve (kernels.md section 2). */
export type Unresolved =
  /** The process is killed (SIGSEGV); `fixup` instead under exception-table. */
  | "segv"
  /** do_exit from inside the trap: killed, and the access never ends (stranded-by-exit). */
  | "exit"
  /** SIGSEGV queued, the fault counted as handled: the access faults again (livelock). */
  | "retry"
  /** The exception table has entries only in user_copy: fixup there, a panic elsewhere. */
  | "copy-fixup";

export interface KernelProfile {
  name: KernelName;
  /** The strategy the kernel fixes (undefined: the file's or --strategy). */
  strategy: StrategyName | undefined;
  unresolved: Unresolved;
  /** get_as_str decodes the borrow after access_user_memory ended, reading it again (section 3). */
  borrowedDecode: boolean;
  /** A region check's range past 2^64 is EFAULT (try_from_start_size), not a panic (section 4). */
  rangeOverflowFails: boolean;
  /** Where a migrate, or a run on the thread's own CPU, cannot happen. */
  preemption: Closed | undefined;
  /** Where an interrupt cannot fire. */
  interrupts: Closed | undefined;
  /** Where an unmap, protect, map or evict cannot happen: the address-space lock is held there (section 5). */
  mappingLocked: Closed | undefined;
  /** Taking the address-space lock one's own thread holds: ArceOS's Mutex asserts (panic), or a deadlock. */
  relock: "panic" | "deadlock";
}

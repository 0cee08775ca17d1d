// The trace: one union of typed events keyed on `kind`, and step results.
import type { HazardKind, OpName } from "../scenario/schema.js";
import type { MemorySnapshot } from "./memory-map.js";
import type { PointerOrigin } from "./pointers.js";

export type Access = "read" | "write" | "execute";
export type Mode = "kernel" | "user";
export type Flags = Record<string, boolean | number>;
export type Errno = "EFAULT" | "EILSEQ" | "ENOMEM";

/** A step's value: numbers exact, lists of them, a string, or null (None). */
export type Value = null | bigint | string | readonly Value[];

export type StepResult =
  | { status: "ok"; value?: Value }
  | { status: "err"; errno: Errno }
  | { status: "panic"; message: string }
  | { status: "killed"; signal: "SIGSEGV" }
  | { status: "deadlock" }
  | { status: "step-limit" }
  | { status: "livelock" }
  | { status: "not-run" };

export type RunEnd = Extract<StepResult, { status: "panic" | "killed" | "deadlock" | "step-limit" | "livelock" }>;
export type Outcome = "completed" | RunEnd["status"];

/** A `run` action's operation: a step's result, or `blocked` (it needs the address-space lock another thread holds). */
export type RunResult = StepResult | { status: "blocked" };

/** `blocked`: only for a thread switched in by `run`, whose handler needs the lock another thread holds. */
/** `exit`, `retry`: the StarryOS handlers of kernels.md section 2. */
export type Decision = "unhandled" | "deadlock" | "resolved" | "segv" | "fixup" | "blocked" | "exit" | "retry";
/** `relock`: a starry-* kernel's Mutex asserting on a lock its own thread holds (kernels.md section 2). */
export type LockDecision = "acquired" | "released" | "deadlock" | "relock";

interface Base {
  seq: number;
  thread: string;
  step: number;
  cpu: number;
  flags: Flags;
  /** Depth of nested axptr operations (absent at the outer level). */
  nested?: number;
  /** The event belongs to a `run` action's operation: another thread switched in (absent otherwise). */
  in_run?: true;
}

export type EventBody =
  | { kind: "step-start"; op: OpName; args: string }
  | { kind: "align-check"; addr: bigint; align: bigint; ok: boolean }
  | { kind: "region-check"; addr: bigint; size: bigint; access: string; ok: boolean; why?: string }
  | { kind: "populate"; addr: bigint; size: bigint; ok: boolean; errno?: Errno; why?: string }
  | { kind: "page-mapped"; addr: bigint }
  | { kind: "flag-set" }
  | { kind: "flag-clear" }
  | { kind: "page-check"; addr: bigint; ok: boolean; why?: string }
  | { kind: "read"; addr: bigint; size: bigint; mode: Mode; interrupt?: boolean }
  | { kind: "write"; addr: bigint; size: bigint; mode: Mode; interrupt?: boolean }
  | { kind: "execute"; addr: bigint; size: bigint; mode: Mode; interrupt?: boolean }
  | { kind: "page-fault"; addr: bigint; access: Access; mode: Mode; interrupt: boolean }
  | { kind: "handler"; decision: Decision; addr: bigint; reason: string }
  | { kind: "injected"; action: string; by?: string; race?: string; detail: string }
  | { kind: "migrate"; from: number; to: number }
  | { kind: "interrupt"; addr: bigint; access: Access }
  | { kind: "lock"; decision: LockDecision; lock?: string }
  | { kind: "check"; addr: bigint; size: bigint; ok: boolean; why?: string }
  | { kind: "nested-result"; op: OpName; result: StepResult }
  | { kind: "run"; to: string; to_cpu: number; op: OpName; args: string; by?: string }
  | { kind: "run-result"; op: OpName; result: RunResult; blocked_by?: string; lock?: string }
  | { kind: "hazard"; hazard: HazardKind; message: string }
  | { kind: "step-end"; result: StepResult };

export type TraceEvent = Base & EventBody;
export type EventKind = TraceEvent["kind"];

/** Every kind of event the simulator emits, in the README's order (the type below keeps the list complete). */
export const EVENT_KINDS = [
  "step-start", "align-check", "region-check", "populate", "page-mapped", "flag-set", "flag-clear", "page-check",
  "read", "write", "execute", "page-fault", "handler", "injected", "migrate", "interrupt", "lock", "check",
  "nested-result", "run", "run-result", "hazard", "step-end",
] as const satisfies readonly EventKind[];
// A compile error here names a kind missing from EVENT_KINDS.
const _everyKind: [Exclude<EventKind, (typeof EVENT_KINDS)[number]>] extends [never] ? true : Exclude<EventKind, (typeof EVENT_KINDS)[number]> = true;
void _everyKind;

export interface Hazard {
  kind: HazardKind;
  seq: number;
  message: string;
}

export type Expected =
  | { status: "ok"; value?: Value }
  | { status: "err"; errno: Errno }
  | { status: "panic" | "killed" | "deadlock" | "step-limit" | "livelock" | "not-run" };

export interface StepRecord {
  thread: string;
  step: number;
  op: OpName;
  /** The step's arguments in short (`ptr=0x10ffa T=u32`), also for steps that never ran. */
  args: string;
  result: StepResult;
  expected: Expected | null;
  met: boolean | null;
  /** Why a step that could have run did not (kernels.md section 8: no pointer, or its thread returned). */
  reason?: string;
  /** Where its pointer came from (a `ptr: { from }` step). */
  ptr_from?: PointerOrigin;
  /** The locks it holds (`hold`). */
  hold?: readonly string[];
}

export interface RunExpectation {
  what: string;
  met: boolean;
}

/** An injected event whose trigger was never reached: nothing happened, and the trace says why. */
export interface Unfired {
  /** Its index in the file's `events` (absent for a race of a replayed schedule). */
  event?: number;
  /** The race, for an event a replayed schedule added. */
  race?: string;
  when: string;
  why: string;
}

export interface Trace {
  scenario: { name: string; description?: string };
  /** `kernel` only when one is named (in the file or by --kernel): without, the trace is as before kernels existed. */
  machine: { cpus: number; strategy: string; page_size: bigint; frames: bigint | "unlimited"; aspace_lock: string; kernel?: string };
  /** The file's kernel locks (kernels.md section 8), when it declares any. */
  locks?: readonly { name: string; kind: "mutex" | "spin" }[];
  outcome: Outcome;
  steps: StepRecord[];
  events: TraceEvent[];
  /** The keys of every event's `flags`, in CPU or file thread order. */
  stateKeys: readonly string[];
  hazards: Hazard[];
  unfired: Unfired[];
  /** Whole-run expectations (outcome, each listed hazard), judged. */
  expectations: RunExpectation[];
  summary: { events: number; faults: number; resolved: number; expectations: { met: number; failed: number } };
  /** The address space before the first step and after the run (for pictures; the JSON trace leaves it out). */
  memory?: { start: MemorySnapshot; end: MemorySnapshot };
}

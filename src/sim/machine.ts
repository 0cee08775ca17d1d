// The running machine: address space, strategy, CPUs and threads, the
// address-space lock, the budget of work, and the trace being written.
import type { HazardKind, NestedStepSpec, OpName, TriggerName } from "../scenario/schema.js";
import type { EventBody, Flags, Hazard, Mode, RunEnd, StepResult, TraceEvent } from "./events.js";
import { HeldLocks } from "./locks.js";
import type { AddressSpace } from "./memory.js";
import { kernelProfile, type KernelProfile } from "./kernels/index.js";
import type { Context, Strategy, Token } from "./strategies/index.js";
import type { OpResume } from "./ops.js";
import type { PrintWhat } from "./injector.js";
import type { Hasher } from "./fingerprint.js";

/** How far the step's own operation is, added to a state's fingerprint (each kind of progress starts with its own tag). */
export type Progress = (h: Hasher) => void;

export interface Triggers {
  fire(m: Machine, at: TriggerName, count?: bigint): void;
  nextReadTrigger(m: Machine, from: bigint): bigint | undefined;
  unfired(): number[];
  /** Whether an event not fired yet waits for the nth point `at` (the step's count of them is then part of a state). */
  waitsFor(at: TriggerName): boolean;
}

/** Thrown to stop the run: a panic, a kill, a deadlock or the end of the budget. Caught by the run loop only. */
export class RunEndSignal {
  constructor(readonly result: RunEnd) {}
}

/**
 * Thrown when a thread switched in by a `run` action needs the address-space
 * lock another thread holds (`aspace_lock: held`): it would sleep, so its
 * operation stops here. Caught by the `run` action only.
 */
export class BlockedSignal {
  constructor(readonly holder: string) {}
}

/** A hard cap on trace length, beside the budget: a trace longer than this cannot be read or kept. */
export const MAX_EVENTS = 500_000;
/** The largest list a step may yield (elements, or bytes of a struct value): a bigger one cannot be kept or printed. */
export const MAX_VALUE_ELEMENTS = 1n << 20n;
/** The longest get_as_str string, in bytes: a JavaScript string holds at most 2^29 - 24 characters, and the output must stay printable. */
export const MAX_STRING_BYTES = 1 << 28;

/**
 * Thrown when a valid scenario asks for more than the tool can trace (more
 * events or a larger value than the caps above). Not an outcome: the budget
 * did not run out, so the CLI reports it as a problem of the input (exit 2).
 */
export class TraceTooLarge extends Error {}

const NO_FLAGS: Flags = {};
/** No access open: every machine's start (never changed: Machine.ownOpen copies it first). */
const NO_OPEN: ReadonlyMap<string, Token[]> = new Map();
/** A machine's defaults until the run loop sets its own (shared: a copy made per fork need not build them). */
const NO_TRIGGERS: Triggers = { fire: () => {}, nextReadTrigger: () => undefined, unfired: () => [], waitsFor: () => false };
// Never taken: simulate gives every machine (and clone every copy) locks of its own before a step runs.
const NO_LOCKS = new HeldLocks([], "deadlock");
const DEFAULT_KERNEL = kernelProfile(undefined);
const NOT_RUN = (): StepResult => ({ status: "not-run" });

interface PendingRead {
  kind: "read" | "write";
  addr: bigint;
  size: bigint;
  mode: Mode;
  interrupt: boolean;
  /** The state when the access happened: what came after it may have changed it by the time the event is written. */
  flags: Flags;
  cpu: number;
}

/** Who runs now: the step's own thread, or a thread switched in by a `run` action on a CPU of its own. */
export interface RunContext {
  thread: string;
  /** The CPU a switched-in thread runs on (undefined: the thread's own CPU). */
  cpu: number | undefined;
  depth: number;
  inRun: boolean;
}

export class Machine {
  readonly events: TraceEvent[] = [];
  /** Events emitted so far (kept in `events` only when `keepEvents`). */
  eventCount = 0;
  /** False when only the outcome matters (an exploration): events are counted, not kept. */
  keepEvents = true;
  /** A failing check or populate says why (run --explain); off by default, so traces are as they were. */
  explain = false;
  readonly hazards: Hazard[] = [];
  used = 0n;
  lockHolder: string | null = null;
  /** Nested axptr operations under way on the current thread (0: the step's own operation). */
  depth = 0;
  /** Interrupt handlers under way (they neither count nor fire triggers). */
  irq = 0;
  /** Open `access_user_memory` sections per thread, innermost last: the slot each one's begin set. */
  private open: ReadonlyMap<string, Token[]> = NO_OPEN;
  /** The map (and its lists) is not this machine's own to change (the shared empty one, or a copy's): copied first. */
  private openShared = true;
  thread = "";
  /** The CPU of a thread switched in by a `run` action (undefined: the thread's own). */
  private switchedCpu: number | undefined;
  /** A `run` action's operation is under way: its events carry `in_run`, and it neither counts nor fires triggers. */
  inRun = false;
  step = 0;
  /** The op of the step under way (the kernel's preemption rules depend on it). */
  op: OpName = "get";
  /** The outer operation's own page checks and faults in this step, for `nth`. */
  pageChecks = 0;
  faultsInStep = 0;
  faults = 0;
  resolved = 0;
  private pending: PendingRead | undefined;
  /** The injected events (set by the run loop). */
  triggers: Triggers = NO_TRIGGERS;
  /** The `hold` locks taken now (kernels.md section 8); the run loop sets the scenario's. */
  locks: HeldLocks = NO_LOCKS;
  /**
   * What the step's own operation has done so far that the rest of it depends
   * on (its stage, position, the bytes it has read), set by the operation as
   * it goes; undefined where that is not described, and then the state is
   * never taken for another (an exploration merges equal states only).
   */
  progress: Progress | undefined;
  /** What the step's operation keeps beyond its current part's progress (a scan's result while its `use` reads again). */
  progressOuter = "";
  /**
   * How to go on from the point just reached, in a copy of this machine (set
   * by the operation with its progress); undefined where it cannot (then an
   * exploration runs the schedule again from the start instead). It is the
   * operation as it is there, not a copy: good while the run is at the point,
   * and a copy takes its own from it (takeUp).
   */
  resumeAt: ((at: TriggerName) => OpResume | undefined) | undefined;
  /** The kernel whose handler and scheduler rules apply (kernels.md). */
  kernel: KernelProfile = DEFAULT_KERNEL;
  /** Injected actions so far: a retry with none since the last one is a livelock (kernels.md section 2). */
  injections = 0;
  /** Runs a nested operation on a machine (set by the run loop; breaks the ops ↔ injector cycle): one function for every copy, not a closure each. */
  runNested: (m: Machine, step: NestedStepSpec) => StepResult = NOT_RUN;
  /** Each thread's CPU; shared with the copies of this machine until one side moves a thread (`migrate`). */
  private cpus: Map<string, number>;
  /** The map is not this machine's own to change (the caller's, or a copy's): a migrate copies it first. */
  private cpusShared = true;

  constructor(
    readonly aspace: AddressSpace,
    readonly strategy: Strategy,
    cpuOf: ReadonlyMap<string, number>,
    readonly lockHeld: boolean,
    readonly budget: bigint,
  ) {
    this.cpus = cpuOf as Map<string, number>;
  }

  /** Each thread's CPU now. */
  get cpuOf(): ReadonlyMap<string, number> {
    return this.cpus;
  }

  /** Moves `thread` to `cpu` (a `migrate` action). */
  moveThread(thread: string, cpu: number): void {
    if (this.cpusShared) {
      this.cpus = new Map(this.cpus);
      this.cpusShared = false;
    }
    this.cpus.set(thread, cpu);
  }

  /**
   * An independent copy at a point of the step's own operation, for an
   * exploration to go on from there without running the schedule again (the
   * address space forked, written blocks shared until written). Triggers,
   * the nested-op runner and the progress are the caller's to set.
   */
  clone(aspace: AddressSpace = this.aspace.fork()): Machine {
    // A fork costs what differs: the CPUs map is shared until a migrate (most forks never move a thread).
    this.cpusShared = true;
    const c = new Machine(aspace, this.strategy.clone(), this.cpus, this.lockHeld, this.budget);
    c.keepEvents = this.keepEvents;
    c.explain = this.explain;
    c.kernel = this.kernel;
    c.runNested = this.runNested;
    c.op = this.op;
    c.injections = this.injections;
    c.progressOuter = this.progressOuter;
    c.eventCount = this.eventCount;
    c.hazards.push(...this.hazards);
    // The same hazards: their text for a fingerprint too.
    c.hazardsPrinted = this.hazardsPrinted;
    c.used = this.used;
    c.lockHolder = this.lockHolder;
    c.locks = this.locks.copy();
    // Shared until one side begins or ends an access (a copy taken up in a scan ends its access once, at the end).
    c.open = this.open;
    c.openShared = this.openShared = true;
    c.thread = this.thread;
    c.step = this.step;
    c.pageChecks = this.pageChecks;
    c.faultsInStep = this.faultsInStep;
    c.faults = this.faults;
    c.resolved = this.resolved;
    if (this.pending) c.pending = { ...this.pending };
    return c;
  }

  get cpu(): number {
    return this.switchedCpu ?? this.cpus.get(this.thread) ?? 0;
  }

  /** Who runs now, to be given back to `restore` after a switch. */
  save(): RunContext {
    return { thread: this.thread, cpu: this.switchedCpu, depth: this.depth, inRun: this.inRun };
  }

  restore(c: RunContext): void {
    this.flush();
    this.thread = c.thread;
    this.switchedCpu = c.cpu;
    this.depth = c.depth;
    this.inRun = c.inRun;
  }

  /** Switches thread `thread` in on `cpu` for one operation (a `run` action). */
  switchTo(thread: string, cpu: number): void {
    this.restore({ thread, cpu, depth: 0, inRun: true });
  }

  /** The token of the current thread's innermost open access (a scan taken up in a copy ends it). */
  openToken(): Token {
    const tokens = this.open.get(this.thread);
    return tokens === undefined ? null : (tokens[tokens.length - 1] ?? null);
  }

  /** How many accesses of `thread` are open. */
  openCount(thread: string): number {
    return this.open.get(thread)?.length ?? 0;
  }

  /** The threads other than `except` with an open access whose begin set this slot, in the order they opened. */
  slotOwners(slot: string, except: string): string[] {
    const out: string[] = [];
    for (const [t, tokens] of this.open) if (t !== except && tokens.some((k) => k?.slot === slot)) out.push(t);
    return out;
  }

  /** Whether an open access of `thread` set this slot. */
  ownsSlot(thread: string, slot: string): boolean {
    return (this.open.get(thread) ?? []).some((k) => k?.slot === slot);
  }

  get ctx(): Context {
    return { thread: this.thread, cpu: this.cpu };
  }

  /** Triggers fire and `nth` counts only for the step's own operation. */
  get outer(): boolean {
    return this.depth === 0 && this.irq === 0 && !this.inRun;
  }

  /**
   * Adds everything the rest of the run depends on, at a point of the step's
   * own operation (explore.md section 2), to a state's fingerprint: equal
   * fingerprints, equal futures. False (nothing added) when the operation
   * does not describe its progress. Counters only a trace shows (events,
   * faults) are left out, and so are the units spent (StatePrint says why),
   * the point counters nothing waits for, and (but under a kernel that
   * retries, whose handler compares it) the count of injections. The address
   * space hashes itself.
   */
  hashInto(h: Hasher, what: PrintWhat): boolean {
    const progress = this.progress;
    if (progress === undefined) return false;
    h.string(this.thread);
    h.int(this.step);
    h.string(this.lockHolder ?? "");
    h.int(what.checks || this.triggers.waitsFor("page-check") ? this.pageChecks : -1);
    h.int(what.faults || this.triggers.waitsFor("page-fault") ? this.faultsInStep : -1);
    h.int(this.cpus.size);
    for (const c of this.cpus.values()) h.int(c);
    h.int(this.open.size);
    for (const [t, tokens] of this.open) {
      h.string(t);
      h.int(tokens.length);
      for (const k of tokens) h.string(k?.slot ?? "-");
    }
    const flags = this.strategy.flags();
    for (const k in flags) {
      h.string(k);
      const v = flags[k];
      h.int(v === true ? -1 : v === false ? -2 : (v as number));
    }
    if (this.hazardsPrinted?.n !== this.hazards.length) this.hazardsPrinted = { n: this.hazards.length, text: [...new Set(this.hazards.map((h) => h.kind))].sort().join(",") };
    h.string(this.hazardsPrinted.text);
    h.int(this.kernel.unresolved === "retry" ? this.injections : -1);
    this.locks.hashInto(h);
    h.string(this.progressOuter);
    progress(h);
    return true;
  }

  /** The hazard kinds as `print` writes them, while no hazard is added (hazards are only ever added). */
  private hazardsPrinted: { n: number; text: string } | undefined;

  /** Spends units of work; the unit that would exceed the budget ends the run instead of happening. */
  spend(units = 1n): void {
    if (this.used + units > this.budget) {
      this.used = this.budget;
      this.end({ status: "step-limit" });
    }
    this.used += units;
  }

  /** How many units are left before the budget runs out. */
  get remaining(): bigint {
    return this.budget - this.used;
  }

  end(result: RunEnd): never {
    this.flush();
    throw new RunEndSignal(result);
  }

  /** Emits an event; returns its `seq`. */
  emit(body: EventBody): number {
    this.flush();
    return this.keepEvents ? this.push(body) : this.count();
  }

  /** The events there would be once one more is emitted (a read still pending is written first), or undefined when that would pass the cap. */
  eventsAfterOne(): number | undefined {
    const n = this.eventCount + (this.pending !== undefined ? 1 : 0) + 1;
    return n <= MAX_EVENTS ? n : undefined;
  }

  /** Counts one event without keeping it (an exploration): no object, no state copy. */
  private count(): number {
    if (this.eventCount >= MAX_EVENTS)
      throw new TraceTooLarge(`the trace would pass ${MAX_EVENTS} events (step ${this.step} of thread ${this.thread}); make the scenario smaller or lower machine.budget`);
    return ++this.eventCount;
  }

  /**
   * The strategy's state for an event: the previous event's object while it is unchanged, so
   * consecutive events share one (renderers write each state once; 64 CPUs' flags are not copied per event).
   */
  private flagsNow(): Flags {
    const f = this.strategy.flags();
    const last = this.lastFlags;
    if (last === f || (last !== undefined && sameFlags(last, f))) return last;
    return (this.lastFlags = f);
  }

  private lastFlags: Flags | undefined;

  private push(body: EventBody, at?: { flags: Flags; cpu: number }): number {
    const seq = this.count();
    // Without a trace to keep (an exploration), an event is only counted: no object, no state copy.
    if (!this.keepEvents) return seq;
    const event = {
      seq,
      thread: this.thread,
      step: this.step,
      cpu: at?.cpu ?? this.cpu,
      flags: at?.flags ?? this.strategy.flags(),
      ...(this.depth > 0 ? { nested: this.depth } : {}),
      ...(this.inRun ? { in_run: true } : {}),
      ...body,
    } as TraceEvent;
    this.events.push(event);
    return seq;
  }

  /**
   * Records a completed access of `size` bytes. Consecutive accesses in one
   * page with nothing between them become one event (format section 3).
   */
  access(kind: "read" | "write", addr: bigint, size: bigint, mode: Mode, interrupt = false): void {
    const p = this.pending;
    const page = this.aspace.pageSize;
    if (p && p.kind === kind && p.mode === mode && p.interrupt === interrupt && p.addr + p.size === addr && p.addr / page === addr / page) {
      p.size += size;
      return;
    }
    this.flush();
    this.pending = { kind, addr, size, mode, interrupt, flags: this.keepEvents ? this.flagsNow() : NO_FLAGS, cpu: this.cpu };
  }

  flush(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    if (!this.keepEvents) {
      this.count();
      return;
    }
    this.push({ kind: p.kind, addr: p.addr, size: p.size, mode: p.mode, ...(p.interrupt ? { interrupt: true } : {}) }, p);
  }

  hazard(kind: HazardKind, message: string): void {
    const seq = this.emit({ kind: "hazard", hazard: kind, message });
    this.hazards.push({ kind, seq, message });
  }

  /** The open accesses, about to change: copied first (the map and each list) when shared. */
  private ownOpen(): Map<string, Token[]> {
    if (this.openShared) {
      const own = new Map<string, Token[]>();
      for (const [t, tokens] of this.open) own.set(t, [...tokens]);
      this.open = own;
      this.openShared = false;
      return own;
    }
    // Not shared: the map this machine made.
    return this.open as Map<string, Token[]>;
  }

  /** Enters `access_user_memory`: the strategy's begin, the `flag-set` event. */
  beginAccess(): Token {
    const token = this.strategy.begin(this.ctx);
    const open = this.ownOpen();
    const tokens = open.get(this.thread);
    if (tokens) tokens.push(token);
    else open.set(this.thread, [token]);
    this.emit({ kind: "flag-set" });
    return token;
  }

  /**
   * Leaves it: the strategy's end, the `flag-clear` event, and the early-clear
   * hazard: of a nested end while the outer access is open, or (per-CPU
   * state) of an end that clears a flag another thread's open access set.
   */
  endAccess(token: Token): void {
    const before = this.strategy.accessing({ ...this.ctx, interrupt: false, site: true });
    const cleared = this.perCpuSlotSet(token);
    this.strategy.end(token, this.ctx);
    const open = this.ownOpen();
    const tokens = open.get(this.thread) ?? [];
    tokens.pop();
    if (tokens.length === 0) open.delete(this.thread);
    this.emit({ kind: "flag-clear" });
    if (tokens.length > 0 && before && !this.strategy.accessing({ ...this.ctx, interrupt: false, site: true })) {
      this.hazard(
        "flag-cleared-early",
        "A nested access ended and cleared the state while the outer access is still running: the outer access's next fault will be treated as a kernel bug.",
      );
      return;
    }
    const owners = cleared && token ? this.slotOwners(token.slot, this.thread) : [];
    if (owners.length > 0 && token) {
      const whose = owners.map((t) => `thread ${t}`).join(" and ");
      const { flag, where } = this.strategy.slotText(token.slot);
      this.hazard(
        "flag-cleared-early",
        `Thread ${this.thread}'s access ended and cleared ${flag}, which the still-open access of ${whose} had set: that access is no longer protected ${where}, and its next fault there will be treated as a kernel bug.`,
      );
    }
  }

  /** Under state threads share (per-CPU, global): whether the slot `token` names is set (its end is what clears it). */
  private perCpuSlotSet(token: Token): boolean {
    if (this.strategy.sharedSlot(this.ctx) === undefined || !token) return false;
    return this.strategy.accessing({ thread: this.thread, cpu: Number(token.slot), interrupt: false, site: true });
  }
}

/** A strategy's state as text: made once per state object (the strategy keeps one until begin or end). */
function sameFlags(a: Flags, b: Flags): boolean {
  let n = 0;
  for (const k in b) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  for (const _ in a) n--;
  return n === 0;
}

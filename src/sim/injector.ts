// Injected events (semantics section 5): which trigger fires when, and what
// each action does to the machine.
import type { Hasher } from "./fingerprint.js";
import { contentKind, spanOf } from "../scenario/rules.js";
import type { ContentItemSpec, InjectedEventSpec, TriggerName, WriteContentsSpec } from "../scenario/schema.js";
import { encode, elementInfo } from "../scenario/elements.js";
import { hex } from "../scenario/numbers.js";
import type { Access, Trace } from "./events.js";
import type { Machine } from "./machine.js";
import type { AddressSpace } from "./memory.js";
import { permText } from "./describe.js";
import { kernelTouch } from "./handler.js";
import { blockedBy, closedAt, type ClosedAt } from "./kernels/index.js";
import { spinClosed } from "./locks.js";
import { runAnother } from "./run-action.js";

/** An event armed in a run. A class with every field set from the start: one shape for all, so the loops over them stay optimized (V8 deoptimized them on each new shape). */
class Armed {
  /** Why its kernel kept it from happening at its point (kernels.md sections 4 and 5), when it did. */
  blocked: string | undefined = undefined;

  constructor(
    readonly spec: InjectedEventSpec,
    readonly thread: string,
    /** `when.step` as a number (-1 when past any step number): fire runs at every point, so it compares numbers rather than making a bigint per event per point. */
    readonly step: number,
    public fired: boolean,
    /** The race this event stands for (explore.md section 3), when it is one. */
    readonly race: string | undefined,
    /** Why it can never fire where it is placed (a `run` race in its own thread's steps). */
    readonly inert: string | undefined,
  ) {}

  /** The same event, for a copy of the run. */
  copy(): Armed {
    const a = new Armed(this.spec, this.thread, this.step, this.fired, this.race, this.inert);
    a.blocked = this.blocked;
    return a;
  }
}

/** An event a schedule adds after the file's own: a race placed at one point occurrence. */
export interface RaceEvent {
  spec: InjectedEventSpec;
  race: string;
  /** Set when the race cannot fire at that point at all; it is then reported unfired with this reason. */
  inert?: string;
}

/**
 * Told of every trigger point the outer operation reaches, in order (`count`: nth, or the element index;
 * `closed`: what the kernel keeps from happening there, absent when nothing is).
 */
export type PointListener = (thread: string, step: number, at: TriggerName, count: bigint | undefined, closed?: ClosedAt) => void;

/**
 * Watches the points from inside the run (an exploration that forks there):
 * `before` as a point is reached, `after` once its events have fired (not
 * called when one of them ended the run), with the state's fingerprint.
 */
export interface PointProbe {
  before(thread: string, step: number, at: TriggerName, count: bigint | undefined, closed: ClosedAt | undefined): void;
  /** `events`: how many events the run has emitted so far (a trace has a cap on them). */
  /** `closed`: what the kernel keeps from happening here (as a point listener is told). */
  after(
    thread: string,
    step: number,
    at: TriggerName,
    count: bigint | undefined,
    closed: ClosedAt | undefined,
    print: (what: PrintWhat) => StatePrint | undefined,
    events: number,
    fork: ForkAt,
  ): void;
  /** Whether every element of a scan must be a point now (true) or reads may run on to the next event. */
  perElement(): boolean;
  /** The run is over, with `units` of work spent. */
  end?(units: bigint): void;
}

/**
 * A state's fingerprint, being made (a fresh Hasher each call: the one who
 * asks adds what it knows of the state), and the units of work spent so far,
 * which the fingerprint leaves out: two runs that differ only in them have
 * the same future while neither runs out of budget, and the one who asks
 * knows how much its future spends.
 */
export interface StatePrint {
  hash: Hasher;
  units: bigint;
}

/** Which of a step's point counters can still matter (some race or event may yet fire at the nth fault or page check): the others are left out. */
export interface PrintWhat {
  faults: boolean;
  checks: boolean;
}

/** A fork of the run at the point it is given (the one being fired): undefined where the run cannot be copied there. */
export type ForkAt = (at: TriggerName, count: bigint | undefined, closed: ClosedAt | undefined) => Fork | undefined;

const NO_FORK: ForkAt = () => undefined;

/** A run at a point, to be gone on from in copies, one per race or set of races (undefined from `fork` where that cannot be done). */
export interface Fork {
  /** In a copy: `races` fire at this point (after what fired here already), then the rest of the run, watched by `probe`. */
  run(races: readonly RaceEvent[], probe: PointProbe): Trace;
  /**
   * A copy in which `races` have fired at this point, stopped just after it,
   * as a probe's `after` would see it; undefined when one of them ended the
   * run (then `run` does it all). Most copies of an exploration come to a
   * state already known right there: they never run, and one whose race
   * changes memory only is not even made until it goes on or forks, so it is
   * to be used while the run it came from is still at this point.
   */
  start(races: readonly RaceEvent[]): Started | undefined;
}

/** A copy stopped just after a point's events (Fork.start): what a probe's `after` is told, and the rest of its run. */
export interface Started {
  print(what: PrintWhat): StatePrint | undefined;
  /** How many events the copy has emitted so far. */
  readonly events: number;
  /** A copy of this copy at the same point (its own forks there; a ForkAt, told of the point it already knows). */
  fork(): Fork | undefined;
  /** The rest of the run from just after the point, watched by `probe` (not told of this point again). */
  run(probe: PointProbe): Trace;
}

export class Injector {
  private readonly armed: Armed[];
  /** The state's fingerprint, for the probe (set by the run loop). */
  print: (what: PrintWhat) => StatePrint | undefined = () => undefined;
  /** A fork of the run at the point being fired (set by the run loop when there is a probe). */
  forkAt: ForkAt | undefined;

  constructor(
    events: readonly InjectedEventSpec[],
    defaultThread: string,
    races: readonly RaceEvent[] = [],
    private readonly onPoint?: PointListener,
    private probe?: PointProbe,
    /** The points onPoint is told of (undefined: all); a scan need not stop at each element when before-read is not among them. */
    private readonly pointsWanted?: ReadonlySet<TriggerName>,
  ) {
    this.armed = [];
    for (const spec of events) this.armed.push(new Armed(spec, spec.when.thread ?? defaultThread, stepNumber(spec), false, undefined, undefined));
    for (const r of races) this.armed.push(armedRace(r, defaultThread));
  }

  /**
   * The point `at` of the current step is reached (`count`: the nth page
   * check or fault, or the element index). Runs every matching action, in file order.
   */
  fire(m: Machine, at: TriggerName, count?: bigint): void {
    if (!m.outer) return;
    const k = m.kernel;
    const kernelClosed = k.preemption || k.interrupts || k.mappingLocked ? closedAt(k, { op: m.op, at, inAccess: m.openCount(m.thread) > 0 }, m.cpu) : undefined;
    // A spin lock the thread holds closes preemption and interrupts too (kernels.md section 8).
    const closed = m.locks.any ? spinClosed(m, kernelClosed) : kernelClosed;
    if (this.pointsWanted === undefined || this.pointsWanted.has(at)) this.onPoint?.(m.thread, m.step, at, count, closed);
    this.fireFrom(m, at, count, 0, closed);
  }

  /** The point's events from the armed one `first` on (a copy of a run: those after what fired there already), then the probe's look. */
  fireFrom(m: Machine, at: TriggerName, count: bigint | undefined, first: number, closed: ClosedAt | undefined): void {
    this.probe?.before(m.thread, m.step, at, count, closed);
    this.fireArmed(m, at, count, first, closed);
    // The fork is the run's own (not a closure per point): the probe says where.
    this.probe?.after(m.thread, m.step, at, count, closed, this.print, m.eventCount, this.forkAt ?? NO_FORK);
  }

  /**
   * The point's events from the armed one `first` on, and nothing else (no
   * probe is told); `memoryDone`: the memory they change already is as they
   * leave it (a copy made on the memory an unmade one was printed with).
   */
  fireArmed(m: Machine, at: TriggerName, count: bigint | undefined, first: number, closed: ClosedAt | undefined, memoryDone = false): void {
    for (let i = first; i < this.armed.length; i++) {
      const a = this.armed[i] as Armed;
      if (!takes(a, m, at, count)) continue;
      const blocked = blockedBy(closed, a.spec.do);
      if (blocked !== undefined) {
        a.blocked = blocked;
        continue;
      }
      a.fired = true;
      runAction(m, a.spec, a.race, memoryDone);
    }
  }

  /** A copy for a copy of the run: what fired so far, then `races` added (a fork's pairs), watched by `probe` (or, later, by the one `watch` gives). */
  copy(races: readonly RaceEvent[], probe?: PointProbe): Injector {
    const c = new Injector([], "", [], undefined, probe);
    for (const a of this.armed) c.armed.push(a.copy());
    for (const r of races) c.armed.push(armedRace(r, ""));
    return c;
  }

  /** From now on `probe` watches the points (a started copy going on). */
  watch(probe: PointProbe): void {
    this.probe = probe;
  }

  /** Whether an event not fired yet waits for the nth page fault (`page-fault`) or page check (`page-check`): then that count is part of a state. */
  waitsFor(at: TriggerName): boolean {
    for (const a of this.armed) if (a.spec.when.at === at && (!a.fired || a.spec.repeat)) return true;
    return false;
  }

  /** Which of the file's own events (not races) have fired: a part of the state's fingerprint. */
  hashFired(h: Hasher): void {
    let n = 0;
    for (const a of this.armed)
      if (a.race === undefined) {
        h.int(a.fired ? 1 : 0);
        n++;
      }
    h.int(n);
  }

  /** Indexes (in the file's `events`) of the events that never fired. */
  unfired(): number[] {
    return this.armed.flatMap((a, i) => (a.fired ? [] : [i]));
  }

  /** Why the armed event `i` can never fire, when that is known before the run. */
  inertReason(i: number): string | undefined {
    return this.armed[i]?.inert;
  }

  /** Why the kernel kept the armed event `i` from happening where it was reached, if it did. */
  blockedReason(i: number): string | undefined {
    return this.armed[i]?.blocked;
  }

  /** The first element index from `from` on at which a before-read trigger of this step would fire, if any. */
  nextReadTrigger(m: Machine, from: bigint): bigint | undefined {
    if (!m.outer) return undefined;
    // Someone listens for every point: each element's before-read is one.
    if ((this.onPoint !== undefined && (this.pointsWanted === undefined || this.pointsWanted.has("before-read"))) || this.probe?.perElement() === true) return from;
    let next: bigint | undefined;
    for (const a of this.armed) {
      const w = a.spec.when;
      if (w.at !== "before-read" || a.thread !== m.thread || a.step !== m.step) continue;
      if (a.fired && !a.spec.repeat) continue;
      const want = w.index ?? 0n;
      const at = a.spec.repeat ? (want > from ? want : from) : want;
      if (at >= from && (next === undefined || at < next)) next = at;
    }
    return next;
  }
}

/** Whether armed event `a` fires at this point (`count` as `fire` is told), its kernel permitting. */
function takes(a: Armed, m: Machine, at: TriggerName, count: bigint | undefined): boolean {
  const w = a.spec.when;
  if (a.inert !== undefined) return false;
  if (w.at !== at || a.thread !== m.thread || a.step !== m.step) return false;
  if (a.fired && !a.spec.repeat) return false;
  if (count === undefined) return true;
  const want = at === "before-read" ? (w.index ?? 0n) : (w.nth ?? 1n);
  return a.spec.repeat ? count >= want : count === want;
}

/**
 * Whether race `r`, added to a copy of the run at this point (Injector.copy),
 * fires there, once, and changes nothing but memory besides its event and
 * its unit of work: then its effect is `memoryEffect` of its action.
 */
export function firesOnMemory(r: RaceEvent, m: Machine, at: TriggerName, count: bigint | undefined, closed: ClosedAt | undefined): boolean {
  return !r.spec.repeat && takes(armedRace(r, ""), m, at, count) && blockedBy(closed, r.spec.do) === undefined && memoryEffect(r.spec.do, m.aspace.pageSize) !== undefined;
}

/** A race's event, armed (not fired yet). */
function armedRace(r: RaceEvent, defaultThread: string): Armed {
  return new Armed(r.spec, r.spec.when.thread ?? defaultThread, stepNumber(r.spec), false, r.race, r.inert);
}

function stepNumber(spec: InjectedEventSpec): number {
  const n = spec.when.step;
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : -1;
}

function runAction(m: Machine, e: InjectedEventSpec, race: string | undefined, memoryDone = false): void {
  const d = e.do;
  const by = { ...(e.by !== undefined ? { by: e.by } : {}), ...(race !== undefined ? { race } : {}) };
  const page = m.aspace.pageSize;
  // The detail is text for a trace: an exploration keeps none, so it is not made there.
  const injected = (action: string, detail: () => string) => {
    m.spend();
    m.injections++;
    m.emit({ kind: "injected", action, ...by, detail: m.keepEvents ? detail() : "" });
  };
  const onMemory = memoryEffect(d, page);
  if (onMemory !== undefined) {
    injected(onMemory.action, onMemory.detail);
    if (!memoryDone) onMemory.apply(m.aspace);
  } else if (d.map) {
    const { start, end } = spanOf(d.map, page);
    const { perm, populate } = d.map;
    injected("map", () => `map ${hex(start)}..${hex(end)} ${permText(perm)}${populate ? "" : " lazy"}`);
    m.aspace.unmap(start, end);
    const before = m.aspace.presentCount;
    m.aspace.addArea({ name: d.map.name, start, end, perm: d.map.perm, eager: d.map.populate, present: d.map.present ?? [] });
    // Each page made present is a unit of work, as for populate and faults.
    m.spend(m.aspace.presentCount - before);
    for (const c of d.map.contents ?? []) writeContents(m, c);
  } else if (d.frames !== undefined) {
    const frames = d.frames;
    injected("frames", () => `${frames} frame${frames === 1n ? "" : "s"} free from now on`);
    m.aspace.freeFrames = d.frames;
  } else if (d.migrate) {
    const from = m.cpu;
    const to = d.migrate.cpu;
    injected("migrate", () => `move thread ${m.thread} to cpu${to}`);
    const open = m.openCount(m.thread) > 0;
    m.moveThread(m.thread, to);
    m.emit({ kind: "migrate", from, to });
    if (from !== to && open && m.strategy.perCpu) {
      m.hazard(
        "migrated-in-access",
        `Thread ${m.thread} moved from cpu${from} to cpu${to} in the middle of a user access: its protection stayed on cpu${from}, so a fault on cpu${to} will panic, and cpu${from} says "accessing" for whatever runs there next.`,
      );
    }
  } else if (d.interrupt) {
    const addr = d.interrupt.addr;
    injected("interrupt", () => `interrupt handler on cpu${m.cpu} touches ${hex(addr)}`);
    interrupt(m, d.interrupt.addr, d.interrupt.access);
  } else if (d.nested) {
    const op = d.nested.op;
    injected("nested", () => `nested ${op} on thread ${m.thread}`);
    m.depth++;
    try {
      const result = m.runNested(m, d.nested);
      m.emit({ kind: "nested-result", op: d.nested.op, result });
    } finally {
      m.depth--;
    }
  } else if (d.run) {
    const cpu = d.run.cpu ?? m.cpu;
    const thread = d.run.thread;
    injected("run", () => `run thread ${thread} on cpu${cpu}`);
    runAnother(m, d.run.thread, cpu, d.run.step, e.by);
  }
}

/** An action that changes memory only (besides its event and unit of work): its event's name and detail, and the change. */
interface MemoryEffect {
  action: string;
  detail: () => string;
  apply(aspace: AddressSpace): void;
}

/**
 * What an unmap, protect, evict or write does, as a change of the address
 * space alone (undefined for any other action): the same change of the same
 * memory leaves the same memory, so a copy of a run at a point can be
 * printed before it is made (simulate's forks).
 */
export function memoryEffect(d: InjectedEventSpec["do"], page: bigint): MemoryEffect | undefined {
  // A race's action is one object in every schedule: its effect is made once (per page size).
  const kept = EFFECTS.get(d);
  if (kept !== undefined && kept.page === page) return kept.effect;
  const effect = makeMemoryEffect(d, page);
  EFFECTS.set(d, { page, effect });
  return effect;
}

const EFFECTS = new WeakMap<InjectedEventSpec["do"], { page: bigint; effect: MemoryEffect | undefined }>();

function makeMemoryEffect(d: InjectedEventSpec["do"], page: bigint): MemoryEffect | undefined {
  if (d.unmap) {
    const { start, end } = spanOf(d.unmap, page);
    return { action: "unmap", detail: () => `unmap ${hex(start)}..${hex(end)}`, apply: (a) => a.unmap(start, end) };
  }
  if (d.protect) {
    const { start, end } = spanOf(d.protect, page);
    const perm = d.protect.perm;
    return { action: "protect", detail: () => `protect ${hex(start)}..${hex(end)} to ${permText(perm)}`, apply: (a) => a.protect(start, end, perm) };
  }
  if (d.evict) {
    const { start, end } = spanOf(d.evict, page);
    return { action: "evict", detail: () => `evict ${hex(start)}..${hex(end)}`, apply: (a) => void a.evict(start, end) };
  }
  if (d.write) {
    const w = d.write;
    return { action: "write", detail: () => `write ${describeContents(w)} at ${hex(w.at)}`, apply: (a) => writeContentsTo(a, w) };
  }
  return undefined;
}

/** An interrupt handler's kernel access: judged by the interrupted code's state. */
function interrupt(m: Machine, addr: bigint, access: Access): void {
  m.emit({ kind: "interrupt", addr, access });
  m.irq++;
  try {
    // A fixup cannot happen here: an interrupt handler's access is never a user-access site.
    kernelTouch(m, addr, access, { site: false, interrupt: true });
    m.spend();
    m.emit({ kind: access, addr, size: 1n, mode: "kernel", interrupt: true });
  } finally {
    m.irq--;
  }
}

export function writeContents(m: Machine, c: ContentItemSpec): void {
  writeContentsTo(m.aspace, c);
}

export function writeContentsTo(aspace: AddressSpace, c: ContentItemSpec): void {
  const bytes = contentBytes(c);
  if (bytes) aspace.writeBytes(c.at, bytes);
  else if (c.fill !== undefined) aspace.fill(c.at, c.len ?? 0n, Number(c.fill));
}

/** The bytes of a contents item (undefined for a fill, which is written page by page). */
export function contentBytes(c: WriteContentsSpec): Uint8Array | undefined {
  // A race's write runs in thousands of schedules: its bytes are made once per item (callers only read them).
  if (CONTENT_BYTES.has(c)) return CONTENT_BYTES.get(c);
  const bytes = makeContentBytes(c);
  CONTENT_BYTES.set(c, bytes);
  return bytes;
}

const CONTENT_BYTES = new WeakMap<WriteContentsSpec, Uint8Array | undefined>();

function makeContentBytes(c: WriteContentsSpec): Uint8Array | undefined {
  const { kind, values } = contentKind(c);
  if (kind === "str") return new TextEncoder().encode(c.str ?? "");
  if (kind === "fill") return undefined;
  if (kind === "bytes") return Uint8Array.from((values ?? []).map(Number));
  const size = Number(elementInfo(kind).size);
  const out = new Uint8Array((values ?? []).length * size);
  (values ?? []).forEach((v, i) => out.set(encode(v, size), i * size));
  return out;
}

function describeContents(c: ContentItemSpec): string {
  const { kind, values } = contentKind(c);
  if (kind === "str") return JSON.stringify(c.str);
  if (kind === "fill") return `${c.len} bytes of ${hex(c.fill ?? 0n)}`;
  return `${kind} [${(values ?? []).join(", ")}]`;
}

// The simulator: a pure, deterministic function from a scenario to its trace.
import { spanOf } from "../scenario/rules.js";
import type { InjectedEventSpec, NestedStepSpec, Strategy as StrategySchema, TriggerName } from "../scenario/schema.js";
import type { Scenario } from "../scenario/validate.js";
import type { z } from "zod";
import type { Outcome, RunEnd, RunExpectation, StepRecord, StepResult, Trace, Unfired } from "./events.js";
import { expectedOf, met } from "./expect.js";
import { firesOnMemory, Injector, memoryEffect, writeContentsTo, type Fork, type PointListener, type PointProbe, type PrintWhat, type RaceEvent, type Started, type StatePrint } from "./injector.js";
import { Hasher } from "./fingerprint.js";
import { resultKey } from "./result-key.js";
import { Machine, RunEndSignal, type Progress } from "./machine.js";
import { AddressSpace } from "./memory.js";
import { snapshotOf } from "./memory-map.js";
import { resumeProgress, runOp, takeUp, type OpResume } from "./ops.js";
import { describeArgs } from "./describe.js";
import { neverReached } from "./points.js";
import { HeldLocks, withHeld } from "./locks.js";
import { pointerLabels, pointerText, resolvePointer } from "./pointers.js";

export { describeArgs };
import { makeStrategy } from "./strategies/index.js";
import { kernelProfile, type ClosedAt } from "./kernels/index.js";
import { VM_KERNELS, type KernelName } from "../scenario/kernels.js";

export type StrategyName = z.infer<typeof StrategySchema>;

export interface SimulateOptions {
  /** Overrides the file's machine.strategy (`run --strategy`, `compare`); a starry-* kernel's own strategy wins. */
  strategy?: StrategyName;
  /** Overrides the file's machine.kernel (`--kernel`): a starry-* one also sets the strategy and the lock discipline. */
  kernel?: KernelName;
  /** Races placed at points (a schedule of explore.md section 3): injected events added after the file's own. */
  races?: readonly RaceEvent[];
  /** Told of every point occurrence the run reaches, in order (explore.md section 2). */
  onPoint?: PointListener;
  /** The points onPoint is told of (default: all): an exploration whose races never take a point need not stop at it. */
  pointsWanted?: ReadonlySet<TriggerName>;
  /** False: the trace's `events` stay empty (counted in the summary only) and its steps' `args` are ""; for explorations, which keep signatures, not traces. */
  keepEvents?: boolean;
  /** The start state from initialMemory(scenario), forked rather than built again. */
  start?: AddressSpace;
  /** Watches every point from inside the run, with the state's fingerprint (an exploration forking there). */
  probe?: PointProbe;
  /** A failing region check, page check or populate says why (`why`): run --explain. Off, the trace is as it always was. */
  explain?: boolean;
}

/**
 * The address space at the start of a run: the file's areas and contents.
 * Pass it as `start` to many runs (an exploration) to build it once; each run forks it.
 */
export function initialMemory(scenario: Scenario): AddressSpace {
  const mc = scenario.machine;
  const P = mc.page_size;
  const aspace = new AddressSpace(P, mc.aspace.base, mc.aspace.base + mc.aspace.size, mc.frames === "unlimited" ? null : mc.frames);
  for (const a of scenario.memory) {
    const { start, end } = spanOf(a, P);
    aspace.addArea({ name: a.name, start, end, perm: a.perm, eager: a.populate, present: a.present ?? [] });
    for (const c of a.contents ?? []) writeContentsTo(aspace, c);
  }
  return aspace;
}

/** A run under way: what a copy needs to go on from a point (an exploration forking there). */
interface Run {
  scenario: Scenario;
  options: SimulateOptions;
  strategyName: StrategyName;
  kernelName: KernelName | undefined;
  aspaceLock: Scenario["machine"]["aspace_lock"];
  m: Machine;
  injector: Injector;
  races: readonly RaceEvent[];
  steps: StepRecord[];
  /** The results of the current thread's steps so far (a pointer from a result, kernels.md section 8). */
  results: StepResult[];
  /** Why the current thread's later steps do not run: it returned after an err (on_error: return). */
  returned: string | undefined;
  /** The results of the steps already run, as a fingerprint's part: they are part of what the run comes to. */
  done: string;
  /** The step under way: its thread's index and its own. */
  thread: number;
  step: number;
  memoryAtStart: ReturnType<typeof snapshotOf> | undefined;
}

export function simulate(scenario: Scenario, options: SimulateOptions = {}): Trace {
  const mc = scenario.machine;
  const kernelName = options.kernel ?? mc.kernel;
  const kernel = kernelProfile(kernelName);
  const strategyName = kernel.strategy ?? options.strategy ?? mc.strategy;
  // A starry-* kernel takes the lock per check, whatever the file says (kernels.md section 1).
  const aspaceLock = kernel.strategy !== undefined ? "per-check" : mc.aspace_lock;
  const aspace = options.start ? options.start.fork() : initialMemory(scenario);
  const threadNames = scenario.threads.map((t) => t.name);
  const m = new Machine(
    aspace,
    makeStrategy(strategyName, mc.cpus, threadNames),
    new Map(scenario.threads.map((t) => [t.name, t.cpu])),
    aspaceLock === "held",
    mc.budget,
  );
  m.kernel = kernel;
  m.keepEvents = options.keepEvents ?? true;
  m.explain = options.explain ?? false;
  const races = options.races ?? [];
  const injector = new Injector(scenario.events, threadNames[0] ?? "main", races, options.onPoint, options.probe, options.pointsWanted);
  // An exploration keeps signatures, not traces: no memory pictures (most of a short run's allocations).
  const memoryAtStart = m.keepEvents ? snapshotOf(aspace) : undefined;
  m.locks = new HeldLocks(scenario.locks ?? [], kernel.relock);
  const run: Run = { scenario, options, strategyName, kernelName, aspaceLock, m, injector, races, steps: [], results: [], returned: undefined, done: "", thread: 0, step: 0, memoryAtStart };
  wire(run);
  return go(run);
}

/** Connects a run's machine and injector (the fingerprint, the nested-op runner, forks for a probe). */
function wire(run: Run): void {
  const { m, injector } = run;
  m.triggers = injector;
  m.runNested = RUN_NESTED;
  injector.print = (what) => statePrint(m, injector, run.done, what);
  if (run.options.probe === undefined) return;
  injector.forkAt = (at, count, closed) => {
    const op = m.resumeAt?.(at);
    return op === undefined ? undefined : forkOf(run, op, at, count, closed);
  };
}

/** Runs a nested operation on its machine (Machine.runNested). */
const RUN_NESTED = (m: Machine, st: NestedStepSpec): StepResult => withHeld(m, st.hold, () => runOp(m, st));

/** A state's fingerprint: the machine, its memory, the steps done and the file's events fired. */
function statePrint(m: Machine, injector: Injector, done: string, what: PrintWhat, aspace = m.aspace): StatePrint | undefined {
  // Hashed, not joined: a state's key is two numbers, so the memo keeps no text of the states it has seen.
  const h = new Hasher();
  if (!m.hashInto(h, what)) return undefined;
  aspace.hashInto(h);
  h.string(done);
  injector.hashFired(h);
  return { hash: h, units: m.used };
}

/** A run at a point of its operation (`op`: the operation there, the run's own or a made copy's; `at`, `count`, `closed`: the point as `fire` was told), which copies go on from. */
interface ForkPoint {
  run: Run;
  op: OpResume;
  at: TriggerName;
  count: bigint | undefined;
  closed: ClosedAt | undefined;
}

/**
 * `run` at a point of its operation (`op`: the operation as it is there, not
 * a copy), to be gone on from in copies: as many as the point has races, each
 * taking its own operation from `op` (takeUp) when it is made.
 */
function forkOf(run: Run, op: OpResume, at: TriggerName, count: bigint | undefined, closed: ClosedAt | undefined): Fork {
  // The point's events fired in the copy after those that fired in the run (its own races are the last armed).
  const first = run.scenario.events.length + run.races.length;
  const point: ForkPoint = { run, op, at, count, closed };
  return {
    run: (extra, probe) => {
      const c = run.m.clone();
      const inj = run.injector.copy(extra, probe);
      const copy = copyOf(run, c, inj, extra, probe);
      const own = takeUp(op);
      // Once the copy is in place: the races fire at this point, as they would have after what fired here, then the probe looks.
      own.enter = () => inj.fireFrom(c, at, count, first, closed);
      return go(copy, own);
    },
    start: (extra) => unmade(point, extra) ?? startCopy(point, extra),
  };
}

/**
 * A copy started at a point, not made yet: where its one race only changes
 * memory (firesOnMemory), its state is the run's own with that memory, a unit
 * more and one event more, so it is printed from the run (most copies of an
 * exploration come to a state known right there, and are never made).
 */
function unmade(point: ForkPoint, extra: readonly RaceEvent[]): Started | undefined {
  const { m } = point.run;
  const race = extra[0];
  if (extra.length !== 1 || race === undefined || m.used + 1n > m.budget || !firesOnMemory(race, m, point.at, point.count, point.closed)) return undefined;
  const events = m.eventsAfterOne();
  if (events === undefined) return undefined;
  return new UnmadeCopy(point, extra, spaceAfter(m.aspace, race.spec.do), events);
}

/** The memory a memory-only action leaves (memoryEffect), by the space it changes, that space's changes so far and its free frames, and the action. */
const AFTER = new WeakMap<AddressSpace, { changes: number; frames: bigint | null; by: Map<InjectedEventSpec["do"], AddressSpace> }>();

function spaceAfter(a: AddressSpace, d: InjectedEventSpec["do"]): AddressSpace {
  let kept = AFTER.get(a);
  if (kept === undefined || kept.changes !== a.changeCount || kept.frames !== a.freeFrames) AFTER.set(a, (kept = { changes: a.changeCount, frames: a.freeFrames, by: new Map() }));
  let after = kept.by.get(d);
  if (after === undefined) {
    // Its own fork, never changed after: copies made from it fork it in turn.
    after = a.fork();
    (memoryEffect(d, a.pageSize) as NonNullable<ReturnType<typeof memoryEffect>>).apply(after);
    kept.by.set(d, after);
  }
  return after;
}

/** Fork.start's copy where it is not made (`unmade`): printed from the run at its point, made when it goes on or forks (still at that point: a fork's copies are started and taken there). */
class UnmadeCopy implements Started {
  private made: Started | undefined;

  constructor(
    private readonly point: ForkPoint,
    private readonly extra: readonly RaceEvent[],
    private readonly space: AddressSpace,
    readonly events: number,
  ) {}

  /** The state a made copy would print: the run's machine as the copy's (its progress as taken up, one injection more) with the memory the race leaves. */
  readonly print = (what: PrintWhat): StatePrint | undefined => {
    const { run, op } = this.point;
    const m = run.m;
    const { progress, injections } = m;
    m.progress = resumeProgress(op);
    m.injections = injections + 1;
    try {
      const p = statePrint(m, run.injector, run.done, what, this.space);
      return p === undefined ? undefined : { hash: p.hash, units: p.units + 1n };
    } finally {
      m.progress = progress;
      m.injections = injections;
    }
  };

  private copy(): Started {
    // Made on a fork of the memory it was printed with: the race's change is not made (nor its bytes hashed) again.
    return (this.made ??= startCopy(this.point, this.extra, this.space) as Started);
  }

  fork(): Fork | undefined {
    return this.copy().fork();
  }

  run(probe: PointProbe): Trace {
    return this.copy().run(probe);
  }
}

/** Fork.start's copy, made: the races fire in a clone of the run's machine (on a fork of `after`, the memory they leave, when it is known). */
function startCopy(point: ForkPoint, extra: readonly RaceEvent[], after?: AddressSpace): Started | undefined {
  const { run, at, count, closed } = point;
  const op = takeUp(point.op);
  // The point's events fired in the copy after those that fired in the run (its own races are the last armed).
  const first = run.scenario.events.length + run.races.length;
  const c = run.m.clone(after?.fork());
  const inj = run.injector.copy(extra);
  // Wired as the copy's run would wire it, without the run (made only if the copy goes on or forks); the clone has its runNested.
  c.triggers = inj;
  c.progress = resumeProgress(op);
  try {
    inj.fireArmed(c, at, count, first, closed, after !== undefined);
  } catch (e) {
    // One of them ended the run: `run` goes through the rest of it.
    if (e instanceof RunEndSignal) return undefined;
    throw e;
  }
  return new StartedCopy({ run, op, at, count, closed }, c, inj, extra);
}

/** A copy stopped just after a point's events (Fork.start). A class, not closures: most are made, printed and dropped. */
class StartedCopy implements Started {
  readonly events: number;
  /** The copy's run, made when it goes on or forks. */
  private made: Run | undefined;

  constructor(
    private readonly point: ForkPoint,
    private readonly c: Machine,
    private readonly inj: Injector,
    private readonly extra: readonly RaceEvent[],
  ) {
    this.events = c.eventCount;
  }

  private copy(): Run {
    const { run } = this.point;
    return (this.made ??= copyOf(run, this.c, this.inj, this.extra, run.options.probe));
  }

  /** A property (one closure), not a method: the exploration passes it on as a function. */
  readonly print = (what: PrintWhat): StatePrint | undefined => statePrint(this.c, this.inj, this.point.run.done, what);

  fork(): Fork | undefined {
    // As the copy's scan would offer itself here (Machine.resumeAt): the aspace lock is never held around it.
    // Its operation is its own and not gone on yet: its copies take theirs from it.
    const { op, at, count, closed } = this.point;
    return op.sink.copyable() ? forkOf(this.copy(), op, at, count, closed) : undefined;
  }

  run(probe: PointProbe): Trace {
    const r = this.copy();
    r.options = { ...this.point.run.options, probe };
    this.inj.watch(probe);
    return go(r, this.point.op);
  }
}

/** A copy of `run` in machine `c` with injector `inj`, its races and steps its own. */
function copyOf(run: Run, c: Machine, inj: Injector, extra: readonly RaceEvent[], probe: PointProbe | undefined): Run {
  const copy: Run = { ...run, options: { ...run.options, probe }, m: c, injector: inj, races: [...run.races, ...extra], steps: [...run.steps], results: [...run.results] };
  wire(copy);
  return copy;
}

/** Runs the steps from the run's current one (taken up at a point of it when `resume` is given) and makes the trace. */
function go(run: Run, resume?: OpResume): Trace {
  const { scenario, options, m, injector, steps } = run;
  const mc = scenario.machine;
  let ended: RunEnd | undefined;
  for (let t = run.thread; t < scenario.threads.length; t++) {
    const thread = scenario.threads[t] as Scenario["threads"][number];
    const labels = labelsOf(thread, scenario);
    if (t !== run.thread) {
      run.results = [];
      run.returned = undefined;
    }
    for (let i = t === run.thread ? run.step : 0; i < thread.steps.length; i++) {
      const st = thread.steps[i] as NestedStepSpec;
      run.thread = t;
      run.step = i;
      let result: StepResult;
      let reason: string | undefined;
      const p = resolvePointer(st, thread.name, run.results, labels[i] ?? "");
      // The step's arguments as the trace shows them, a pointer from a result with where it came from.
      const args = () => describeArgs(p.ok ? p.step : st, p.origin && pointerText(p.origin, thread.name));
      if (ended) result = { status: "not-run" };
      else if (run.returned !== undefined || !p.ok) {
        result = { status: "not-run" };
        reason = run.returned ?? (p.ok ? undefined : p.reason);
        if (options.probe) run.done += `${resultKey(result)};`;
      } else {
        const r = runStep(m, thread.name, i + 1, p.step, args, resume);
        resume = undefined;
        result = r.result;
        if (r.ended) ended = r.ended;
        else if (options.probe) run.done += `${resultKey(result)};`;
      }
      // kernels.md section 8: after an err, a thread with on_error: return has gone back to user space.
      if (result.status === "err" && thread.on_error === "return" && run.returned === undefined)
        run.returned = `${thread.name}#${i + 1} returned ${result.errno} (on_error: return)`;
      run.results.push(result);
      const expected = expectedOf(st);
      // Without a trace to keep, nobody reads the arguments' text: not making it saves an exploration much of its time.
      steps.push({
        thread: thread.name,
        step: i + 1,
        op: st.op,
        args: m.keepEvents ? args() : "",
        result,
        expected,
        met: met(expected, result),
        ...(reason !== undefined ? { reason } : {}),
        ...(p.origin !== undefined ? { ptr_from: p.origin } : {}),
        ...(st.hold !== undefined && st.hold.length > 0 ? { hold: st.hold } : {}),
      });
    }
  }

  const races = run.races;
  const outcome: Outcome = ended ? ended.status : "completed";
  options.probe?.end?.(m.used);
  const vm = VM_KERNELS.includes(m.kernel.name);
  let unfiredList: Unfired[] | undefined;
  const unfired = (): Unfired[] =>
    injector.unfired().map((i) => {
      const own = scenario.events[i];
      if (own !== undefined) return { event: i, ...unfiredEvent(scenario, own, steps, injector.blockedReason(i), vm) };
      const r = races[i - scenario.events.length] as RaceEvent;
      return { race: r.race, ...unfiredEvent(scenario, r.spec, steps, r.inert ?? injector.blockedReason(i), vm) };
    });
  const expectations = runExpectations(scenario, outcome, m.hazards.map((h) => h.kind));
  const judged = [...steps.map((s) => s.met), ...expectations.map((e) => e.met)].filter((x): x is boolean => x !== null);
  const memoryAtStart = run.memoryAtStart;
  return {
    scenario: { name: scenario.name, ...(scenario.description !== undefined ? { description: scenario.description } : {}) },
    machine: {
      cpus: mc.cpus,
      strategy: run.strategyName,
      page_size: mc.page_size,
      frames: mc.frames,
      aspace_lock: run.aspaceLock,
      ...(run.kernelName !== undefined ? { kernel: run.kernelName } : {}),
    },
    ...(scenario.locks !== undefined && scenario.locks.length > 0 ? { locks: scenario.locks } : {}),
    outcome,
    steps,
    events: m.events,
    stateKeys: m.strategy.keys,
    hazards: m.hazards,
    // Made when first read: an exploration never reads it, and its reasons are strings built per event (the run is over: the same list).
    get unfired(): Unfired[] {
      return (unfiredList ??= unfired());
    },
    expectations,
    summary: {
      events: m.eventCount,
      faults: m.faults,
      resolved: m.resolved,
      expectations: { met: judged.filter((x) => x).length, failed: judged.filter((x) => !x).length },
    },
    ...(memoryAtStart !== undefined ? { memory: { start: memoryAtStart, end: snapshotOf(m.aspace) } } : {}),
  };
}

const BEFORE_STEP: Progress = (h) => h.string("B");

/** A thread's pointer labels, made once per thread of a scenario (an exploration goes on from a point in many copies, each a `go`). */
const LABELS = new WeakMap<Scenario["threads"][number], { memory: Scenario["memory"]; page: bigint; labels: string[] }>();

function labelsOf(thread: Scenario["threads"][number], scenario: Scenario): string[] {
  const { memory, machine } = scenario;
  const kept = LABELS.get(thread);
  // Labels name areas: kept only for the memory and page size they were made with.
  if (kept !== undefined && kept.memory === memory && kept.page === machine.page_size) return kept.labels;
  const labels = pointerLabels(thread.steps, memory, machine.page_size);
  LABELS.set(thread, { memory, page: machine.page_size, labels });
  return labels;
}

function runStep(m: Machine, thread: string, step: number, st: NestedStepSpec, args: () => string, resume?: OpResume): { result: StepResult; ended?: RunEnd } {
  // Taken up in a copy at a point of its operation: the step began already, its counters (and held locks) are the copy's.
  if (resume === undefined) {
    m.thread = thread;
    m.step = step;
    m.op = st.op;
    m.pageChecks = 0;
    m.faultsInStep = 0;
    m.depth = 0;
    m.irq = 0;
    m.resumeAt = undefined;
    m.progressOuter = "";
  }
  let result: StepResult;
  let ended: RunEnd | undefined;
  try {
    if (resume === undefined) m.emit({ kind: "step-start", op: st.op, args: m.keepEvents ? args() : "" });
    const body = (): StepResult => {
      if (resume === undefined) {
        m.progress = BEFORE_STEP;
        m.triggers.fire(m, "before-step");
      }
      const r = runOp(m, st, {}, resume);
      m.progress = (h) => h.string(`A|${resultKey(r)}`);
      m.triggers.fire(m, "after-step");
      return r;
    };
    // `hold` locks are the thread's from before its before-step point to after its after-step point;
    // a copy taken up inside the step has them already and releases them at its end.
    if (resume === undefined) result = withHeld(m, st.hold, body);
    else {
      result = body();
      m.locks.release(st.hold ?? []);
    }
  } catch (e) {
    if (!(e instanceof RunEndSignal)) throw e;
    result = e.result;
    ended = e.result;
    m.depth = 0;
  }
  m.emit({ kind: "step-end", result });
  if (!ended && m.strategy.anyAccessing()) {
    m.hazard(
      "stranded-flag",
      "The step completed but the strategy still says \"accessing\": every later kernel bug on this CPU or thread would be taken for a user access.",
    );
  }
  return ended ? { result, ended } : { result };
}

function unfiredEvent(s: Scenario, e: InjectedEventSpec, steps: readonly StepRecord[], inert?: string, vm = false): Pick<Unfired, "when" | "why"> {
  const thread = e.when.thread ?? s.threads[0]?.name ?? "main";
  const step = Number(e.when.step);
  const at = e.when.at;
  const count = e.when.nth !== undefined ? ` nth ${e.when.nth}` : e.when.index !== undefined ? ` index ${e.when.index}` : "";
  const record = steps.find((r) => r.thread === thread && r.step === step);
  const spec = s.threads.find((t) => t.name === thread)?.steps[step - 1];
  const never = spec && neverReached(spec, at, vm);
  let why: string;
  if (inert !== undefined) why = inert;
  else if (!s.threads.some((t) => t.name === thread)) why = `the scenario has no thread named "${thread}"`;
  else if (!record) why = `thread "${thread}" has no step ${step}`;
  else if (record.result.status === "not-run") why = record.reason !== undefined ? `the step did not run: ${record.reason}` : "the run ended before this step";
  else if (never !== undefined) why = never;
  else why = `the step never got there (a check failed first, the run ended, or there were fewer page checks, faults or elements)`;
  return { when: `${thread}#${step} at ${at}${count}`, why };
}

function runExpectations(s: Scenario, outcome: Outcome, hazards: readonly string[]): RunExpectation[] {
  const out: RunExpectation[] = [];
  if (s.expect?.outcome !== undefined) out.push({ what: `outcome ${s.expect.outcome}`, met: outcome === s.expect.outcome });
  for (const h of s.expect?.hazards ?? []) out.push({ what: `hazard ${h}`, met: hazards.includes(h) });
  return out;
}

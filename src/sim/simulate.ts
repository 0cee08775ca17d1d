// The simulator: a pure, deterministic function from a scenario to its trace.
import { spanOf } from "../scenario/rules.js";
import type { NestedStepSpec, Strategy as StrategySchema } from "../scenario/schema.js";
import type { Scenario } from "../scenario/validate.js";
import type { z } from "zod";
import type { Outcome, RunEnd, RunExpectation, StepRecord, StepResult, Trace, Unfired } from "./events.js";
import { expectedOf, met } from "./expect.js";
import { Injector, writeContents } from "./injector.js";
import { Machine, RunEndSignal } from "./machine.js";
import { AddressSpace } from "./memory.js";
import { snapshotOf } from "./memory-map.js";
import { runOp } from "./ops.js";
import { neverReached } from "./points.js";
import { describeArgs } from "./describe.js";

export { describeArgs };
import { makeStrategy } from "./strategies/index.js";

export type StrategyName = z.infer<typeof StrategySchema>;

export interface SimulateOptions {
  /** Overrides the file's machine.strategy (`run --strategy`, `compare`). */
  strategy?: StrategyName;
}

export function simulate(scenario: Scenario, options: SimulateOptions = {}): Trace {
  const mc = scenario.machine;
  const strategyName = options.strategy ?? mc.strategy;
  const P = mc.page_size;
  const aspace = new AddressSpace(P, mc.aspace.base, mc.aspace.base + mc.aspace.size, mc.frames === "unlimited" ? null : mc.frames);
  const threadNames = scenario.threads.map((t) => t.name);
  const m = new Machine(
    aspace,
    makeStrategy(strategyName, mc.cpus, threadNames),
    new Map(scenario.threads.map((t) => [t.name, t.cpu])),
    mc.aspace_lock === "held",
    mc.budget,
  );
  for (const a of scenario.memory) {
    const { start, end } = spanOf(a, P);
    aspace.addArea({ name: a.name, start, end, perm: a.perm, eager: a.populate, present: a.present ?? [] });
    for (const c of a.contents ?? []) writeContents(m, c);
  }
  const memoryAtStart = snapshotOf(aspace);
  m.triggers = new Injector(scenario.events, threadNames[0] ?? "main");
  m.runNested = (st: NestedStepSpec) => runOp(m, st);

  const steps: StepRecord[] = [];
  let ended: RunEnd | undefined;
  for (const thread of scenario.threads) {
    thread.steps.forEach((st, i) => {
      let result: StepResult;
      if (ended) result = { status: "not-run" };
      else {
        const r = runStep(m, thread.name, i + 1, st);
        result = r.result;
        if (r.ended) ended = r.ended;
      }
      const expected = expectedOf(st);
      steps.push({ thread: thread.name, step: i + 1, op: st.op, args: describeArgs(st), result, expected, met: met(expected, result) });
    });
  }

  const outcome: Outcome = ended ? ended.status : "completed";
  const expectations = runExpectations(scenario, outcome, m.hazards.map((h) => h.kind));
  const judged = [...steps.map((s) => s.met), ...expectations.map((e) => e.met)].filter((x): x is boolean => x !== null);
  return {
    scenario: { name: scenario.name, ...(scenario.description !== undefined ? { description: scenario.description } : {}) },
    machine: { cpus: mc.cpus, strategy: strategyName, page_size: P, frames: mc.frames, aspace_lock: mc.aspace_lock },
    outcome,
    steps,
    events: m.events,
    stateKeys: m.strategy.keys,
    hazards: m.hazards,
    unfired: m.triggers.unfired().map((i) => unfiredEvent(scenario, i, steps)),
    expectations,
    summary: {
      events: m.events.length,
      faults: m.faults,
      resolved: m.resolved,
      expectations: { met: judged.filter((x) => x).length, failed: judged.filter((x) => !x).length },
    },
    memory: { start: memoryAtStart, end: snapshotOf(aspace) },
  };
}

function runStep(m: Machine, thread: string, step: number, st: NestedStepSpec): { result: StepResult; ended?: RunEnd } {
  m.thread = thread;
  m.step = step;
  m.pageChecks = 0;
  m.faultsInStep = 0;
  m.depth = 0;
  m.irq = 0;
  let result: StepResult;
  let ended: RunEnd | undefined;
  try {
    m.emit({ kind: "step-start", op: st.op, args: describeArgs(st) });
    m.triggers.fire(m, "before-step");
    result = runOp(m, st);
    m.triggers.fire(m, "after-step");
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


function unfiredEvent(s: Scenario, i: number, steps: readonly StepRecord[]): Unfired {
  const e = s.events[i];
  const thread = e?.when.thread ?? s.threads[0]?.name ?? "main";
  const step = Number(e?.when.step ?? 0n);
  const at = e?.when.at ?? "before-step";
  const count = e?.when.nth !== undefined ? ` nth ${e.when.nth}` : e?.when.index !== undefined ? ` index ${e.when.index}` : "";
  const record = steps.find((r) => r.thread === thread && r.step === step);
  const st = s.threads.find((t) => t.name === thread)?.steps[step - 1];
  const never = st && neverReached(st, at);
  let why: string;
  if (!record || record.result.status === "not-run") why = "the run ended before this step";
  else if (never !== undefined) why = never;
  else why = `the step never got there (a check failed first, the run ended, or there were fewer page checks, faults or elements)`;
  return { event: i, when: `${thread}#${step} at ${at}${count}`, why };
}

function runExpectations(s: Scenario, outcome: Outcome, hazards: readonly string[]): RunExpectation[] {
  const out: RunExpectation[] = [];
  if (s.expect?.outcome !== undefined) out.push({ what: `outcome ${s.expect.outcome}`, met: outcome === s.expect.outcome });
  for (const h of s.expect?.hazards ?? []) out.push({ what: `hazard ${h}`, met: hazards.includes(h) });
  return out;
}

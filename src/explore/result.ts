// What an exploration finds (explore.md sections 4 and 5), whichever engine
// found it: the result's types, the classes collected, the refusal.
import type { Scenario } from "../scenario/validate.js";
import type { Outcome } from "../sim/events.js";
import type { StrategyName } from "../sim/simulate.js";
import type { HazardKind } from "../scenario/schema.js";
import type { KernelName } from "../scenario/kernels.js";
import { tokenOf, type Pair } from "./schedule.js";
import type { summarize, ClassStep } from "./signature.js";

export interface Shard {
  index: number;
  count: number;
}

export interface ExploreOptions {
  depth: number;
  strategy: StrategyName;
  shard?: Shard;
  /** Refuse (before running the schedules of the full depth) an exploration of more schedules than this. */
  maxSchedules?: number;
  /** Told how far the exploration is (schedules run, of how many), now and then. */
  progress?: (done: number, total: number) => void;
  /** Runs the schedules of the full depth on other threads, when it chooses to. */
  parallel?: Parallel;
  /** Told at each distinct state the exploration works out, how many so far and the schedules they cover (throw from it to stop). */
  onStates?: (states: number, schedules: number) => void;
  /**
   * Told before each run with the schedules covered so far (the reference engine; the other tells onStates).
   * A caller stops the exploration by throwing from it or from the other callbacks: the error comes out of explore.
   */
  tick?: (schedules: number) => void;
  /** Told of each schedule counted, with its index and token, in order (without `parallel`; the reference engine only). */
  onSchedule?: (index: number, token: string) => void;
}

export interface ExploreClass {
  key: string;
  outcome: Outcome;
  steps: ClassStep[];
  hazards: HazardKind[];
  count: number;
  witness: string;
  witnessIndex: number;
  violates: boolean;
}

export interface ExploreResult {
  scenario: string;
  machine: { cpus: number; strategy: StrategyName; page_size: bigint; kernel?: KernelName };
  depth: number;
  shard: Shard | null;
  /** Schedules counted (those of the shard, when sharded). */
  schedules: number;
  classes: ExploreClass[];
  /** Schedules (not classes) that violate. */
  violations: number;
  /** Distinct machine states the exploration worked out (explore.md section 5's `states`); absent from the reference engine. */
  states?: number;
}

/** Thrown before the full-depth schedules run when there would be more than `maxSchedules`. */
export class TooManySchedules extends Error {
  constructor(
    readonly count: number,
    readonly exact: boolean,
    readonly max: number,
  ) {
    super(`the exploration would run ${exact ? "" : "more than "}${count} schedules (the limit is ${max})`);
  }

  /** How `count` is to be read: "" (exact) or "more than " (a lower bound). */
  get qualifier(): string {
    return this.exact ? "" : "more than ";
  }
}

export const DEFAULT_MAX_SCHEDULES = 2_000_000;

/** A schedule to extend: its pairs and `p`, the position of its last pair's occurrence in its run (-1: the start). */
export interface Node {
  pairs: Pair[];
  p: number;
}

/** Collects classes: counts per signature, the lowest-index witness. */
export class Classes {
  private readonly byKey = new Map<string, ExploreClass>();
  schedules = 0;

  constructor(
    private readonly s: Scenario,
    private readonly never: ReadonlySet<string>,
    private readonly hazardsForbidden: boolean,
    private readonly visit?: (index: number, token: string) => void,
  ) {}

  add(summary: ReturnType<typeof summarize>, pairs: readonly Pair[], index: number): void {
    this.schedules++;
    this.visit?.(index, tokenOf(this.s, pairs));
    const known = this.byKey.get(summary.key);
    if (known) {
      known.count++;
      if (index < known.witnessIndex) Object.assign(known, { witness: tokenOf(this.s, pairs), witnessIndex: index, steps: summary.steps() });
      return;
    }
    const violates = this.never.has(summary.outcome) || (this.hazardsForbidden && summary.hazards.length > 0);
    const { key, outcome, hazards } = summary;
    this.byKey.set(key, { key, outcome, steps: summary.steps(), hazards, count: 1, witness: tokenOf(this.s, pairs), witnessIndex: index, violates });
  }

  /** Adds classes collected elsewhere (another worker's share). */
  merge(other: readonly ExploreClass[], schedules: number): void {
    this.schedules += schedules;
    for (const c of other) {
      const known = this.byKey.get(c.key);
      if (!known) this.byKey.set(c.key, { ...c });
      else {
        known.count += c.count;
        if (c.witnessIndex < known.witnessIndex) Object.assign(known, { witness: c.witness, witnessIndex: c.witnessIndex, steps: c.steps });
      }
    }
  }

  list(): ExploreClass[] {
    return [...this.byKey.values()].sort((a, b) => a.witnessIndex - b.witnessIndex);
  }
}

export function exploreSettings(s: Scenario): { never: Set<string>; hazardsForbidden: boolean } {
  return { never: new Set(s.explore?.never ?? []), hazardsForbidden: s.explore?.hazards === "forbidden" };
}

/** The schedules of the full depth: the parents (schedules one shorter), how many children each has, the index of the first. */
export interface FullDepthWork {
  parents: Node[];
  counts: number[];
  offset: number;
  shard: Shard | null;
}

/** What one share of the full-depth work found. */
export interface Share {
  classes: ExploreClass[];
  schedules: number;
}

/**
 * Runs the full-depth work elsewhere (worker threads) and returns each
 * share's classes, or undefined to have it run here. Results are merged by
 * lowest witness index, so the output is the same either way.
 */
export type Parallel = (s: Scenario, strategy: StrategyName, work: FullDepthWork, progress: (done: number) => void) => Share[] | undefined;

export function result(s: Scenario, opts: ExploreOptions, depth: number, shard: Shard | null, classes: Classes): ExploreResult {
  const list = classes.list();
  return {
    scenario: s.name,
    machine: { cpus: s.machine.cpus, strategy: opts.strategy, page_size: s.machine.page_size, ...(s.machine.kernel !== undefined ? { kernel: s.machine.kernel } : {}) },
    depth,
    shard,
    schedules: classes.schedules,
    classes: list,
    violations: list.filter((c) => c.violates).reduce((n, c) => n + c.count, 0),
  };
}


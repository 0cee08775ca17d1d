// `explore --format json`: explore.md section 5, one document per strategy.
import type { ExploreResult } from "../explore/explore.js";
import { num, resultJson, type Json } from "./json.js";

export function exploreJson(r: ExploreResult, file: string): { [k: string]: Json } {
  return {
    format: "axptr-sim-explore/1",
    scenario: { name: r.scenario, file },
    machine: { cpus: r.machine.cpus, strategy: r.machine.strategy, page_size: num(r.machine.page_size), ...(r.machine.kernel !== undefined ? { kernel: r.machine.kernel } : {}) },
    depth: r.depth,
    shard: r.shard === null ? null : { index: r.shard.index, count: r.shard.count },
    schedules: r.schedules,
    classes: r.classes.map((c) => ({
      outcome: c.outcome,
      steps: c.steps.map((s) => ({ thread: s.thread, step: s.step, op: s.op, result: resultJson(s.result) })),
      hazards: c.hazards,
      count: c.count,
      witness: c.witness,
      witness_index: c.witnessIndex,
      violates: c.violates,
    })),
    violations: r.violations,
  };
}

/** One document (an array of them for several strategies), pretty-printed, ending in a newline. */
export function renderExploreJson(docs: readonly { [k: string]: Json }[], single: boolean): string {
  return `${JSON.stringify(single ? (docs[0] ?? null) : docs, null, 2)}\n`;
}

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
    ...(r.states !== undefined ? { states: r.states } : {}),
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

/**
 * A shard's document with its fingerprint, right after `shard` (the CLI
 * hashes the file it read). Apart from exploreJson, whose signature is the
 * library's: its documents, and every whole exploration's, stay as they were.
 */
export function withFingerprint(doc: { [k: string]: Json }, fingerprint: string): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(doc)) {
    out[k] = v;
    if (k === "shard") out.fingerprint = fingerprint;
  }
  return out;
}

// `explore --merge`: shards' JSON documents into the whole result
// (explore.md section 5): counts and violations added per signature, the
// lowest witness_index kept, classes ordered by it.
import type { Json } from "../render/json.js";
import { ExploreDocument } from "../render/trace-schema.js";

/** The most shards one exploration may be split into (explore --shard I/N): each is a job, and a merge reads every one. */
export const MAX_SHARDS = 10_000;

type Obj = { [k: string]: Json };

export class MergeError extends Error {}

function isObj(v: Json | undefined): v is Obj {
  return v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v);
}

/** A class's signature as the JSON shows it: outcome, each step's status with value or errno, hazards. */
function classKey(c: Obj): string {
  const steps = Array.isArray(c.steps) ? c.steps : [];
  const results = steps.map((s) => {
    const r = isObj(s) && isObj(s.result) ? s.result : {};
    return JSON.stringify([r.status ?? null, "value" in r ? (r.value ?? null) : "-", r.errno ?? null]);
  });
  return JSON.stringify([c.outcome ?? null, results, c.hazards ?? []]);
}

function describeDoc(d: Obj): string {
  const m = isObj(d.machine) ? d.machine : {};
  return JSON.stringify([isObj(d.scenario) ? d.scenario.name : null, m.cpus ?? null, m.strategy ?? null, m.page_size ?? null, m.kernel ?? null, d.depth ?? null]);
}

/** A zod issue's path as a key: `classes[0].count`. */
function keyOf(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i === 0 ? "" : "."}${String(k)}`)).join("") || "(document)";
}

/**
 * Checks one document against the explore document's schema (the one
 * `schema --explore` prints), and that it is a shard; says what is wrong,
 * naming the key. A shard that is not exactly what explore writes (a count
 * of -1, a string, 1e308, a class that is not an object) is refused, never merged.
 */
function checkDoc(d: Json, where: string): Obj {
  if (!isObj(d) || d.format !== "axptr-sim-explore/1") throw new MergeError(`${where}: not an explore document (expected "format": "axptr-sim-explore/1")`);
  const checked = ExploreDocument.safeParse(d);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new MergeError(`${where}: ${keyOf(issue?.path ?? [])}: ${issue?.message ?? "invalid"} (not a document explore --format json writes)`);
  }
  if (!isObj(d.shard)) throw new MergeError(`${where}: not a shard (its "shard" is ${JSON.stringify(d.shard ?? null)}; run explore with --shard I/N)`);
  const { index, count } = d.shard;
  if (typeof index !== "number" || typeof count !== "number" || index > count || count > MAX_SHARDS)
    throw new MergeError(`${where}: shard: ${JSON.stringify(d.shard)} is not a shard I/N with 1 ≤ I ≤ N ≤ ${MAX_SHARDS}`);
  return d;
}

/**
 * Shards' fingerprints (docs/races.md): equal, or none at all (documents from
 * before fingerprints, merged on the checks above alone). Checked after those,
 * so a set they refuse keeps its more specific message: what is left to differ
 * is the file's bytes, which no other key shows.
 */
function checkFingerprints(checked: readonly { d: Obj; where: string }[]): void {
  const first = checked[0];
  if (!first) return;
  for (const { d, where } of checked) {
    if (d.fingerprint === first.d.fingerprint) continue;
    if (d.fingerprint === undefined || first.d.fingerprint === undefined) {
      const [without, other] = d.fingerprint === undefined ? [where, first.where] : [first.where, where];
      throw new MergeError(
        `${without} has no fingerprint and ${other} has one: ${without} was written by an axptr-sim from before shard fingerprints (or edited), and cannot be shown to come from the same file; explore every shard with one version of axptr-sim`,
      );
    }
    throw new MergeError(
      `${where} was explored from another version of the scenario file than ${first.where} (fingerprints differ where scenario, machine, depth and N agree: the file changed between the shard jobs); explore every shard from one version of the file`,
    );
  }
}

/** Merges the shards of one exploration (one strategy). `where` names each document for messages. */
export function mergeShards(docs: readonly { doc: Json; where: string }[]): Obj {
  const checked = docs.map(({ doc, where }) => ({ d: checkDoc(doc, where), where }));
  const first = checked[0];
  if (!first) throw new MergeError("nothing to merge");
  const id = describeDoc(first.d);
  const count = (first.d.shard as Obj).count as number;
  const seen = new Map<number, string>();
  for (const { d, where } of checked) {
    if (describeDoc(d) !== id)
      throw new MergeError(`${where} is a shard of another exploration than ${first.where} (scenario, machine, strategy or depth differ)`);
    const s = d.shard as Obj;
    if (s.count !== count) throw new MergeError(`${where} is shard ${s.index}/${s.count}, ${first.where} is one of ${count}: shards of one exploration share N`);
    const index = s.index as number;
    const prev = seen.get(index);
    if (prev !== undefined) throw new MergeError(`${where} and ${prev} are both shard ${index}/${count}`);
    seen.set(index, where);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new MergeError(`shard${missing.length === 1 ? "" : "s"} ${missing.map((i) => `${i}/${count}`).join(", ")} missing: merging needs all ${count}`);
  checkFingerprints(checked);

  const classes = new Map<string, Obj>();
  let schedules = 0;
  for (const { d } of checked) {
    schedules += d.schedules as number;
    for (const c of d.classes as Json[]) {
      if (!isObj(c)) continue;
      const key = classKey(c);
      const known = classes.get(key);
      if (!known) classes.set(key, { ...c });
      else {
        known.count = (known.count as number) + (c.count as number);
        if ((c.witness_index as number) < (known.witness_index as number)) Object.assign(known, { steps: c.steps, witness: c.witness, witness_index: c.witness_index });
      }
    }
  }
  const list = [...classes.values()].sort((a, b) => (a.witness_index as number) - (b.witness_index as number));
  const violations = list.filter((c) => c.violates === true).reduce((n, c) => n + (c.count as number), 0);
  const out: Obj = { ...first.d, shard: null, schedules, classes: list, violations };
  // The whole result is what one unsharded exploration prints, byte for byte; N, in the fingerprint, was how the work was split.
  delete out.fingerprint;
  // Every shard works out the whole exploration's states (it only counts fewer schedules): the merged one took as many.
  if (checked.every(({ d }) => typeof d.states === "number")) out.states = Math.max(...checked.map(({ d }) => d.states as number));
  else delete out.states;
  return out;
}

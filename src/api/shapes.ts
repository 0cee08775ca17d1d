// The library's own objects passed back to it: traces, exploration results,
// schedules, occurrences, race events. One the library made is trusted (a
// brand); any other is checked for the shape the renderers and runs read.
import { ALL_STRATEGIES, HAZARDS, OUTCOMES, TRIGGERS } from "../scenario/schema.js";
import type { Scenario } from "../scenario/validate.js";
import type { ExploreResult } from "../explore/result.js";
import { hasCount, type Occurrence } from "../explore/occurrence.js";
import type { Pair } from "../explore/schedule.js";
import { EVENT_KINDS, type Trace } from "../sim/events.js";
import type { RaceEvent } from "../sim/injector.js";
import { MAX_SHARDS } from "../explore/merge.js";
import type { Args } from "./args.js";
import { checkEventSpec } from "./scenario-check.js";

const made = new WeakSet<object>();

/** Marks what simulate, witnessTrace, explore and raceEvents returned: passed back, it is not checked again. */
export function brand<T extends object>(value: T): T {
  made.add(value);
  return value;
}

function isMade(value: unknown): boolean {
  return typeof value === "object" && value !== null && made.has(value);
}

const U64_MAX = (1n << 64n) - 1n;
const TRACE = "a Trace (as simulate returns it)";

/** A trace: what simulate returns, or an object of its shape (the keys every renderer reads). */
export function checkTrace(a: Args, argument: string, value: unknown): Trace {
  if (isMade(value)) return value as Trace;
  const t = a.object(argument, value, TRACE);
  a.string(`${argument}.scenario.name`, a.object(`${argument}.scenario`, t.scenario).name);
  const m = a.object(`${argument}.machine`, t.machine);
  a.integer(`${argument}.machine.cpus`, m.cpus, 1, 64);
  a.string(`${argument}.machine.strategy`, m.strategy);
  if (typeof m.page_size !== "bigint") a.fail(`${argument}.machine.page_size`, "a bigint", m.page_size);
  a.oneOf(`${argument}.outcome`, t.outcome, OUTCOMES);
  a.array(`${argument}.steps`, t.steps).forEach((s, i) => {
    const step = a.object(`${argument}.steps[${i}]`, s);
    a.string(`${argument}.steps[${i}].thread`, step.thread);
    a.object(`${argument}.steps[${i}].result`, step.result);
  });
  a.array(`${argument}.events`, t.events).forEach((e, i) => a.oneOf(`${argument}.events[${i}].kind`, a.object(`${argument}.events[${i}]`, e).kind, EVENT_KINDS));
  a.array(`${argument}.stateKeys`, t.stateKeys).forEach((k, i) => a.string(`${argument}.stateKeys[${i}]`, k));
  for (const key of ["hazards", "unfired", "expectations"] as const) a.array(`${argument}.${key}`, t[key]).forEach((h, i) => a.object(`${argument}.${key}[${i}]`, h));
  const summary = a.object(`${argument}.summary`, t.summary);
  for (const key of ["events", "faults", "resolved"] as const) a.integer(`${argument}.summary.${key}`, summary[key], 0, Number.MAX_SAFE_INTEGER);
  const ex = a.object(`${argument}.summary.expectations`, summary.expectations);
  for (const key of ["met", "failed"] as const) a.integer(`${argument}.summary.expectations.${key}`, ex[key], 0, Number.MAX_SAFE_INTEGER);
  return value as Trace;
}

const RESULT = "an ExploreResult (as explore returns it)";

/** An exploration's result: what explore returns, or an object of its shape. */
export function checkExploreResult(a: Args, argument: string, value: unknown): ExploreResult {
  if (isMade(value)) return value as ExploreResult;
  const r = a.object(argument, value, RESULT);
  a.string(`${argument}.scenario`, r.scenario);
  const m = a.object(`${argument}.machine`, r.machine);
  a.integer(`${argument}.machine.cpus`, m.cpus, 1, 64);
  a.oneOf(`${argument}.machine.strategy`, m.strategy, ALL_STRATEGIES);
  if (typeof m.page_size !== "bigint") a.fail(`${argument}.machine.page_size`, "a bigint", m.page_size);
  a.integer(`${argument}.depth`, r.depth, 1, 3);
  if (r.shard !== null) checkShard(a, `${argument}.shard`, r.shard, "null or");
  const count = (key: string, v: unknown) => a.integer(key, v, 0, Number.MAX_SAFE_INTEGER);
  count(`${argument}.schedules`, r.schedules);
  count(`${argument}.violations`, r.violations);
  a.array(`${argument}.classes`, r.classes).forEach((c, i) => {
    const at = `${argument}.classes[${i}]`;
    const cl = a.object(at, c);
    a.string(`${at}.key`, cl.key);
    a.oneOf(`${at}.outcome`, cl.outcome, OUTCOMES);
    a.array(`${at}.steps`, cl.steps).forEach((s, j) => a.object(`${at}.steps[${j}].result`, a.object(`${at}.steps[${j}]`, s).result));
    a.array(`${at}.hazards`, cl.hazards).forEach((h, j) => a.oneOf(`${at}.hazards[${j}]`, h, HAZARDS));
    count(`${at}.count`, cl.count);
    a.string(`${at}.witness`, cl.witness);
    count(`${at}.witnessIndex`, cl.witnessIndex);
    a.boolean(`${at}.violates`, cl.violates);
  });
  return value as ExploreResult;
}

/** `{ index, count }` with 1 ≤ index ≤ count ≤ MAX_SHARDS (`0/0` and `3/2` are none). */
export function checkShard(a: Args, argument: string, value: unknown, or = ""): { index: number; count: number } {
  const what = `${or ? `${or} ` : ""}{ index, count } with 1 ≤ index ≤ count ≤ ${MAX_SHARDS}`;
  const s = a.options(argument, value, ["index", "count"], what);
  const count = a.integer(`${argument}.count`, s.count, 1, MAX_SHARDS);
  const index = a.integer(`${argument}.index`, s.index, 1, count, `an integer from 1 to ${argument}.count (${count})`);
  return { index, count };
}

const OCCURRENCE = "an Occurrence { thread, step, at, k? }";

/** An occurrence: `k` exactly for the points that count (a bigint from 0 to 2^64-1). */
export function checkOccurrence(a: Args, argument: string, value: unknown): Occurrence {
  const o = a.options(argument, value, ["thread", "step", "at", "k", "closed"], OCCURRENCE);
  a.string(`${argument}.thread`, o.thread);
  a.integer(`${argument}.step`, o.step, 1, Number.MAX_SAFE_INTEGER);
  const at = a.oneOf(`${argument}.at`, o.at, TRIGGERS);
  if (hasCount(at)) {
    if (typeof o.k !== "bigint" || o.k < 0n || o.k > U64_MAX) a.fail(`${argument}.k`, `a bigint from 0n to 2^64-1 (${at} counts its occurrences)`, o.k);
  } else if (o.k !== undefined) a.fail(`${argument}.k`, `undefined (${at} has no count)`, o.k);
  if (o.closed !== undefined) a.object(`${argument}.closed`, o.closed);
  return value as Occurrence;
}

/** A schedule of the scenario's races: each pair a race's index in `races` and an occurrence. */
export function checkSchedule(a: Args, argument: string, value: unknown, s: Scenario): readonly Pair[] {
  a.array(argument, value, "an array of pairs { race, occ }").forEach((p, i) => {
    const pair = a.options(`${argument}[${i}]`, p, ["race", "occ"], "a pair { race, occ }");
    a.integer(`${argument}[${i}].race`, pair.race, 0, s.races.length - 1, s.races.length === 0 ? "the index of a race (the scenario has none)" : `the index of one of the scenario's races, 0 to ${s.races.length - 1}`);
    checkOccurrence(a, `${argument}[${i}].occ`, pair.occ);
  });
  return value as readonly Pair[];
}

/** Races to add to a run: raceEvents' output, or events of its shape (each spec one the file's `events` could hold). */
export function checkRaceEvents(a: Args, argument: string, value: unknown): readonly RaceEvent[] {
  if (isMade(value)) return value as readonly RaceEvent[];
  a.array(argument, value, "an array of race events (as raceEvents returns them)").forEach((r, i) => {
    const at = `${argument}[${i}]`;
    const e = a.options(at, r, ["spec", "race", "inert"], "a race event { spec, race, inert? }");
    a.string(`${at}.race`, e.race);
    a.optional(`${at}.inert`, e.inert, (k, v) => a.string(k, v));
    a.object(`${at}.spec`, e.spec, "an injected event { when, do, by?, repeat }");
    checkEventSpec(a.fn, `${at}.spec`, e.spec);
  });
  return value as readonly RaceEvent[];
}

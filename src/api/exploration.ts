// The package root's exploration functions, their arguments checked
// (args.ts); the CLI calls the unchecked ones directly.
import { explore as exploreUnchecked, type ExploreOptions, type ExploreResult } from "../explore/explore.js";
import { mergeShards as mergeShardsUnchecked } from "../explore/merge.js";
import { occurrenceText as occurrenceTextUnchecked, parseOccurrence as parseOccurrenceUnchecked, type Occurrence } from "../explore/occurrence.js";
import { parseToken as parseTokenUnchecked, raceEvents as raceEventsUnchecked, tokenOf as tokenOfUnchecked, type Schedule, type TokenResult } from "../explore/schedule.js";
import type { Json } from "../render/json.js";
import { KERNEL_STRATEGY } from "../scenario/kernels.js";
import { ALL_STRATEGIES } from "../scenario/schema.js";
import type { Scenario } from "../scenario/validate.js";
import type { Trace } from "../sim/events.js";
import type { RaceEvent } from "../sim/injector.js";
import { simulate as simulateUnchecked, type StrategyName } from "../sim/simulate.js";
import { ArgumentError } from "./argument-error.js";
import { Args } from "./args.js";
import { checkScenario } from "./scenario-check.js";
import { brand, checkOccurrence, checkSchedule, checkShard } from "./shapes.js";

const EXPLORE_OPTIONS = ["depth", "strategy", "shard", "maxSchedules", "progress", "parallel", "onStates", "tick", "onSchedule"] as const;

/**
 * Explores a scenario's races (explore.md): every schedule up to
 * `options.depth` (1 to 3) under one strategy, grouped into classes by what
 * came out, as `axptr-sim explore` does. `shard: { index, count }` explores
 * one share; `maxSchedules` (default `DEFAULT_MAX_SCHEDULES`) bounds the work.
 * Under a starry-* kernel `strategy` must be the kernel's own (it fixes it).
 *
 * @throws {ArgumentError} when `scenario` is not one `loadScenario` would
 *   return, or an option is missing, unknown or out of range:
 *   `explore: options.depth must be an integer from 1 to 3, got 0`.
 * @throws {TooManySchedules} past `maxSchedules`, before the longest schedules run.
 */
export function explore(scenario: Scenario, options: ExploreOptions): ExploreResult {
  const a: Args = new Args("explore");
  const s = checkScenario(a.fn, scenario);
  const o = a.options("options", options, EXPLORE_OPTIONS, "an object { depth, strategy, shard?, maxSchedules? }");
  a.integer("options.depth", o.depth, 1, 3);
  const strategy = a.oneOf("options.strategy", o.strategy, ALL_STRATEGIES);
  // As `explore --strategy` beside a starry-* kernel: the kernel fixes the strategy, and the result would name another.
  const fixed = s.machine.kernel === undefined ? undefined : KERNEL_STRATEGY[s.machine.kernel];
  if (fixed !== undefined && strategy !== fixed) a.fail("options.strategy", `${fixed} (the scenario's kernel ${s.machine.kernel} fixes the strategy)`, strategy);
  a.optional("options.shard", o.shard, (k, v) => checkShard(a, k, v));
  a.optional("options.maxSchedules", o.maxSchedules, (k, v) => a.integer(k, v, 1, Number.MAX_SAFE_INTEGER));
  for (const key of ["progress", "parallel", "onStates", "tick", "onSchedule"] as const) a.optional(`options.${key}`, o[key], (k, v) => a.func(k, v));
  return brand(exploreUnchecked(s, options));
}

/**
 * Reads a replay token (`RACE@THREAD#STEP:POINT[k]` joined by `+`) against
 * the scenario's races: `{ ok: true, schedule }`, or `{ ok: false, message }`
 * with the message `run --replay` gives (a `[k]` of more than 20 digits is
 * refused before it is read).
 *
 * @throws {ArgumentError} when `scenario` is not one `loadScenario` would return or `token` is not a string.
 */
export function parseToken(scenario: Scenario, token: string): TokenResult {
  const a: Args = new Args("parseToken");
  const s = checkScenario(a.fn, scenario);
  a.string("token", token);
  return parseTokenUnchecked(s, token);
}

/**
 * A schedule's token, as explore writes witnesses.
 *
 * @throws {ArgumentError} when `scenario` is not one `loadScenario` would
 *   return or `schedule` is not an array of `{ race, occ }` naming its races.
 */
export function tokenOf(scenario: Scenario, schedule: Schedule): string {
  const a: Args = new Args("tokenOf");
  const s = checkScenario(a.fn, scenario);
  checkSchedule(a, "schedule", schedule, s);
  return tokenOfUnchecked(s, schedule);
}

/**
 * The injected events a schedule adds to a run: pass them as
 * `simulate(scenario, { races })`.
 *
 * @throws {ArgumentError} as tokenOf.
 */
export function raceEvents(scenario: Scenario, schedule: Schedule): RaceEvent[] {
  const a: Args = new Args("raceEvents");
  const s = checkScenario(a.fn, scenario);
  checkSchedule(a, "schedule", schedule, s);
  return brand(raceEventsUnchecked(s, schedule));
}

/**
 * Reads one occurrence, `THREAD#STEP:POINT[k]`; undefined when the text is not one.
 *
 * @throws {ArgumentError} when `text` is not a string.
 */
export function parseOccurrence(text: string): Occurrence | undefined {
  new Args("parseOccurrence").string("text", text);
  return parseOccurrenceUnchecked(text);
}

/**
 * An occurrence's written form, `main#1:before-read[5]`.
 *
 * @throws {ArgumentError} when `occurrence` is not `{ thread, step, at, k? }` (`k` a bigint exactly for page-check, page-fault and before-read).
 */
export function occurrenceText(occurrence: Occurrence): string {
  checkOccurrence(new Args("occurrenceText"), "occurrence", occurrence);
  return occurrenceTextUnchecked(occurrence);
}

/**
 * The full trace of the schedule a token names, as `run --replay TOKEN` prints it.
 *
 * @throws {ArgumentError} when `scenario` is not one `loadScenario` would
 *   return, `strategy` is not a strategy, or `token` is not a schedule of its races.
 */
export function witnessTrace(scenario: Scenario, token: string, strategy: StrategyName): Trace {
  const a: Args = new Args("witnessTrace");
  const s = checkScenario(a.fn, scenario);
  a.string("token", token);
  a.oneOf("strategy", strategy, ALL_STRATEGIES);
  const r = parseTokenUnchecked(s, token);
  if (!r.ok) throw new ArgumentError(a.fn, "token", "a token of the scenario's races", `witnessTrace: token: ${r.message}`);
  return brand(simulateUnchecked(s, { strategy, races: raceEventsUnchecked(s, r.schedule) }));
}

/**
 * Merges the JSON documents of an exploration's shards (`exploreJson` of
 * each, or `explore --format json --shard I/N` parsed) into the whole
 * result, as `explore --merge` does; `where` names a document in messages.
 *
 * @throws {ArgumentError} when `docs` is not an array of `{ doc, where }`.
 * @throws {MergeError} when the documents are not the shards of one exploration.
 */
export function mergeShards(docs: readonly { doc: Json; where: string }[]): { [k: string]: Json } {
  const a: Args = new Args("mergeShards");
  a.array("docs", docs, "an array of { doc, where }").forEach((d, i) => {
    const o = a.options(`docs[${i}]`, d, ["doc", "where"], "an object { doc, where }");
    a.string(`docs[${i}].where`, o.where);
  });
  return mergeShardsUnchecked(docs);
}

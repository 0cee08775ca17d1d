// A class's witness run in full (events kept), as `run --replay TOKEN` runs it:
// the file's own events, then the races its token places.
import type { Scenario } from "../scenario/validate.js";
import type { Trace } from "../sim/events.js";
import { simulate, type StrategyName } from "../sim/simulate.js";
import { parseToken, raceEvents } from "./schedule.js";

/** The trace of the schedule `token` names (a witness explore wrote, so it parses; a bad one throws). */
export function witnessTrace(s: Scenario, token: string, strategy: StrategyName): Trace {
  const r = parseToken(s, token);
  if (!r.ok) throw new Error(`witness '${token}': ${r.message}`);
  return simulate(s, { strategy, races: raceEvents(s, r.schedule) });
}

// run and compare run a file with races as if none fires (explore.md section 1);
// they say so, on every format, with the command that explores them (issue 21, point 1).
import { shellWord } from "../render/explore-text.js";
import type { Json } from "../render/json.js";
import type { Scenario } from "../scenario/validate.js";
import { invocation, pathFromHere } from "./invocation.js";

export interface Unexplored {
  /** The line for standard error (text formats): standard output, and so every golden, stays as it was. */
  line: string;
  /** The field a JSON document ends with, `unexplored_races`; present only for a file with races. */
  json: { unexplored_races: Json };
}

/** What to say about a file's races that `command` (run, compare) did not explore; nothing for a file without races. */
export function unexploredRaces(file: string, scenario: Scenario, command: "run" | "compare"): Unexplored | undefined {
  const names = scenario.races.map((r) => r.name);
  if (names.length === 0) return undefined;
  const explore = `${invocation()} explore ${shellWord(pathFromHere(file))}`;
  const n = names.length === 1 ? "1 race" : `${names.length} races`;
  return {
    line: `axptr-sim: ${file} has ${n} (${names.join(", ")}) that ${command} does not explore: it ran as if none fires; to run every way ${names.length === 1 ? "it" : "they"} can fire: ${explore}`,
    json: { unexplored_races: { count: names.length, names, explore } },
  };
}

// run and compare run a file with races as if none fires (explore.md section 1);
// they say so, on every format, with the command that explores them (issue 21, point 1).
import { shellWord } from "../render/explore-text.js";
import type { Json } from "../render/json.js";
import { printable as p } from "../scenario/printable.js";
import type { Scenario } from "../scenario/validate.js";
import { invocation, pathFromHere } from "./invocation.js";

export interface Unexplored {
  /** The line for standard error (text formats): standard output, and so every golden, stays as it was. */
  line: string;
  /** The field a JSON document ends with, `unexplored_races`; present only for a file with races. */
  json: { unexplored_races: Json };
}

/**
 * What to say about a file's races that `command` (run, compare) did not explore; nothing for a file without races.
 * `kernelArg`: the --kernel the command was given (a name, or all), which the exploration repeats.
 */
export function unexploredRaces(file: string, scenario: Scenario, command: "run" | "compare", kernelArg?: string): Unexplored | undefined {
  const names = scenario.races.map((r) => r.name);
  if (names.length === 0) return undefined;
  const explore = `${invocation()} explore ${shellWord(pathFromHere(file))}${kernelArg !== undefined ? ` --kernel ${kernelArg}` : ""}`;
  const n = names.length === 1 ? "1 race" : `${names.length} races`;
  return {
    // Names reach a terminal or a log: printable, as every other name (the JSON document escapes its own).
    line: p(`axptr-sim: ${file} has ${n} (${names.join(", ")}) that ${command} does not explore: it ran as if none fires; to run every way ${names.length === 1 ? "it" : "they"} can fire: ${explore}`),
    json: { unexplored_races: { count: names.length, names, explore } },
  };
}

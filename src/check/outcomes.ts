// Outcome-set goldens (explore.md section 7): `foo.outcomes` beside
// `foo.yaml` for a scenario with races, the plain-text explore output.
import { basename } from "node:path";
import { explore, type ExploreOptions, type ExploreResult } from "../explore/explore.js";
import { exploreTextBlock, replayCommand, violationReasons } from "../render/explore-text.js";
import type { Scenario } from "../scenario/validate.js";

export function outcomesPath(scenarioPath: string): string {
  return scenarioPath.replace(/\.ya?ml$/i, ".outcomes");
}

/** The exploration with the file's own settings (depth, strategy), under the caller's bounds (`bounds`: its limit and callbacks). */
export function exploreForGolden(s: Scenario, bounds: Pick<ExploreOptions, "maxSchedules" | "onStates" | "progress" | "tick"> = {}): ExploreResult {
  return explore(s, { ...bounds, depth: s.explore?.depth ?? 1, strategy: s.machine.strategy });
}

/** The golden text: no colour, the file named without its folder. */
export function outcomesText(r: ExploreResult, s: Scenario, scenarioPath: string): string {
  return exploreTextBlock(r, {
    color: false,
    file: basename(scenarioPath),
    never: s.explore?.never ?? [],
    hazardsForbidden: s.explore?.hazards === "forbidden",
  });
}

/** A violating class, as check reports it (plain data: it is made in a worker thread). */
export interface Violation {
  /** The class's number in the text, from 1. */
  index: number;
  count: number;
  outcome: string;
  hazards: readonly string[];
  /** Which settings it violates: `never: panic`, `hazards: forbidden`. */
  why: string;
  witness: string;
}

/** Each violating class, with the settings it violates and its witness. */
export function violations(r: ExploreResult, s: Scenario): Violation[] {
  const never = s.explore?.never ?? [];
  const forbidden = s.explore?.hazards === "forbidden";
  return r.classes.flatMap((c, i) =>
    c.violates ? [{ index: i + 1, count: c.count, outcome: c.outcome, hazards: c.hazards, why: violationReasons(c, never, forbidden), witness: c.witness }] : [],
  );
}

/** A violation as a failed expectation, in words, with the command (`command`: the tool as the user started it) that replays its witness. */
export function violationText(v: Violation, scenarioPath: string, command: string): string {
  const hazards = v.hazards.length > 0 ? `, hazards ${v.hazards.join(", ")}` : "";
  return `explore: class ${v.index} (${v.count} schedule${v.count === 1 ? "" : "s"}, outcome ${v.outcome}${hazards}) violates ${v.why}; replay its witness: ${replayCommand(scenarioPath, v.witness, undefined, undefined, command)}`;
}

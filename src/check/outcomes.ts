// Outcome-set goldens (explore.md section 7): `foo.outcomes` beside
// `foo.yaml` for a scenario with races, the plain-text explore output.
import { basename } from "node:path";
import { explore, type ExploreResult } from "../explore/explore.js";
import { exploreTextBlock, replayCommand } from "../render/explore-text.js";
import type { Scenario } from "../scenario/validate.js";

export function outcomesPath(scenarioPath: string): string {
  return scenarioPath.replace(/\.ya?ml$/, ".outcomes");
}

/** The exploration with the file's own settings (depth, strategy). */
export function exploreForGolden(s: Scenario): ExploreResult {
  return explore(s, { depth: s.explore?.depth ?? 1, strategy: s.machine.strategy });
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

/** Each violating class as a failed expectation, in words, with the command that shows it. */
export function violations(r: ExploreResult, scenarioPath: string): string[] {
  return r.classes.flatMap((c, i) =>
    c.violates
      ? [`explore: class ${i + 1} (${c.count} schedule${c.count === 1 ? "" : "s"}, outcome ${c.outcome}${c.hazards.length > 0 ? `, hazards ${c.hazards.join(", ")}` : ""}) violates explore settings; see it with ${replayCommand(scenarioPath, c.witness)}`]
      : [],
  );
}

// Speed work on explore must not change what it finds: 50 random scenarios
// with races (test/explore/equivalence-gen.ts), each explored at its own
// depth and strategy; schedules, classes and a hash of the whole JSON
// output must match those recorded (test/fixtures/explore-equivalence.json)
// by the build before the exploration was made faster. The hash leaves out
// `states`, the one figure of the method (explore.md section 5), which the
// recorded build did not have.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { explore } from "../../src/explore/explore.js";
import { exploreJson, renderExploreJson } from "../../src/render/explore-json.js";
import { load } from "../sim/helpers.js";
import { randomScenario } from "./equivalence-gen.js";

const recorded = JSON.parse(readFileSync(new URL("../fixtures/explore-equivalence.json", import.meta.url), "utf8")) as Record<string, string>;

it("explores 50 random race scenarios exactly as recorded", () => {
  const now: Record<string, string> = {};
  for (let seed = 1; seed <= 50; seed++) {
    const s = load(randomScenario(seed));
    const { states: _, ...r } = explore(s, { depth: s.explore?.depth ?? 1, strategy: s.machine.strategy });
    const json = renderExploreJson([exploreJson(r, "x.yaml")], true);
    now[seed] = `${r.schedules} ${r.classes.length} ${createHash("sha256").update(json).digest("hex").slice(0, 16)}`;
  }
  expect(now).toEqual(recorded);
});

// The checked functions of the package root have exactly the types of the
// internals they wrap (the package's .d.ts is public API: tsc fails here if
// one drifts), and are what the root exports; the CLI never goes through them.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as root from "../../src/index.js";
import * as explore from "../../src/explore/explore.js";
import * as merge from "../../src/explore/merge.js";
import * as occurrence from "../../src/explore/occurrence.js";
import * as schedule from "../../src/explore/schedule.js";
import * as witness from "../../src/explore/witness.js";
import * as compare from "../../src/render/compare.js";
import * as exploreJson from "../../src/render/explore-json.js";
import * as exploreText from "../../src/render/explore-text.js";
import * as json from "../../src/render/json.js";
import * as mermaid from "../../src/render/mermaid/index.js";
import * as ndjson from "../../src/render/ndjson.js";
import * as report from "../../src/render/report/index.js";
import * as text from "../../src/render/text.js";
import * as problems from "../../src/scenario/problems.js";
import * as validate from "../../src/scenario/validate.js";
import * as kernels from "../../src/sim/kernels/index.js";
import * as sim from "../../src/sim/simulate.js";

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

const WRAPPED = {
  loadScenario: validate.loadScenario,
  formatProblem: problems.formatProblem,
  kernelProfile: kernels.kernelProfile,
  simulate: sim.simulate,
  explore: explore.explore,
  parseToken: schedule.parseToken,
  tokenOf: schedule.tokenOf,
  raceEvents: schedule.raceEvents,
  parseOccurrence: occurrence.parseOccurrence,
  occurrenceText: occurrence.occurrenceText,
  witnessTrace: witness.witnessTrace,
  mergeShards: merge.mergeShards,
  renderText: text.renderText,
  renderJson: json.renderJson,
  traceJson: json.traceJson,
  eventJson: json.eventJson,
  renderNdjson: ndjson.renderNdjson,
  renderCompareText: compare.renderCompareText,
  renderCompareJson: compare.renderCompareJson,
  renderMermaid: mermaid.renderMermaid,
  renderMermaidAll: mermaid.renderMermaidAll,
  renderReport: report.renderReport,
  exploreJson: exploreJson.exploreJson,
  renderExploreJson: exploreJson.renderExploreJson,
  exploreTextBlock: exploreText.exploreTextBlock,
  exploreTextAll: exploreText.exploreTextAll,
  replayCommand: exploreText.replayCommand,
} as const;

type Wrapped = typeof WRAPPED;
// A compile error here names a checked function whose type is not its internal's.
const sameTypes: { [K in keyof Wrapped]: Same<(typeof root)[K], Wrapped[K]> } = {
  loadScenario: true,
  formatProblem: true,
  kernelProfile: true,
  simulate: true,
  explore: true,
  parseToken: true,
  tokenOf: true,
  raceEvents: true,
  parseOccurrence: true,
  occurrenceText: true,
  witnessTrace: true,
  mergeShards: true,
  renderText: true,
  renderJson: true,
  traceJson: true,
  eventJson: true,
  renderNdjson: true,
  renderCompareText: true,
  renderCompareJson: true,
  renderMermaid: true,
  renderMermaidAll: true,
  renderReport: true,
  exploreJson: true,
  renderExploreJson: true,
  exploreTextBlock: true,
  exploreTextAll: true,
  replayCommand: true,
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("the checked functions", () => {
  it.each(Object.keys(WRAPPED) as (keyof Wrapped)[])("the root's %s is the checked one, of the internal's type and arity", (name) => {
    expect(sameTypes[name]).toBe(true);
    expect(typeof root[name]).toBe("function");
    expect(root[name]).not.toBe(WRAPPED[name]);
    expect(root[name].length).toBe(WRAPPED[name].length);
  });

  it("only the package root imports them: the CLI, the simulator and the workers call the internals directly", () => {
    const importers = sources("src").filter((p) => !p.startsWith("src/api/") && /from "(\.\.?\/)+api\//.test(readFileSync(p, "utf8")));
    expect(importers).toEqual(["src/index.ts"]);
  });
});

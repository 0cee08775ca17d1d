// kernels.md section 1: everything is opt-in. A file that names no kernel runs
// exactly as before kernels existed (the recorded corpora of equivalence.test.ts
// and test/explore/equivalence.test.ts pin that against the previous build);
// naming axptr-doc, the default, changes nothing but the `kernel` field.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { explore } from "../../src/explore/explore.js";
import { exploreJson, renderExploreJson } from "../../src/render/explore-json.js";
import { renderJson } from "../../src/render/json.js";
import { renderText } from "../../src/render/text.js";
import { loadScenario, type Scenario } from "../../src/scenario/validate.js";
import { TraceTooLarge } from "../../src/sim/machine.js";
import { simulate } from "../../src/sim/simulate.js";
import { randomScenario } from "../explore/equivalence-gen.js";
import { scenarioArb } from "../helpers/scenario-arb.js";
import { load } from "./helpers.js";

const toYaml = (s: unknown) => stringify(s, (_k, v) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v));
const named = (s: Scenario): Scenario => ({ ...s, machine: { ...s.machine, kernel: "axptr-doc" } });

describe("axptr-doc named is the default unnamed", () => {
  it("random scenarios: the same trace, text and JSON but for the kernel's mention", () => {
    let compared = 0;
    for (const [i, raw] of fc.sample(scenarioArb(), { seed: 18, numRuns: 120 }).entries()) {
      const r = loadScenario(toYaml(raw), `random-${i}`);
      if (!r.ok) continue;
      let plain, doc;
      try {
        plain = simulate(r.scenario);
        doc = simulate(named(r.scenario));
      } catch (e) {
        if (e instanceof TraceTooLarge) continue;
        throw e;
      }
      compared++;
      expect(plain.machine.kernel).toBeUndefined();
      expect(doc.machine.kernel).toBe("axptr-doc");
      expect(doc.events).toEqual(plain.events);
      expect(doc.steps).toEqual(plain.steps);
      expect(doc.unfired).toEqual(plain.unfired);
      const text = renderText(plain, "f.yaml", { color: false });
      expect(renderText(doc, "f.yaml", { color: false })).toBe(text.replace(/^(machine +\d+ CPUs?, )/m, "$1kernel axptr-doc, "));
      const json = JSON.parse(renderJson([{ trace: doc, file: "f.yaml" }], true)) as { machine: Record<string, unknown> };
      expect(json.machine.kernel).toBe("axptr-doc");
      delete json.machine.kernel;
      expect(json).toEqual(JSON.parse(renderJson([{ trace: plain, file: "f.yaml" }], true)));
    }
    expect(compared).toBeGreaterThan(60);
  });

  it("random race scenarios: the same exploration but for the kernel's mention", () => {
    for (let seed = 1; seed <= 15; seed++) {
      const s = load(randomScenario(seed));
      const opts = { depth: s.explore?.depth ?? 1, strategy: s.machine.strategy };
      const plain = JSON.parse(renderExploreJson([exploreJson(explore(s, opts), "x.yaml")], true)) as { machine: Record<string, unknown> };
      const doc = JSON.parse(renderExploreJson([exploreJson(explore(named(s), opts), "x.yaml")], true)) as { machine: Record<string, unknown> };
      expect(doc.machine.kernel).toBe("axptr-doc");
      delete doc.machine.kernel;
      expect(doc).toEqual(plain);
    }
  });
});

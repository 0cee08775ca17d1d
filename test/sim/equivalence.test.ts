// The core's optimisations change no trace: a fixed corpus of random
// scenarios (and every bundled and conformance scenario) renders byte for
// byte as the build before them did, in every format. The corpus and the
// SHA-256 of each output were written by that build (UPDATE_EQUIVALENCE=1
// rewrites them: only when a change of behaviour is intended and reviewed).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { renderJson } from "../../src/render/json.js";
import { renderNdjson } from "../../src/render/ndjson.js";
import { renderText } from "../../src/render/text.js";
import { loadScenario } from "../../src/scenario/validate.js";
import { TraceTooLarge } from "../../src/sim/machine.js";
import { simulate } from "../../src/sim/simulate.js";
import { scenarioArb } from "../helpers/scenario-arb.js";

const FIXTURE = new URL("../fixtures/equivalence/corpus.json", import.meta.url);
const UPDATE = process.env.UPDATE_EQUIVALENCE === "1";
const SEED = 20261129;
const RANDOM = 300;

interface Case {
  name: string;
  yaml: string;
  text: string;
  json: string;
  ndjson: string;
  quiet: string;
}

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

/** Every output of one scenario, hashed (a scenario too large to trace gives its message instead). */
function outputs(name: string, yaml: string): Case {
  const r = loadScenario(yaml, name);
  if (!r.ok) throw new Error(`${name} is invalid: ${r.problems.map((p) => p.message).join("; ")}`);
  try {
    const trace = simulate(r.scenario);
    const one = [{ trace, file: name }];
    return {
      name,
      yaml,
      text: sha(renderText(trace, name, { color: false })),
      quiet: sha(renderText(trace, name, { color: true, quiet: true })),
      json: sha(renderJson(one, true)),
      ndjson: sha(renderNdjson(one)),
    };
  } catch (e) {
    if (!(e instanceof TraceTooLarge)) throw e;
    return { name, yaml, text: `too large: ${e.message}`, quiet: "", json: "", ndjson: "" };
  }
}

function corpus(): { name: string; yaml: string }[] {
  const out: { name: string; yaml: string }[] = [];
  const toYaml = (s: unknown) => stringify(s, (_k, v) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v));
  fc.sample(scenarioArb(), { seed: SEED, numRuns: RANDOM }).forEach((s, i) => out.push({ name: `random-${i}`, yaml: toYaml(s) }));
  for (const dir of ["scenarios", "test/fixtures/conformance", "test/fixtures/valid"]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith(".yaml") || f.includes("bad")) continue;
      const yaml = readFileSync(join(dir, f), "utf8");
      if (loadScenario(yaml, f).ok) out.push({ name: `${dir}/${f}`, yaml });
    }
  }
  return out;
}

describe("traces are unchanged by the core's optimisations", () => {
  it.runIf(UPDATE)("writes the corpus (UPDATE_EQUIVALENCE=1)", () => {
    const cases = corpus().map((c) => outputs(c.name, c.yaml));
    writeFileSync(FIXTURE, JSON.stringify(cases, null, 1) + "\n");
  });

  it.skipIf(UPDATE)("every scenario of the corpus renders byte for byte as before, in every format", () => {
    const cases = JSON.parse(readFileSync(FIXTURE, "utf8")) as Case[];
    expect(cases.length).toBeGreaterThan(RANDOM);
    for (const c of cases) expect(outputs(c.name, c.yaml), c.yaml).toEqual(c);
  });
});

// The invalid corpus through the library: loadScenario gives each file's
// exact problem lines, as the CLI prints them (and in this process, so
// mutation testing can see which lines a change of the loader breaks).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatProblem } from "../../src/scenario/problems.js";
import { loadScenario } from "../../src/scenario/validate.js";
import { CORPUS, DIR } from "./corpus.js";

describe("the invalid corpus, through loadScenario", () => {
  it.each(Object.keys(CORPUS))("%s", (name) => {
    const file = `${DIR}/${name}`;
    const r = loadScenario(readFileSync(join(DIR, name), "utf8"), file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map(formatProblem)).toEqual((CORPUS[name] ?? []).map((line) => `${file}:${line}`));
  });
});

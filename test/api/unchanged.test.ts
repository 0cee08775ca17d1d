// Valid calls of the package root give what they gave before its arguments
// were checked: every bundled scenario's golden trace, through loadScenario,
// simulate and renderText; and copies (scenarios, traces, results the library
// did not make itself, so checked in full) are accepted and give the same.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  explore,
  exploreJson,
  exploreTextBlock,
  loadScenario,
  parseToken,
  raceEvents,
  renderJson,
  renderMermaid,
  renderNdjson,
  renderReport,
  renderText,
  simulate,
  tokenOf,
  witnessTrace,
  type Scenario,
} from "../../src/index.js";

const BUNDLED = readdirSync("scenarios")
  .filter((f) => f.endsWith(".yaml"))
  .sort();

function load(path: string): Scenario {
  const r = loadScenario(readFileSync(path, "utf8"), path);
  if (!r.ok) throw new Error(`${path} does not load`);
  return r.scenario;
}

/** Every scenario file under test/fixtures that loads (the invalid ones aside). */
function fixtures(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) return f === "invalid" ? [] : fixtures(p);
      return f.endsWith(".yaml") && loadScenario(readFileSync(p, "utf8"), p).ok ? [p] : [];
    });
}

describe("valid calls, as before", () => {
  it("knows the bundled scenarios", () => {
    expect(BUNDLED.length).toBeGreaterThanOrEqual(60);
  });

  it.each(BUNDLED.filter((f) => readdirSync("scenarios").includes(f.replace(/\.yaml$/, ".trace"))))(
    "%s: loadScenario, simulate, renderText give its golden .trace; a copy of the scenario (checked in full) gives the same trace",
    (f) => {
      const s = load(`scenarios/${f}`);
      const trace = simulate(s);
      expect(renderText(trace, f, { color: false })).toBe(readFileSync(`scenarios/${f.replace(/\.yaml$/, ".trace")}`, "utf8"));
      expect(simulate(structuredClone(s))).toEqual(trace);
    },
  );

  it("every scenario of the test fixtures that loads, copied, is accepted as loadScenario gave it", () => {
    const files = fixtures("test/fixtures");
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const p of files) expect(parseToken(structuredClone(load(p)), ""), p).toEqual({ ok: true, schedule: [] });
  });

  it("a copy of a trace (not made by simulate, so checked for its shape) renders as the trace does", () => {
    const file = "scenarios/26-interrupt-in-access.yaml";
    const trace = simulate(load(file));
    const copy = structuredClone(trace);
    expect(renderText(copy, file, { color: true })).toBe(renderText(trace, file, { color: true }));
    expect(renderJson([{ trace: copy, file }])).toBe(renderJson([{ trace, file }]));
    expect(renderNdjson([{ trace: copy, file }])).toBe(renderNdjson([{ trace, file }]));
    expect(renderMermaid(copy, file, { color: false, fences: true })).toBe(renderMermaid(trace, file, { color: false, fences: true }));
    expect(renderReport([{ file, trace: copy }], { color: false })).toBe(renderReport([{ file, trace }], { color: false }));
  });

  it("a copy of an exploration's result, and of a schedule, give what the originals give", () => {
    const file = "scenarios/39-races-seed-munmap-evict.yaml";
    const s = load(file);
    const result = explore(s, { depth: 2, strategy: "none", maxSchedules: 1000 });
    const copy = structuredClone(result);
    const o = { color: false, file, never: ["panic"], hazardsForbidden: false };
    expect(exploreTextBlock(copy, o)).toBe(exploreTextBlock(result, o));
    expect(exploreJson(copy, file)).toEqual(exploreJson(result, file));
    for (const c of result.classes) {
      const parsed = parseToken(s, c.witness);
      if (!parsed.ok) throw new Error(parsed.message);
      const schedule = structuredClone(parsed.schedule);
      expect(tokenOf(s, schedule)).toBe(c.witness);
      expect(simulate(s, { strategy: "none", races: structuredClone(raceEvents(s, schedule)) })).toEqual(witnessTrace(s, c.witness, "none"));
    }
  });
});

// The package root's exploration API gives what the CLI prints: `explore`
// (text, JSON, --strategy all, shards and --merge) and `run --replay` of each
// witness, for every bundled scenario with races. The library does no I/O:
// its bundle imports no Node.js module.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  explore,
  exploreJson,
  exploreTextAll,
  exploreTextBlock,
  loadScenario,
  mergeShards,
  parseToken,
  raceEvents,
  renderExploreJson,
  renderJson,
  replayCommand,
  simulate,
  STRATEGIES,
  tokenOf,
  witnessTrace,
  type Scenario,
} from "../src/index.js";
import { cli, ROOT } from "./helpers/cli.js";

const RACES = readdirSync(new URL("../scenarios", import.meta.url))
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => `scenarios/${f}`)
  .filter((f) => /^races:/m.test(readFileSync(new URL(`../${f}`, import.meta.url), "utf8")));

function load(file: string): Scenario {
  const r = loadScenario(readFileSync(new URL(`../${file}`, import.meta.url), "utf8"), file);
  if (!r.ok) throw new Error(`${file} does not load`);
  return r.scenario;
}

/** As the CLI renders: started here (a clone), it names itself npx axptr-sim in replay commands. */
function textOptions(s: Scenario, file: string) {
  return { color: false, file, never: s.explore?.never ?? [], hazardsForbidden: s.explore?.hazards === "forbidden", command: "npx axptr-sim" };
}

describe("the exploration from the package root", () => {
  it("knows the ten bundled scenarios with races", () => {
    expect(RACES.map((f) => f.slice("scenarios/".length, 12))).toEqual(["39", "40", "41", "42", "43", "44", "60", "61", "62", "63"]);
  });

  it.each(RACES)("%s: explore, its text and JSON, as `explore` prints them", (file) => {
    const s = load(file);
    const result = explore(s, { depth: s.explore?.depth ?? 1, strategy: s.machine.strategy });
    const json = cli(["explore", "--format", "json", file]);
    expect(json.stderr).toBe("");
    expect(renderExploreJson([exploreJson(result, file)], true)).toBe(json.stdout);
    expect(json.code).toBe(result.violations > 0 ? 1 : 0);
    expect(exploreTextBlock(result, textOptions(s, file))).toBe(cli(["explore", file]).stdout);
  });

  it.each(RACES)("%s: each witness, replayed by witnessTrace, is the trace `run --replay` prints", (file) => {
    const s = load(file);
    const result = explore(s, { depth: s.explore?.depth ?? 1, strategy: s.machine.strategy });
    for (const c of result.classes) {
      const trace = witnessTrace(s, c.witness, s.machine.strategy);
      expect(trace.outcome, c.witness).toBe(c.outcome);
      // The token, read and written back, is the same; its race events are what witnessTrace ran.
      const parsed = parseToken(s, c.witness);
      if (!parsed.ok) throw new Error(parsed.message);
      expect(tokenOf(s, parsed.schedule)).toBe(c.witness);
      expect(simulate(s, { races: raceEvents(s, parsed.schedule) })).toEqual(trace);
      expect(replayCommand(file, c.witness)).toBe(`axptr-sim run ${file} --replay '${c.witness}'`);
      const r = cli(["run", "--format", "json", file, "--replay", c.witness]);
      const failed = trace.summary.expectations.failed;
      expect(r.stderr, c.witness).toBe(failed === 0 ? "" : `axptr-sim: ${failed} expectation${failed === 1 ? "" : "s"} failed\n`);
      expect(r.code, c.witness).toBe(failed === 0 ? 0 : 1);
      expect(renderJson([{ trace, file }]), c.witness).toBe(r.stdout);
    }
  });

  it("--strategy all and shards merged, as the CLI prints them", () => {
    const file = "scenarios/39-races-seed-munmap-evict.yaml";
    const s = load(file);
    const depth = s.explore?.depth ?? 1;
    const all = STRATEGIES.map((strategy) => explore(s, { depth, strategy }));
    expect(exploreTextAll(all, textOptions(s, file))).toBe(cli(["explore", "--strategy", "all", file]).stdout);
    expect(renderExploreJson(all.map((r) => exploreJson(r, file)), false)).toBe(cli(["explore", "--format", "json", "--strategy", "all", file]).stdout);

    const shards = [1, 2, 3].map((index) => ({ doc: exploreJson(explore(s, { depth, strategy: s.machine.strategy, shard: { index, count: 3 } }), file), where: `shard ${index}` }));
    expect(shards.map((d) => d.doc.schedules)).toEqual(shards.map((_, i) => cli(["explore", "--format", "json", "--shard", `${i + 1}/3`, file]).stdout).map((o) => (JSON.parse(o) as { schedules: number }).schedules));
    expect(renderExploreJson([mergeShards(shards)], true)).toBe(cli(["explore", "--format", "json", file]).stdout);
  });

  it("a bad token is the message `run --replay` gives", () => {
    const file = "scenarios/39-races-seed-munmap-evict.yaml";
    const s = load(file);
    const token = "munmap@main#1:before-read";
    const parsed = parseToken(s, token);
    expect(parsed.ok).toBe(false);
    const r = cli(["run", file, "--replay", token]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`axptr-sim: ${file}: --replay '${token}': ${parsed.ok ? "" : parsed.message}\n`);
  });

  it("the library's bundle (dist/index.js) imports no Node.js module: no file, console or process of its own", () => {
    const bundle = readFileSync(`${ROOT}/dist/index.js`, "utf8");
    const imports = [...bundle.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]).sort();
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((m) => m?.startsWith("node:") || /^(fs|os|path|child_process|worker_threads)$/.test(m ?? ""))).toEqual([]);
  });
});

// The exploration by states (explore.ts) gives the reference's documents
// (reference.ts, every schedule run) byte for byte: the equivalence corpus's
// 50 random scenarios, each at depths 1 to 3, sharded and whole, and the
// bundled race scenarios under every strategy.
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { estimatedSchedules, explore, TooManySchedules } from "../../src/explore/explore.js";
import { exploreReference } from "../../src/explore/reference.js";
import type { ExploreOptions, ExploreResult } from "../../src/explore/result.js";
import { exploreJson, renderExploreJson } from "../../src/render/explore-json.js";
import type { Scenario } from "../../src/scenario/validate.js";
import { load } from "../sim/helpers.js";
import { randomScenario } from "./equivalence-gen.js";
import { KERNEL_STRATEGY, KERNELS } from "../../src/scenario/kernels.js";

/** The document without `states` (the reference has none: the one field of the engine's own). */
function doc(r: ExploreResult): string {
  const { states: _, ...rest } = r;
  return renderExploreJson([exploreJson(rest, "x.yaml")], true);
}

function same(s: Scenario, opts: ExploreOptions): void {
  const want = doc(exploreReference(s, opts));
  const got = explore(s, opts);
  expect(doc(got)).toBe(want);
  expect(got.states).toBeGreaterThan(0);
}

/** A refusal as its count and whether it is exact, or "ran". */
function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof TooManySchedules) return `${e.count} ${e.exact}`;
    throw e;
  }
  return "ran";
}

/** Only a guard against a hang: the reference runs every schedule, slow on a loaded machine. */
const HANG = 300_000;

describe("explore by states = the reference, byte for byte", () => {
  for (const depth of [1, 2, 3])
    it(`the 50 random scenarios at depth ${depth}`, () => {
      for (let seed = 1; seed <= 50; seed++) {
        const s = load(randomScenario(seed));
        same(s, { depth, strategy: s.machine.strategy });
      }
    }, HANG);

  for (let from = 51; from <= 120; from += 10)
    it(`random scenarios ${from} to ${from + 9} at depths 2 and 3`, () => {
      for (let seed = from; seed < from + 10; seed++) {
        const s = load(randomScenario(seed));
        for (const depth of [2, 3]) same(s, { depth, strategy: s.machine.strategy });
      }
    }, HANG);

  // Under a budget some schedules run out of it: a state is then reused for another only where the units spent cannot tell them apart.
  it("the random scenarios under budgets some of their schedules run out of, at depths 2 and 3", () => {
    let limited = 0;
    for (let seed = 1; seed <= 50; seed++)
      for (const budget of [6, 10, 16, 24]) {
        const s = load(randomScenario(seed).replace("\nmachine:\n", `\nmachine:\n  budget: ${budget}\n`));
        for (const depth of [2, 3]) {
          same(s, { depth, strategy: s.machine.strategy });
          if (explore(s, { depth, strategy: s.machine.strategy }).classes.some((c) => c.outcome === "step-limit")) limited++;
        }
      }
    // Most of them meet the budget somewhere, some only in a few schedules.
    expect(limited).toBeGreaterThan(200);
  }, HANG);

  it("the random scenarios under each kernel profile (as --kernel sets it) at depths 1 and 2", () => {
    for (const kernel of KERNELS)
      for (let seed = 1; seed <= 50; seed += 3) {
        const given = load(randomScenario(seed));
        const fixed = KERNEL_STRATEGY[kernel];
        const machine = { ...given.machine, kernel, ...(fixed !== undefined ? { strategy: fixed, aspace_lock: "per-check" as const } : {}) };
        const s = { ...given, machine };
        for (const depth of [1, 2]) same(s, { depth, strategy: machine.strategy });
      }
  }, HANG);

  it("shards 1/3, 2/3, 3/3 of every random scenario at depth 2", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const s = load(randomScenario(seed));
      for (let index = 1; index <= 3; index++) same(s, { depth: 2, strategy: s.machine.strategy, shard: { index, count: 3 } });
    }
  }, HANG);

  it("refuses as the reference does: the same count, exact or not, at every limit around its levels' counts", () => {
    let refused = 0;
    for (let seed = 1; seed <= 50; seed += 7) {
      const s = load(randomScenario(seed));
      const opts = { depth: 3, strategy: s.machine.strategy };
      const total = exploreReference(s, opts).schedules;
      const ones = exploreReference(s, { ...opts, depth: 1 }).schedules;
      const twos = exploreReference(s, { ...opts, depth: 2 }).schedules;
      for (const maxSchedules of [0, 1, ones - 1, ones, ones + 3, twos - 1, twos, Math.floor((twos + total) / 2), total - 1, total]) {
        const want = refusal(() => exploreReference(s, { ...opts, maxSchedules }));
        expect(refusal(() => explore(s, { ...opts, maxSchedules }))).toBe(want);
        if (want !== "ran") refused++;
      }
    }
    expect(refused).toBeGreaterThan(20);
  }, HANG);

  it("refuses from depth 2 on before it explores: the guard's later figures are counted first, and no state of the exploration is visited", () => {
    let early = 0;
    let total2 = 0;
    let total3 = 0;
    for (let seed = 1; seed <= 50; seed += 3) {
      const s = load(randomScenario(seed));
      const opts = { strategy: s.machine.strategy };
      const ones = exploreReference(s, { ...opts, depth: 1 }).schedules;
      const twos = exploreReference(s, { ...opts, depth: 2 }).schedules;
      const threes = exploreReference(s, { ...opts, depth: 3 }).schedules;
      // Limits where the guard's guess says the count may pass them (else it explores: a wrong guess would cost a count for nothing).
      const guess = (d: number) => estimatedSchedules(ones - 1, s.races.length, d);
      const cases = [
        ...[ones + 3, twos - 1].filter((max) => max < twos && guess(2) > max / 4).map((max) => ({ depth: 2, max })),
        ...[ones + 3, twos].filter((max) => max < threes && guess(max < twos ? 2 : 3) > max / 4).map((max) => ({ depth: 3, max })),
      ];
      for (const { depth, max: maxSchedules } of cases) {
        let visited = 0;
        const got = refusal(() => explore(s, { ...opts, depth, maxSchedules, onStates: () => visited++ }));
        expect(got).toBe(refusal(() => exploreReference(s, { ...opts, depth, maxSchedules })));
        expect(got).not.toBe("ran");
        expect(visited).toBe(0);
        early++;
        if (got.endsWith("true")) depth === 2 ? total2++ : total3++;
      }
    }
    expect(early).toBeGreaterThan(30);
    expect(total2).toBeGreaterThan(15);
    expect(total3).toBeGreaterThan(0);
  }, HANG);

  it("guesses the schedules up to a depth from the first figure: C(races, l) · P^l / l! for each length l, P = b1 / races", () => {
    // 3 races over 4 points each: 1 + 12 + 3·16/2 + 1·64/6.
    expect(estimatedSchedules(12, 3, 1)).toBe(13);
    expect(estimatedSchedules(12, 3, 2)).toBe(37);
    expect(estimatedSchedules(12, 3, 3)).toBeCloseTo(37 + 64 / 6, 10);
    // No more pairs than races.
    expect(estimatedSchedules(12, 3, 5)).toBe(estimatedSchedules(12, 3, 3));
    expect(estimatedSchedules(0, 0, 3)).toBe(1);
  });

  it("the bundled race scenarios, under each strategy, at depths 1 to 3", () => {
    const dir = new URL("../../scenarios/", import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith(".yaml") && readFileSync(new URL(f, dir), "utf8").includes("\nraces:"));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      const s = load(readFileSync(new URL(f, dir), "utf8"));
      for (const strategy of ["percpu-flag", "per-thread-flag", "nesting-counter", "exception-table", "none"] as const)
        for (const depth of [1, 2, 3]) same(s, { depth, strategy });
    }
  }, HANG);
});

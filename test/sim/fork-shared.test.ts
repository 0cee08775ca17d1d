// One Fork serves every race at its point (the exploration asks for it once
// a point): each copy takes its own operation from the run's when it is made
// (ops.ts, takeUp), so a copy that went on changes nothing another copy of
// the same fork starts from. On the random scenarios under every kernel, at
// every point, each race in turn from one fork, started and gone on with, and
// run whole, must come to what its schedule run from the start comes to.
import { describe, expect, it } from "vitest";
import { raceEvent } from "../../src/explore/schedule.js";
import type { Occurrence } from "../../src/explore/occurrence.js";
import { KERNELS } from "../../src/scenario/kernels.js";
import type { PointProbe } from "../../src/sim/injector.js";
import { simulate } from "../../src/sim/simulate.js";
import type { Trace } from "../../src/sim/events.js";
import { randomScenario } from "../explore/equivalence-gen.js";
import { load } from "./helpers.js";

const QUIET: PointProbe = { before: () => {}, after: () => {}, perElement: () => false };

function outcomeOf(t: Trace): string {
  return JSON.stringify({ outcome: t.outcome, steps: t.steps.map((s) => s.result), summary: t.summary, hazards: t.hazards.map((h) => h.kind) }, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

describe("one fork of a run for all the races at its point", () => {
  it("gives each race's copy, started or run, what its schedule from the start comes to, whatever copies of it went on before", () => {
    let shared = 0;
    for (let seed = 0; seed < 50; seed++) {
      const s = load(randomScenario(seed));
      for (const kernel of [undefined, ...KERNELS]) {
        const opts = kernel !== undefined ? { kernel } : {};
        const probe: PointProbe = {
          before: () => {},
          perElement: () => true,
          after: (thread, step, at, count, closed, _print, _events, forkAt) => {
            const fork = forkAt(at, count, closed);
            if (fork === undefined) return;
            const occ: Occurrence = count === undefined ? { thread, step, at } : { thread, step, at, k: count };
            if (closed !== undefined) occ.closed = closed;
            for (let r = 0; r < s.races.length; r++) {
              const whole = outcomeOf(simulate(s, { keepEvents: false, races: [raceEvent(s, r, occ)], ...opts }));
              // Started (made only if it goes on), then run in a copy of its own: both after the races before it went on from this fork.
              const started = fork.start([raceEvent(s, r, occ)]);
              if (started !== undefined) expect(outcomeOf(started.run(QUIET))).toBe(whole);
              expect(outcomeOf(fork.run([raceEvent(s, r, occ)], QUIET))).toBe(whole);
              if (r > 0) shared++;
            }
          },
        };
        simulate(s, { keepEvents: false, probe, ...opts });
      }
    }
    expect(shared).toBeGreaterThan(1000);
  });
});

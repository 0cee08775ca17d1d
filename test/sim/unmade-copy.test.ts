// Fork.start's copy whose one race only changes memory is printed from the
// run itself, without being made (simulate.ts, `unmade`). It must print what
// the copy, once made, prints, and count the same events: on the equivalence
// corpus's random scenarios under every kernel, at every point, for every race.
import { describe, expect, it } from "vitest";
import { raceEvent } from "../../src/explore/schedule.js";
import type { Occurrence } from "../../src/explore/occurrence.js";
import { KERNELS } from "../../src/scenario/kernels.js";
import type { PointProbe, PrintWhat, StatePrint } from "../../src/sim/injector.js";
import { memoryEffect } from "../../src/sim/injector.js";
import { simulate } from "../../src/sim/simulate.js";
import type { Trace } from "../../src/sim/events.js";
import { randomScenario } from "../explore/equivalence-gen.js";
import { load } from "./helpers.js";

const WHATS: PrintWhat[] = [
  { faults: true, checks: true },
  { faults: false, checks: false },
];

/** A probe that only watches: a copy gone on with runs to its end. */
const QUIET: PointProbe = { before: () => {}, after: () => {}, perElement: () => false };

/** What a run came to: its outcome, each step's result, its counts. */
function outcomeOf(t: Trace): string {
  return JSON.stringify({ outcome: t.outcome, steps: t.steps.map((s) => s.result), summary: t.summary, hazards: t.hazards.map((h) => h.kind) }, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

function key(p: StatePrint | undefined): string {
  return p === undefined ? "none" : `${p.hash.text()} ${p.units}`;
}

describe("a started copy not made (its race changes memory only)", () => {
  it("prints as the made copy does and counts its events, at every point of the random scenarios under every kernel", () => {
    let compared = 0;
    let memoryOnly = 0;
    for (let seed = 0; seed < 50; seed++) {
      const s = load(randomScenario(seed));
      for (const kernel of [undefined, ...KERNELS]) {
        const probe: PointProbe = {
          before: () => {},
          perElement: () => true,
          after: (thread, step, at, count, closed, _print, _events, fork) => {
            const occ: Occurrence = count === undefined ? { thread, step, at } : { thread, step, at, k: count };
            if (closed !== undefined) occ.closed = closed;
            for (let r = 0; r < s.races.length; r++) {
              const started = fork(at, count, closed)?.start([raceEvent(s, r, occ)]);
              if (started === undefined) continue;
              // A copy of the copy at the same point, with nothing more fired: made, and printed as the copy is.
              const made = started.fork()?.start([]);
              if (made === undefined) continue;
              for (const what of WHATS) expect(key(started.print(what))).toBe(key(made.print(what)));
              expect(started.events).toBe(made.events);
              // Gone on with, it comes to what the schedule run from the start comes to.
              const race = raceEvent(s, r, occ);
              const whole = simulate(s, { keepEvents: false, races: [race], ...(kernel !== undefined ? { kernel } : {}) });
              expect(outcomeOf(started.run(QUIET))).toBe(outcomeOf(whole));
              compared++;
              if (memoryEffect((s.races[r] as (typeof s.races)[number]).do, s.machine.page_size) !== undefined) memoryOnly++;
            }
          },
        };
        simulate(s, { keepEvents: false, probe, ...(kernel !== undefined ? { kernel } : {}) });
      }
    }
    // The corpus's races are mostly unmaps, protects, evictions and writes: the copies not made are most of those compared.
    expect(compared).toBeGreaterThan(1000);
    expect(memoryOnly).toBeGreaterThan(compared / 2);
  });
});

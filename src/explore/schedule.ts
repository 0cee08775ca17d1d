// Schedules and their tokens (explore.md section 3 and 6): which race fires
// at which occurrence, written `RACE@OCCURRENCE` joined by `+`.
import type { ActionSpec, InjectedEventSpec, RaceSpec } from "../scenario/schema.js";
import type { Scenario } from "../scenario/validate.js";
import type { RaceEvent } from "../sim/injector.js";
import { blockedBy } from "../sim/kernels/index.js";
import { quoteString } from "../scenario/numbers.js";
import { countDigits, MAX_COUNT_DIGITS, occurrenceText, parseOccurrence, type Occurrence } from "./occurrence.js";

export interface Pair {
  /** Index of the race in the file's `races`. */
  race: number;
  occ: Occurrence;
}

export type Schedule = readonly Pair[];

export function tokenOf(s: Scenario, schedule: Schedule): string {
  return schedule.map((p) => `${s.races[p.race]?.name ?? "?"}@${occurrenceText(p.occ)}`).join("+");
}

export type TokenResult = { ok: true; schedule: Pair[] } | { ok: false; message: string };

/** Reads a token against the file's races; a malformed pair, an unknown race or a race twice is an error. */
export function parseToken(s: Scenario, token: string): TokenResult {
  if (token === "") return { ok: true, schedule: [] };
  const schedule: Pair[] = [];
  const used = new Set<number>();
  for (const part of token.split("+")) {
    const at = part.indexOf("@");
    const name = at < 0 ? part : part.slice(0, at);
    if (at < 0 || !/^[a-z][a-z0-9_-]*$/.test(name))
      return { ok: false, message: `"${part}" is not RACE@THREAD#STEP:POINT (e.g. munmap@main#1:before-read[5])` };
    const race = s.races.findIndex((r) => r.name === name);
    if (race < 0) {
      const names = s.races.map((r) => r.name);
      return { ok: false, message: `the file has no race named "${name}" (its races: ${names.join(", ") || "none"})` };
    }
    const digits = countDigits(part);
    if (digits > MAX_COUNT_DIGITS)
      return { ok: false, message: `${quoteString(`${part.slice(at + 1, part.lastIndexOf("["))}[…]`)}: its [k] has ${digits} characters (expected k in decimal, at most ${MAX_COUNT_DIGITS} digits: a count or an element index is below 2^64)` };
    const occ = parseOccurrence(part.slice(at + 1));
    if (occ === undefined)
      return {
        ok: false,
        message: `"${part.slice(at + 1)}" is not a point occurrence (expected THREAD#STEP:POINT, with [k] exactly for page-check, page-fault and before-read, numbers in decimal without leading zeros)`,
      };
    if (used.has(race)) return { ok: false, message: `race "${name}" appears twice (a race fires at most once in a run)` };
    used.add(race);
    schedule.push({ race, occ });
  }
  return { ok: true, schedule };
}

/** The thread a `run` action switches in, if the action is one: such a race has no occurrences in that thread's steps. */
export function runThreadOf(d: ActionSpec): string | undefined {
  return d.run?.thread;
}

/** Which occurrences a race may take (its `during` and `at`, and the `run` rule). */
export interface RaceFilter {
  allows(o: Occurrence): boolean;
}

export function raceFilter(r: RaceSpec, threadNames: ReadonlySet<string>): RaceFilter {
  const at = r.at === undefined ? undefined : new Set<string>(r.at);
  const threads = new Set<string>();
  const steps = new Set<string>();
  for (const entry of r.during ?? []) {
    if (threadNames.has(entry)) threads.add(entry);
    else steps.add(entry);
  }
  const everywhere = r.during === undefined;
  const own = runThreadOf(r.do);
  return {
    allows: (o) =>
      (at === undefined || at.has(o.at)) &&
      o.thread !== own &&
      // The kernel's narrowing (kernels.md section 4): no schedule places the race where it cannot happen.
      (o.closed === undefined || blockedBy(o.closed, r.do) === undefined) &&
      (everywhere || threads.has(o.thread) || steps.has(`${o.thread}#${o.step}`)),
  };
}

/** The injected events a schedule adds after the file's own, in schedule order. */
export function raceEvents(s: Scenario, schedule: Schedule): RaceEvent[] {
  return schedule.map(({ race, occ }) => raceEvent(s, race, occ));
}

/** One race placed at one occurrence, as an injected event (an exploration makes one per fork: no spreads). */
export function raceEvent(s: Scenario, race: number, occ: Occurrence): RaceEvent {
  const r = s.races[race] as RaceSpec;
  const when: InjectedEventSpec["when"] = { thread: occ.thread, step: BigInt(occ.step), at: occ.at };
  if (occ.k !== undefined) {
    if (occ.at === "before-read") when.index = occ.k;
    else when.nth = occ.k;
  }
  const spec: InjectedEventSpec = { when, do: r.do, repeat: false };
  if (r.by !== undefined) spec.by = r.by;
  const own = runThreadOf(r.do);
  const event: RaceEvent = { spec, race: r.name };
  if (own !== undefined && own === occ.thread) event.inert = `race ${r.name} runs thread ${own}: it cannot fire in ${own}'s own steps`;
  return event;
}

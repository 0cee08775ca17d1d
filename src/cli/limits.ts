// The bounds on an exploration's work that explore, check and report share:
// how many schedules (--max-schedules, else the file's explore.max_schedules,
// else the default) and how long (--max-duration; no default). The clock is
// here, in the CLI: the exploration itself is pure, and only calls back.
import { DEFAULT_MAX_SCHEDULES, type ExploreOptions } from "../explore/explore.js";
import type { Scenario } from "../scenario/validate.js";
import { UsageError } from "./errors.js";

/** The schedule limit in effect, and where it comes from (messages name it, and how to raise it). */
export interface ScheduleLimit {
  max: number;
  from: "option" | "file" | "default";
}

/** The bounds one exploration runs under. */
export interface Limits {
  /** --max-schedules as written (it wins over the file's explore.max_schedules). */
  maxSchedules?: string | undefined;
  /** --max-duration in seconds, once parsed. */
  maxDuration?: number | undefined;
}

const grouped = (n: number) => n.toLocaleString("en-US");

/** --max-schedules as written: a positive whole number (underscores allowed), or undefined when not given. */
export function parseMax(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.replace(/_/g, ""));
  if (!/^[0-9_]+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--max-schedules ${JSON.stringify(text)}: expected a positive whole number`);
  return n;
}

/** The command line's --max-schedules, else the file's explore.max_schedules, else the default. */
export function scheduleLimit(option: string | undefined, s: Scenario): ScheduleLimit {
  const given = parseMax(option);
  if (given !== undefined) return { max: given, from: "option" };
  const fromFile = s.explore?.max_schedules;
  if (fromFile !== undefined) return { max: fromFile, from: "file" };
  return { max: DEFAULT_MAX_SCHEDULES, from: "default" };
}

/** How a message names the limit: `--max-schedules 100`, `explore.max_schedules 100`. */
export function limitName(l: ScheduleLimit): string {
  return `${l.from === "file" ? "explore.max_schedules" : "--max-schedules"} ${grouped(l.max)}`;
}

/** The longest --max-duration: a day (a CI job's limit is hours; a larger number is a typo). */
const MAX_DURATION = 86_400;

/** --max-duration SECONDS: a positive number of seconds (decimals allowed), at most a day; undefined when not given. */
export function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || !(n > 0) || n > MAX_DURATION)
    throw new UsageError(`--max-duration ${JSON.stringify(text)}: expected a number of seconds above 0 and at most ${grouped(MAX_DURATION)} (e.g. --max-duration 600)`);
  return n;
}

/** An exploration stopped at --max-duration: how long it ran and how far it got. */
export class TimeUp extends Error {
  constructor(
    readonly seconds: number,
    readonly elapsedMs: number,
    /** Distinct states worked out (the exploration by states), if it said. */
    readonly states: number | undefined,
    /** Schedules covered (their results known) so far. */
    readonly schedules: number,
  ) {
    super(`the exploration passed --max-duration ${seconds}`);
  }

  /** `--max-duration 2 s (stopped after 2.0 s, 12,345 states worked out, 40,000 schedules covered)` */
  get progress(): string {
    const states = this.states !== undefined ? `${grouped(this.states)} state${this.states === 1 ? "" : "s"} worked out, ` : "";
    return `--max-duration ${this.seconds} s (stopped after ${(this.elapsedMs / 1000).toFixed(this.elapsedMs < 1000 ? 3 : 1)} s, ${states}${grouped(this.schedules)} schedule${this.schedules === 1 ? "" : "s"} covered)`;
  }
}

type Hooks = Pick<ExploreOptions, "onStates" | "progress" | "tick">;

/**
 * The exploration's callbacks with a clock: each one (the exploration calls
 * them between runs and at every state it works out) throws TimeUp once
 * `seconds` have passed since this call. `also`: the callbacks it wraps (a
 * progress line). Without `seconds`, `also` as it is.
 */
export function timed(seconds: number | undefined, also: Hooks = {}): Hooks {
  if (seconds === undefined) return also;
  const start = Date.now();
  const end = start + seconds * 1000;
  let states: number | undefined;
  let schedules = 0;
  const check = () => {
    const now = Date.now();
    if (now >= end) throw new TimeUp(seconds, now - start, states, schedules);
  };
  return {
    onStates: (n, covered) => {
      states = n;
      schedules = Math.max(schedules, covered);
      check();
      also.onStates?.(n, covered);
    },
    progress: (done, total) => {
      schedules = Math.max(schedules, done);
      check();
      also.progress?.(done, total);
    },
    tick: (done) => {
      schedules = Math.max(schedules, done);
      check();
      also.tick?.(done);
    },
  };
}

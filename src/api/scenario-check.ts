// Is this object a scenario loadScenario would give? The schema reads YAML's
// form (perm "rw", cpu as an integer of the file), the simulator the parsed
// form (perm { read, write, execute }, cpu a number): the few transformed
// keys are turned back, the schema and the rules run as loadScenario runs
// them, and what comes out must be the object given, key for key.
import type { z } from "zod";
import { checkRules } from "../scenario/rules.js";
import { InjectedEvent, Scenario as ScenarioSchema, type InjectedEventSpec } from "../scenario/schema.js";
import { messageFor, type Scenario } from "../scenario/validate.js";
import { ArgumentError, shown } from "./argument-error.js";
import { isRecord, type Obj } from "./args.js";

/** The scenarios loadScenario (the package root's) returned: trusted as they are, checked no further. */
const loaded = new WeakSet<object>();

export function trustScenario(s: Scenario): Scenario {
  loaded.add(s);
  return s;
}

const EXPECTED = "a scenario as loadScenario returns it";

/** `scenario.threads[0].steps[1].op`: the argument's path as JavaScript writes it. */
function pathText(argument: string, path: readonly PropertyKey[]): string {
  return argument + path.map((k) => (typeof k === "number" ? `[${k}]` : `.${String(k)}`)).join("");
}

/**
 * The scenario argument, checked: one loadScenario returned passes at once;
 * any other object must be one it would return (the schema's shape and the
 * rules across keys: a page size of 0, a thread on CPU 99, an unknown op are refused).
 */
export function checkScenario(fn: string, value: unknown, argument = "scenario"): Scenario {
  if (typeof value === "object" && value !== null && loaded.has(value)) return value as Scenario;
  const fail = (path: readonly PropertyKey[], message: string): never => {
    const at = pathText(argument, path);
    throw new ArgumentError(fn, at, EXPECTED, `${fn}: ${at}${message.startsWith("must be") ? " " : ": "}${message}`);
  };
  if (!isRecord(value)) throw new ArgumentError(fn, argument, EXPECTED, `${fn}: ${argument} must be ${EXPECTED}, got ${shown(value)}`);
  const parsed = ScenarioSchema.safeParse(asInput(value), { error: messageFor, reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    return fail(issuePath(issue), issueMessage(issue));
  }
  if (value.threads === undefined) fail(["threads"], "required key is missing (expected an array of threads; loadScenario fills in the default thread main)");
  const difference = firstDifference(parsed.data, value, []);
  if (difference) fail(difference.path, difference.message);
  const rule = checkRules(parsed.data)[0];
  if (rule) fail(rule.path, rule.message);
  return value as Scenario;
}

/** An injected event's spec in its parsed form (a race event's, as raceEvents makes them): the schema's shape, key for key. */
export function checkEventSpec(fn: string, argument: string, value: unknown): InjectedEventSpec {
  const fail = (path: readonly PropertyKey[], message: string): never => {
    const where = pathText(argument, path);
    throw new ArgumentError(fn, where, "an injected event as a scenario's events hold it", `${fn}: ${where}${message.startsWith("must be") ? " " : ": "}${message}`);
  };
  const parsed = InjectedEvent.safeParse(at(value, "do", action), { error: messageFor, reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    return fail(issuePath(issue), issueMessage(issue));
  }
  const difference = firstDifference(parsed.data, value, []);
  if (difference) fail(difference.path, difference.message);
  return value as InjectedEventSpec;
}

/** An unknown key's issue is the object's: its path names the key, as loadScenario's problem does. */
function issuePath(issue: z.core.$ZodIssue): readonly PropertyKey[] {
  return issue.code === "unrecognized_keys" && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
}

/** A JS number where a bigint goes: the schema's YAML message ("is not an integer") would mislead. */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return issue.message.split("\n")[0] ?? issue.message;
  const input = (issue as { input?: unknown }).input;
  if (typeof input === "number" && Number.isSafeInteger(input) && issue.message.includes("is not an integer")) return `must be a bigint (${input}n), got the number ${input}`;
  return issue.message;
}

// ---- the parsed form back to the file's form, at the keys the schema transforms

function perm(p: unknown): unknown {
  if (!isRecord(p) || Object.keys(p).length !== 3 || typeof p.read !== "boolean" || typeof p.write !== "boolean" || typeof p.execute !== "boolean") return p;
  return `${p.read ? "r" : ""}${p.write ? "w" : ""}${p.execute ? "x" : ""}` || "-";
}

/** A number the schema turns into a JS number (a CPU, a depth, a step of ptr.from). */
function small(v: unknown): unknown {
  return typeof v === "number" && Number.isSafeInteger(v) ? BigInt(v) : v;
}

/** A copy of `o` with `key` replaced by `f` of it, when o is an object holding that key; else o itself. */
function at(o: unknown, key: string, f: (v: unknown) => unknown): unknown {
  return isRecord(o) && o[key] !== undefined ? { ...o, [key]: f(o[key]) } : o;
}

function each(list: unknown, f: (v: unknown) => unknown): unknown {
  return Array.isArray(list) ? list.map(f) : list;
}

function action(d: unknown): unknown {
  let out = at(d, "map", (a) => at(a, "perm", perm));
  out = at(out, "protect", (r) => at(r, "perm", perm));
  out = at(out, "migrate", (m) => at(m, "cpu", small));
  return at(out, "run", (r) => at(r, "cpu", small));
}

function asInput(s: Obj): Obj {
  const step = (st: unknown) => at(st, "ptr", (p) => at(p, "from", small));
  const thread = (t: unknown) => at(at(t, "cpu", small), "steps", (steps) => each(steps, step));
  const withDo = (e: unknown) => at(e, "do", action);
  let out: unknown = at(s, "machine", (m) => at(m, "cpus", small));
  out = at(out, "memory", (areas) => each(areas, (a) => at(a, "perm", perm)));
  out = at(out, "threads", (threads) => each(threads, thread));
  out = at(out, "events", (events) => each(events, withDo));
  out = at(out, "races", (races) => each(races, withDo));
  return at(out, "explore", (e) => at(e, "depth", small)) as Obj;
}

// ---- the schema's output against the object given

function kind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  const t = typeof v;
  return t === "undefined" ? "undefined" : t === "object" ? "an object" : t === "bigint" ? "a bigint" : t === "number" ? "a number" : t === "string" ? "a string" : t === "boolean" ? "true or false" : t;
}

function firstDifference(want: unknown, got: unknown, path: readonly (string | number)[]): { path: readonly (string | number)[]; message: string } | undefined {
  if (want === got) return undefined;
  const k = kind(want);
  if (k !== kind(got)) return { path, message: `must be ${k}${k === "an object" || k === "an array" ? "" : ` (${shown(want)})`}, as loadScenario returns it; got ${shown(got)}` };
  if (Array.isArray(want) && Array.isArray(got)) {
    if (want.length !== got.length) return { path, message: `must be an array of ${want.length}, as loadScenario returns it; got one of ${got.length}` };
    for (let i = 0; i < want.length; i++) {
      const d = firstDifference(want[i], got[i], [...path, i]);
      if (d) return d;
    }
    return undefined;
  }
  if (isRecord(want) && isRecord(got)) {
    const keys = new Set([...Object.keys(want), ...Object.keys(got)].filter((key) => want[key] !== undefined || got[key] !== undefined));
    for (const key of keys) {
      const d = firstDifference(want[key], got[key], [...path, key]);
      if (d) return d;
    }
    return undefined;
  }
  return { path, message: `must be ${shown(want)}, as loadScenario returns it; got ${shown(got)}` };
}

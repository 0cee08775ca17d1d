// `--format json`: exactly format section 3. Big numbers as decimal strings, addresses as hex.
import { hex } from "../scenario/numbers.js";
import type { Expected, RunResult, StepRecord, StepResult, Trace, TraceEvent, Value } from "../sim/events.js";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A number as JSON: exact, a decimal string beyond 2^53 - 1. */
export function num(v: bigint): number | string {
  return v <= SAFE && v >= -SAFE ? Number(v) : v.toString();
}

export function valueJson(v: Value): Json {
  if (v === null || typeof v === "string") return v;
  if (typeof v === "bigint") return num(v);
  return v.map(valueJson);
}

export function resultJson(r: RunResult | Expected): Json {
  switch (r.status) {
    case "ok":
      return "value" in r ? { status: "ok", value: valueJson(r.value ?? null) } : { status: "ok" };
    case "err":
      return { status: "err", errno: r.errno };
    case "panic":
      return "message" in r ? { status: "panic", message: r.message } : { status: "panic" };
    case "killed":
      return { status: "killed", signal: "SIGSEGV" };
    default:
      return { status: r.status };
  }
}

function withoutValue(r: Json): Json {
  if (r === null || typeof r !== "object" || Array.isArray(r) || !("value" in r)) return r;
  const { value: _value, ...rest } = r;
  return rest;
}

const ADDRESS_FIELDS = new Set(["addr"]);

export function eventJson(e: TraceEvent): Json {
  const { seq, thread, step, cpu, kind, flags, ...rest } = e;
  const out: { [k: string]: Json } = { seq, thread, step, cpu, kind };
  for (const [k, v] of Object.entries(rest)) {
    // A step's value is in `steps` once; its step-end event says how it ended, not the value again.
    if (k === "result") out[k] = kind === "step-end" ? withoutValue(resultJson(v as StepResult)) : resultJson(v as StepResult);
    else if (typeof v === "bigint") out[k] = ADDRESS_FIELDS.has(k) ? hex(v) : num(v);
    else out[k] = v as Json;
  }
  out.flags = flags;
  return out;
}

/**
 * One event as one line of JSON. `flags` is written by hand, keys in CPU or
 * file thread order: a JavaScript object would put a thread named "2" after one named "1".
 */
export function eventLine(e: TraceEvent, keys: readonly string[]): string {
  // Field by field, the bytes JSON.stringify(eventJson(e)) would give, without building that object for every event.
  let line = `{"seq":${e.seq},"thread":${JSON.stringify(e.thread)},"step":${e.step},"cpu":${e.cpu},"kind":${JSON.stringify(e.kind)}`;
  const fields = e as unknown as Record<string, unknown>;
  for (const k in fields) {
    const v = fields[k];
    if (SHARED_FIELDS.has(k) || v === undefined) continue;
    if (k === "result") line += `,"result":${JSON.stringify(e.kind === "step-end" ? withoutValue(resultJson(v as StepResult)) : resultJson(v as StepResult))}`;
    else if (typeof v === "bigint") line += `,${JSON.stringify(k)}:${ADDRESS_FIELDS.has(k) ? `"${hex(v)}"` : JSON.stringify(num(v))}`;
    else line += `,${JSON.stringify(k)}:${JSON.stringify(v)}`;
  }
  return `${line},"flags":${flagsJson(e.flags, keys)}}`;
}

const SHARED_FIELDS = new Set(["seq", "thread", "step", "cpu", "kind", "flags"]);

// Events share their flags object while the state does not change: each state is written out once.
let flagsCache = new WeakMap<object, string>();
let flagsKeys: readonly string[] = [];

function flagsJson(f: TraceEvent["flags"], keys: readonly string[]): string {
  if (keys !== flagsKeys) (flagsCache = new WeakMap()), (flagsKeys = keys);
  let text = flagsCache.get(f);
  if (text === undefined) {
    text = `{${keys.filter((k) => k in f).map((k) => `${JSON.stringify(k)}:${JSON.stringify(f[k])}`).join(",")}}`;
    flagsCache.set(f, text);
  }
  return text;
}

/** What the CLI adds at the end of a document: `unexplored_races` for a file whose races the run did not explore. */
export type Extra = { readonly [k: string]: Json };

/** One file's trace as the JSON renderers take it. */
export interface TraceOf {
  trace: Trace;
  file: string;
  extra?: Extra;
}

/** The whole document for one file, without events when `events` is false (ndjson's last line). */
export function traceJson(t: Trace, file: string, events = true, extra: Extra = {}): { [k: string]: Json } {
  return {
    format: "axptr-sim-trace/1",
    scenario: { name: t.scenario.name, file },
    machine: { cpus: t.machine.cpus, strategy: t.machine.strategy, page_size: num(t.machine.page_size), ...(t.machine.kernel !== undefined ? { kernel: t.machine.kernel } : {}) },
    ...(t.locks !== undefined ? { locks: t.locks.map((l) => ({ name: l.name, kind: l.kind })) } : {}),
    outcome: t.outcome,
    steps: t.steps.map((s) => ({
      thread: s.thread,
      step: s.step,
      op: s.op,
      result: resultJson(s.result),
      expected: s.expected === null ? null : resultJson(s.expected),
      met: s.met,
      ...syscallJson(s),
    })),
    ...(events ? { events: t.events.map(eventJson) } : {}),
    hazards: t.hazards.map((h) => ({ kind: h.kind, seq: h.seq, message: h.message })),
    unfired: t.unfired.map((u) => ({ ...(u.event !== undefined ? { event: u.event } : {}), ...(u.race !== undefined ? { race: u.race } : {}), when: u.when, why: u.why })),
    expectations: t.expectations.map((e) => ({ what: e.what, met: e.met })),
    summary: t.summary,
    ...extra,
  };
}

/**
 * Pretty-printed, with one step and one event a line: a trace of thousands of
 * events stays readable and diffable. Made in pieces, so a huge trace (a
 * 64 MiB string value) is written without being copied into one string.
 */
export function* jsonChunks(traces: readonly TraceOf[], single: boolean): Generator<string> {
  if (single) {
    const first = traces[0];
    if (first) yield* docChunks(first.trace, first.file, "", first.extra);
    else yield "null";
    yield "\n";
    return;
  }
  yield "[";
  for (const [i, { trace, file, extra }] of traces.entries()) {
    yield i === 0 ? "\n" : ",\n";
    yield* docChunks(trace, file, "  ", extra);
  }
  yield "\n]\n";
}

/** `single`: one document rather than an array (the CLI's choice for one file; by default, when there is one trace). */
export function renderJson(traces: readonly { trace: Trace; file: string }[], single = traces.length === 1): string {
  return [...jsonChunks(traces, single)].join("");
}

function* docChunks(trace: Trace, file: string, indent: string, extra?: Extra): Generator<string> {
  const doc = traceJson(trace, file, false, extra);
  const lines = (key: string, items: readonly Json[]): Generator<string> => listChunks(key, items, indent);
  let first = true;
  yield `${indent}{`;
  for (const [key, value] of Object.entries(doc)) {
    yield first ? "\n" : ",\n";
    first = false;
    if (key === "steps" && Array.isArray(value)) {
      yield* lines(key, value);
      // "events" follows "steps", as in the format spec's example.
      yield ",\n";
      yield `${indent}  "events": [`;
      for (const [i, e] of trace.events.entries()) yield `${i === 0 ? "\n" : ",\n"}${indent}    ${eventLine(e, trace.stateKeys)}`;
      yield trace.events.length === 0 ? "]" : `\n${indent}  ]`;
    } else yield `${indent}  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}  `)}`;
  }
  yield `\n${indent}}`;
}

function* listChunks(key: string, items: readonly Json[], indent: string): Generator<string> {
  yield `${indent}  ${JSON.stringify(key)}: [`;
  for (const [i, item] of items.entries()) {
    yield `${i === 0 ? "\n" : ",\n"}${indent}    `;
    yield* compactChunks(item);
  }
  yield items.length === 0 ? "]" : `\n${indent}  ]`;
}

const SLICE = 1 << 20;
/** Nothing JSON.stringify escapes: no quote, backslash, control character or surrogate (which it checks). Anchored and negated: twice as fast. */
const NOTHING_TO_ESCAPE = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** Holds a string or list that compactChunks writes in pieces (looked at without serialising anything). */
function isLarge(v: Json): boolean {
  if (typeof v === "string") return v.length > SLICE;
  if (Array.isArray(v)) return v.length > 1024 || v.some(isLarge);
  if (v !== null && typeof v === "object") return Object.values(v).some(isLarge);
  return false;
}

/** JSON.stringify(v) in pieces, byte for byte: a huge string value is escaped a slice at a time. */
export function* compactChunks(v: Json): Generator<string> {
  if (typeof v === "string" && v.length > SLICE) {
    yield '"';
    for (let i = 0; i < v.length; ) {
      let end = Math.min(v.length, i + SLICE);
      // Never cut between the two halves of a surrogate pair.
      const last = v.charCodeAt(end - 1);
      if (end < v.length && last >= 0xd800 && last <= 0xdbff) end--;
      const slice = v.slice(i, end);
      // A slice with nothing to escape is written as it is (JSON.stringify would copy it twice).
      yield NOTHING_TO_ESCAPE.test(slice) ? slice : JSON.stringify(slice).slice(1, -1);
      i = end;
    }
    yield '"';
  } else if (Array.isArray(v) && isLarge(v)) {
    yield "[";
    for (const [i, x] of v.entries()) {
      if (i > 0) yield ",";
      yield* compactChunks(x);
    }
    yield "]";
  } else if (v !== null && typeof v === "object" && !Array.isArray(v) && isLarge(v)) {
    let first = true;
    yield "{";
    for (const [k, x] of Object.entries(v)) {
      yield `${first ? "" : ","}${JSON.stringify(k)}:`;
      first = false;
      yield* compactChunks(x);
    }
    yield "}";
  } else yield JSON.stringify(v);
}

/** A step's fields of kernels.md section 8, each only when it has it (a file without them keeps its bytes). */
function syscallJson(s: StepRecord): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  if (s.reason !== undefined) out.reason = s.reason;
  const o = s.ptr_from;
  if (o !== undefined)
    out.ptr_from = { step: o.step, ...(o.index !== undefined ? { index: num(o.index) } : {}), ...(o.value !== undefined ? { value: hex(o.value) } : {}), label: o.label };
  if (s.hold !== undefined) out.hold = [...s.hold];
  return out;
}

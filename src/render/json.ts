// `--format json`: exactly format section 3. Big numbers as decimal strings, addresses as hex.
import { hex } from "../scenario/numbers.js";
import type { Expected, StepResult, Trace, TraceEvent, Value } from "../sim/events.js";

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

export function resultJson(r: StepResult | Expected): Json {
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

const ADDRESS_FIELDS = new Set(["addr"]);

export function eventJson(e: TraceEvent): Json {
  const { seq, thread, step, cpu, kind, flags, ...rest } = e;
  const out: { [k: string]: Json } = { seq, thread, step, cpu, kind };
  for (const [k, v] of Object.entries(rest)) {
    if (k === "result") out[k] = resultJson(v as StepResult);
    else if (typeof v === "bigint") out[k] = ADDRESS_FIELDS.has(k) ? hex(v) : num(v);
    else out[k] = v as Json;
  }
  out.flags = flags;
  return out;
}

/** The whole document for one file, without events when `events` is false (ndjson's last line). */
export function traceJson(t: Trace, file: string, events = true): { [k: string]: Json } {
  return {
    format: "axptr-sim-trace/1",
    scenario: { name: t.scenario.name, file },
    machine: { cpus: t.machine.cpus, strategy: t.machine.strategy, page_size: num(t.machine.page_size) },
    outcome: t.outcome,
    steps: t.steps.map((s) => ({
      thread: s.thread,
      step: s.step,
      op: s.op,
      result: resultJson(s.result),
      expected: s.expected === null ? null : resultJson(s.expected),
      met: s.met,
    })),
    ...(events ? { events: t.events.map(eventJson) } : {}),
    hazards: t.hazards.map((h) => ({ kind: h.kind, seq: h.seq, message: h.message })),
    expectations: t.expectations.map((e) => ({ what: e.what, met: e.met })),
    summary: t.summary,
  };
}

/**
 * Pretty-printed, with one event a line: a trace of thousands of events stays
 * readable and diffable, and far smaller than one key a line.
 */
export function renderJson(traces: readonly { trace: Trace; file: string }[], single: boolean): string {
  const docs = traces.map(({ trace, file }) => docText(trace, file));
  if (single) return (docs[0] ?? "null") + "\n";
  return `[\n${docs.map((d) => d.replace(/^/gm, "  ")).join(",\n")}\n]\n`;
}

function docText(trace: Trace, file: string): string {
  const head = JSON.stringify(traceJson(trace, file, false), null, 2);
  const events = trace.events.map((e) => `    ${JSON.stringify(eventJson(e))}`).join(",\n");
  // Insert "events" after "steps", as in the format spec's example.
  const at = head.indexOf(',\n  "hazards"');
  return `${head.slice(0, at)},\n  "events": [${events === "" ? "]" : `\n${events}\n  ]`}${head.slice(at)}`;
}

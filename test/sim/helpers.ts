// Shared helpers for the simulator's tests: YAML text → validated scenario → trace.
import { loadScenario, type Scenario } from "../../src/scenario/validate.js";
import { simulate, type SimulateOptions } from "../../src/sim/simulate.js";
import type { StepResult, Trace, TraceEvent } from "../../src/sim/events.js";

/** Loads a scenario, failing the test with every problem when the text is invalid. */
export function load(yaml: string): Scenario {
  const r = loadScenario(yaml, "test.yaml");
  if (!r.ok) throw new Error(`invalid scenario:\n${r.problems.map((p) => `${p.line}:${p.col} ${p.path.join(".")}: ${p.message}`).join("\n")}`);
  return r.scenario;
}

export function run(yaml: string, options: SimulateOptions = {}): Trace {
  return simulate(load(yaml), options);
}

/** The kinds of the trace's events, in order. */
export function kinds(t: Trace): string[] {
  return t.events.map((e) => e.kind);
}

/** Events of one kind. */
export function ofKind<K extends TraceEvent["kind"]>(t: Trace, kind: K): Extract<TraceEvent, { kind: K }>[] {
  return t.events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
}

/** The result of step `n` (1-based) of a thread (default: the first). */
export function result(t: Trace, step: number, thread?: string): StepResult {
  const s = t.steps.find((x) => x.step === step && (thread === undefined || x.thread === thread));
  if (!s) throw new Error(`no step ${step}`);
  return s.result;
}

/** An event without seq/thread/step/cpu/flags (and its nesting depth), for compact exact comparisons. */
export function body(e: TraceEvent): Record<string, unknown> {
  const { seq: _s, thread: _t, step: _st, cpu: _c, flags: _f, ...rest } = e;
  return rest;
}

/** The events of a step, from step-start to step-end, as kind-only strings or detailed tuples. */
export function stepEvents(t: Trace, step: number, thread?: string): TraceEvent[] {
  return t.events.filter((e) => e.step === step && (thread === undefined || e.thread === thread));
}

export function hazardKinds(t: Trace): string[] {
  return t.hazards.map((h) => h.kind);
}

export const EFAULT = { status: "err", errno: "EFAULT" } as const;
export const ENOMEM = { status: "err", errno: "ENOMEM" } as const;
export const EILSEQ = { status: "err", errno: "EILSEQ" } as const;
export const OK = { status: "ok" } as const;
export const KILLED = { status: "killed", signal: "SIGSEGV" } as const;

/** A value as short text: numbers in decimal, strings quoted, lists bracketed. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueText).join(",")}]`;
  return String(v);
}

export function resultText(r: StepResult): string {
  switch (r.status) {
    case "ok":
      return "value" in r ? `ok:${valueText(r.value)}` : "ok";
    case "err":
      return `err:${r.errno}`;
    case "panic":
      return `panic:${r.message}`;
    case "killed":
      return `killed:${r.signal}`;
    default:
      return r.status;
  }
}

const SKIP = new Set(["seq", "thread", "step", "cpu", "flags", "nested", "in_run", "reason", "detail", "message", "args"]);

/**
 * One event as a line: its kind, then its own fields as key=value in the
 * event's order (addresses in hex, other numbers decimal); the shared fields
 * and the free-text ones (reason, detail, message, args) are left out.
 */
export function brief(e: TraceEvent): string {
  const parts: string[] = [e.kind];
  for (const [k, v] of Object.entries(e)) {
    if (SKIP.has(k) || k === "kind") continue;
    if (k === "result") parts.push(`result=${resultText(v as StepResult)}`);
    else if (typeof v === "bigint" && k === "addr") parts.push(`${k}=0x${v.toString(16)}`);
    else if (typeof v === "string") parts.push(`${k}=${v}`);
    else parts.push(`${k}=${valueText(v)}`);
  }
  return parts.join(" ");
}

/** Every event of the trace as a brief line. */
export function lines(t: Trace): string[] {
  return t.events.map(brief);
}

/** The brief lines of one step's events. */
export function stepLines(t: Trace, step: number, thread?: string): string[] {
  return stepEvents(t, step, thread).map(brief);
}

/** Outcome and every step's result, as short text. */
export function results(t: Trace): string[] {
  return t.steps.map((s) => resultText(s.result));
}

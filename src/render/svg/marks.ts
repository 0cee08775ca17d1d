// What the pictures mark, read off a trace: each step's pointer range, each
// fault with the handler's decision, and the shapes that tell decisions apart
// without colour.
import { hex } from "../../scenario/numbers.js";
import type { Decision, Trace, TraceEvent } from "../../sim/events.js";
import { resultText } from "../text.js";
import { el, title } from "./xml.js";

export interface StepRange {
  thread: string;
  step: number;
  label: string;
  /** The step's pointer range [start, end) as its own (outer) checks and accesses touched it; end === start for a point. */
  start: bigint;
  end: bigint;
  result: string;
  /** Which row: the step's (`a#1`), or a nested operation's or another thread's run inside it (see rowKeys). */
  row: string;
}

export interface Fault {
  seq: number;
  thread: string;
  step: number;
  cpu: number;
  addr: bigint;
  text: string;
  decision: Decision | "undecided";
  /** The row of the memory map it is drawn on (see rowKeys). */
  row: string;
}

const shownResults = new WeakMap<object, string>();

/** A step's result as the text trace writes it, made once per result: a 64 MiB string takes a while to count. */
export function resultOnce(r: Parameters<typeof resultText>[0]): string {
  let s = shownResults.get(r);
  if (s === undefined) shownResults.set(r, (s = resultText(r)));
  return s;
}

/** The range each step's own operation checked or touched (nested operations and interrupt handlers left out). */
export function stepRanges(t: Trace): StepRange[] {
  // One pass over the events (a trace may have hundreds of thousands), then one range per row:
  // each step, followed by the nested operations and the other threads' runs inside it.
  const rows = rowKeys(t);
  const spans = new Map<string, { lo: bigint; hi: bigint }>();
  const inner = new Map<string, { key: string; label: string; result: string }[]>();
  const take = (k: string, a: bigint, b: bigint) => {
    const s = spans.get(k);
    if (!s) spans.set(k, { lo: a, hi: b });
    else {
      if (a < s.lo) s.lo = a;
      if (b > s.hi) s.hi = b;
    }
  };
  t.events.forEach((e, i) => {
    const k = rows[i] as string;
    if (e.kind === "align-check") take(k, e.addr, e.addr);
    else if (e.kind === "region-check") take(k, e.addr, e.addr + e.size);
    else if ((e.kind === "read" || e.kind === "write" || e.kind === "execute") && !e.interrupt) take(k, e.addr, e.addr + e.size);
    else if ((e.kind === "nested-result" && /\/n\d+$/.test(k)) || e.kind === "run-result") {
      // The row's own part is after its last `/`: a thread's name may hold one (`kworker/0:1`).
      const outer = k.slice(0, k.lastIndexOf("/"));
      const list = inner.get(outer) ?? [];
      const label = e.kind === "run-result" ? `${outer} ⇄ ${e.thread} ${e.op}` : `${outer} nested ${e.op}`;
      list.push({ key: k, label, result: resultOnce(e.result) });
      inner.set(outer, list);
    }
  });
  const out: StepRange[] = [];
  for (const s of t.steps) {
    const step = `${s.thread}#${s.step}`;
    const span = spans.get(step);
    if (span) out.push({ thread: s.thread, step: s.step, row: step, label: `${step} ${s.op}`, start: span.lo, end: span.hi, result: resultOnce(s.result) });
    for (const n of inner.get(step) ?? []) {
      const ns = spans.get(n.key);
      if (ns) out.push({ thread: s.thread, step: s.step, row: n.key, label: n.label, start: ns.lo, end: ns.hi, result: n.result });
    }
  }
  return out;
}

/**
 * The row each event belongs to: its step (`a#1`), a nested operation inside
 * it (`a#1/n2`: the step's second), or another thread's run inside it
 * (`a#1/r1`; its nested operations stay in that row).
 */
export function rowKeys(t: Trace): string[] {
  const out: string[] = [];
  const count = new Map<string, number>();
  let run: string | undefined;
  let nested: string | undefined;
  for (const e of t.events) {
    const step = `${e.thread}#${e.step}`;
    if (e.kind === "run") {
      const n = (count.get(`${step}/r`) ?? 0) + 1;
      count.set(`${step}/r`, n);
      out.push(step);
      run = `${step}/r${n}`;
      continue;
    }
    if (run !== undefined && (e.in_run || e.kind === "run-result")) {
      out.push(run);
      if (e.kind === "run-result") run = undefined;
      continue;
    }
    if (e.nested !== undefined) {
      if (nested === undefined) {
        const n = (count.get(`${step}/n`) ?? 0) + 1;
        count.set(`${step}/n`, n);
        nested = `${step}/n${n}`;
      }
      out.push(nested);
      if (e.kind === "nested-result" && e.nested === 1) nested = undefined;
      continue;
    }
    nested = undefined;
    out.push(step);
  }
  return out;
}

/** Every fault with the decision of the handler event that answers it (faults nest like brackets). */
export function faultsOf(t: Trace): Fault[] {
  const out: Fault[] = [];
  const open: Fault[] = [];
  const rows = rowKeys(t);
  for (const [i, e] of t.events.entries()) {
    if (e.kind === "page-fault") {
      const f: Fault = {
        row: rows[i] as string,
        seq: e.seq,
        thread: e.thread,
        step: e.step,
        cpu: e.cpu,
        addr: e.addr,
        text: `event ${e.seq}: page fault at ${hex(e.addr)}, ${e.access}, ${e.mode} mode${e.interrupt ? ", in an interrupt handler" : ""}`,
        decision: "undecided",
      };
      out.push(f);
      open.push(f);
    } else if (e.kind === "handler") {
      const f = open.pop();
      if (f) {
        f.decision = e.decision;
        f.text += `: ${e.decision} (${e.reason})`;
      }
    } else if (e.kind === "step-end") open.length = 0;
  }
  return out;
}

/** The decisions in the order the legends list them. */
export const DECISIONS = ["resolved", "fixup", "segv", "unhandled", "deadlock", "blocked", "exit", "retry"] as const;

/** Decision → a shape and a word: the picture reads in black and white too. */
export const DECISION_WORD: Record<Fault["decision"], string> = {
  resolved: "resolved",
  fixup: "fixup (EFAULT)",
  segv: "SIGSEGV",
  unhandled: "panic",
  deadlock: "deadlock",
  blocked: "blocked",
  exit: "exit (killed in the trap)",
  retry: "retry",
  undecided: "undecided",
};

/** A fault mark centred on (x, y): circle resolved, square fixup, triangle SIGSEGV, cross panic, diamond deadlock. */
export function faultMark(f: Fault, x: number, y: number): string {
  const r = 6;
  const cls = `mark fault ${f.decision}`;
  let shape: string;
  switch (f.decision) {
    case "resolved":
      shape = el("circle", { cx: x, cy: y, r });
      break;
    case "fixup":
      shape = el("rect", { x: x - r, y: y - r, width: 2 * r, height: 2 * r });
      break;
    case "segv":
      shape = el("path", { d: `M${x} ${y - r - 1}L${x + r + 1} ${y + r}L${x - r - 1} ${y + r}Z` });
      break;
    case "unhandled":
      shape = el("path", { d: `M${x - r} ${y - r}L${x + r} ${y + r}M${x + r} ${y - r}L${x - r} ${y + r}`, "stroke-width": 3.5 });
      break;
    case "deadlock":
      shape = el("path", { d: `M${x} ${y - r - 2}L${x + r + 2} ${y}L${x} ${y + r + 2}L${x - r - 2} ${y}Z` });
      break;
    case "blocked":
      // Two bars, as a pause sign: the thread sleeps on the lock.
      shape = el("rect", { x: x - r, y: y - r, width: 4, height: 2 * r }) + el("rect", { x: x + r - 4, y: y - r, width: 4, height: 2 * r });
      break;
    case "exit":
      // SIGSEGV's triangle upside down: killed, but from inside the trap.
      shape = el("path", { d: `M${x} ${y + r + 1}L${x + r + 1} ${y - r}L${x - r - 1} ${y - r}Z` });
      break;
    case "retry":
      // Two rings: the same fault again.
      shape = el("circle", { cx: x, cy: y, r }) + el("circle", { cx: x, cy: y, r: r - 3 });
      break;
    default:
      shape = el("circle", { cx: x, cy: y, r, "stroke-dasharray": "2 2" });
  }
  return `<g class="${cls}">${title(f.text)}${shape}</g>`;
}

/** The events of a trace that are injected actions, hazards or migrations, for marking. */
export function isNotable(e: TraceEvent): boolean {
  return e.kind === "injected" || e.kind === "hazard" || e.kind === "migrate";
}

// `compare`: one scenario under several strategies, side by side.
import type { RunResult, Trace } from "../sim/events.js";
import { palette } from "./colors.js";
import { resultJson, type Json } from "./json.js";
import { printable as p } from "../scenario/printable.js";
import { resultText } from "./text.js";

export interface Compared {
  strategy: string;
  /** The column's kernel, for compare --kernel all (the column is named for it). */
  kernel?: string;
  trace: Trace;
}

/** A column's heading: its kernel under --kernel all, else its strategy. */
function heading(r: Compared): string {
  return r.kernel ?? r.strategy;
}

const CELL = 24;

function cell(s: string): string {
  // Cut in code points: a cut must not split a surrogate pair.
  const chars = Array.from(s);
  return chars.length <= CELL ? s : chars.slice(0, CELL - 1).join("") + "…";
}

/** A cell: a panic's message is in the JSON and in `run`; here the word is enough to compare. */
function shortResult(r: RunResult): string {
  return r.status === "panic" ? "panic" : resultText(r);
}

/** What a `run` action's thread did in one run: its result, or none when it ended the whole run. */
export interface RunDone {
  thread: string;
  step: number;
  to: string;
  op: string;
  result: RunResult | undefined;
}

/** Every `run` action that happened, in order, with its run-result (matched innermost first). */
export function runsOf(t: Trace): RunDone[] {
  const out: RunDone[] = [];
  const open: RunDone[] = [];
  for (const e of t.events) {
    if (e.kind === "run") {
      const r: RunDone = { thread: e.thread, step: e.step, to: e.to, op: e.op, result: undefined };
      out.push(r);
      open.push(r);
    } else if (e.kind === "run-result") {
      const r = open.pop();
      if (r) r.result = e.result;
    }
  }
  return out;
}

/** The kth run during one step, as a cell: its result, the run's end when it ended the run, `-` when it never ran. */
function runCell(t: Trace, thread: string, step: number, k: number): string {
  const r = runsOf(t).filter((x) => x.thread === thread && x.step === step)[k];
  if (!r) return "-";
  return r.result ? shortResult(r.result) : t.outcome;
}

/** `kernel`: the kernel named (in the file or by --kernel; `all` for --kernel all), said only then. */
export function renderCompareText(name: string, file: string, runs: readonly Compared[], color: boolean, kernel?: string): string {
  const c = palette(color);
  const first = runs[0]?.trace;
  const rows: [string, string[]][] = [];
  for (const [i, s] of (first?.steps ?? []).entries()) {
    rows.push([`${p(s.thread)}#${s.step} ${s.op}`, runs.map((r) => shortResult(r.trace.steps[i]?.result ?? { status: "not-run" }))]);
    // Another thread switched in during this step: its run-result under each strategy.
    const during = runs.map((r) => runsOf(r.trace).filter((x) => x.thread === s.thread && x.step === s.step));
    const most = Math.max(0, ...during.map((d) => d.length));
    for (let k = 0; k < most; k++) {
      const label = during.map((d) => d[k]).find((x) => x !== undefined);
      rows.push([`  ↳ run ${p(label?.to ?? "?")} ${label?.op ?? ""}`.trimEnd(), runs.map((r) => runCell(r.trace, s.thread, s.step, k))]);
    }
  }
  rows.push(["outcome", runs.map((r) => r.trace.outcome)]);
  rows.push(["faults (resolved)", runs.map((r) => `${r.trace.summary.faults} (${r.trace.summary.resolved})`)]);
  rows.push(["hazards", runs.map((r) => (r.trace.hazards.length === 0 ? "none" : [...new Set(r.trace.hazards.map((h) => h.kind))].join(", ")))]);
  const labelW = Math.max(8, ...rows.map(([l]) => l.length));
  // Values are cut to keep columns narrow; the hazard kinds never are (a few fixed words, and the point of the row).
  const fit = (label: string, x: string) => (label === "hazards" ? x : cell(x));
  const widths = runs.map((r, j) => Math.max(heading(r).length, ...rows.map(([label, cells]) => fit(label, cells[j] ?? "").length)));
  // The last cell is not padded: trailing blanks inside a colour's escapes would survive trimEnd.
  const line = (label: string, cells: string[], style: (s: string, j: number) => string = (s) => s) =>
    [label.padEnd(labelW), ...cells.map((x, j) => style(j === cells.length - 1 ? fit(label, x) : fit(label, x).padEnd(widths[j] ?? 0), j))].join("  ").trimEnd();
  const out = [
    `${c.bold("scenario")}  ${p(name)}`,
    `${c.bold("file")}      ${p(file)}`,
    ...(kernel === "all" ? [`${c.bold("kernels")}   each column's kernel, under its own strategy (${runs.map((r) => `${heading(r)}: ${r.strategy}`).join(", ")})`] : kernel !== undefined ? [`${c.bold("kernel")}    ${kernel}`] : []),
    "",
    c.bold(line("", runs.map(heading))),
    ...rows.map(([label, cells]) =>
      line(label, cells, (s, j) => {
        const raw = cells[j] ?? "";
        if (label === "hazards") return raw === "none" ? s : c.warn(s);
        return /^(panic|killed|deadlock|step-limit|livelock)/.test(raw) ? c.bad(s) : raw.startsWith("ok") || raw === "completed" ? c.ok(s) : s;
      }),
    ),
  ];
  return out.join("\n") + "\n";
}

/** `kernel`: the kernel named (in the file or by --kernel; `all` for --kernel all); `extra`: fields the CLI adds at the end (`unexplored_races`, for a file with races). */
export function renderCompareJson(name: string, file: string, runs: readonly Compared[], kernel?: string, extra: { readonly [k: string]: Json } = {}): string {
  // `runs` appears only where another thread was switched in under some strategy: other documents stay as they were.
  const switched = runs.some(({ trace }) => runsOf(trace).length > 0);
  const doc: Json = {
    format: "axptr-sim-compare/1",
    scenario: { name, file },
    ...(kernel !== undefined ? { machine: { kernel } } : {}),
    strategies: runs.map(({ strategy, kernel: k, trace }) => ({
      strategy,
      ...(k !== undefined ? { kernel: k } : {}),
      outcome: trace.outcome,
      steps: trace.steps.map((s) => ({ thread: s.thread, step: s.step, op: s.op, result: resultJson(s.result) })),
      // Each run action that happened: result null when its operation ended the whole run.
      ...(switched ? { runs: runsOf(trace).map((r) => ({ thread: r.thread, step: r.step, to: r.to, op: r.op, result: r.result ? resultJson(r.result) : null })) } : {}),
      faults: trace.summary.faults,
      resolved: trace.summary.resolved,
      hazards: trace.hazards.map((h) => ({ kind: h.kind, seq: h.seq, message: h.message })),
    })),
    ...extra,
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

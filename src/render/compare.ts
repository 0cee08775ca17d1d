// `compare`: one scenario under several strategies, side by side.
import type { StepResult, Trace } from "../sim/events.js";
import { palette } from "./colors.js";
import { resultJson, type Json } from "./json.js";
import { resultText } from "./text.js";

export interface Compared {
  strategy: string;
  trace: Trace;
}

const CELL = 24;

function cell(s: string): string {
  // Cut in code points: a cut must not split a surrogate pair.
  const chars = Array.from(s);
  return chars.length <= CELL ? s : chars.slice(0, CELL - 1).join("") + "…";
}

/** A cell: a panic's message is in the JSON and in `run`; here the word is enough to compare. */
function shortResult(r: StepResult): string {
  return r.status === "panic" ? "panic" : resultText(r);
}

export function renderCompareText(name: string, file: string, runs: readonly Compared[], color: boolean): string {
  const c = palette(color);
  const first = runs[0]?.trace;
  const rows: [string, string[]][] = [];
  for (const [i, s] of (first?.steps ?? []).entries()) {
    rows.push([`${s.thread}#${s.step} ${s.op}`, runs.map((r) => shortResult(r.trace.steps[i]?.result ?? { status: "not-run" }))]);
  }
  rows.push(["outcome", runs.map((r) => r.trace.outcome)]);
  rows.push(["faults (resolved)", runs.map((r) => `${r.trace.summary.faults} (${r.trace.summary.resolved})`)]);
  rows.push(["hazards", runs.map((r) => (r.trace.hazards.length === 0 ? "none" : [...new Set(r.trace.hazards.map((h) => h.kind))].join(", ")))]);
  const labelW = Math.max(8, ...rows.map(([l]) => l.length));
  const widths = runs.map((r, j) => Math.max(r.strategy.length, ...rows.map(([, cells]) => cell(cells[j] ?? "").length)));
  // The last cell is not padded: trailing blanks inside a colour's escapes would survive trimEnd.
  const line = (label: string, cells: string[], style: (s: string, j: number) => string = (s) => s) =>
    [label.padEnd(labelW), ...cells.map((x, j) => style(j === cells.length - 1 ? cell(x) : cell(x).padEnd(widths[j] ?? 0), j))].join("  ").trimEnd();
  const out = [
    `${c.bold("scenario")}  ${name}`,
    `${c.bold("file")}      ${file}`,
    "",
    c.bold(line("", runs.map((r) => r.strategy))),
    ...rows.map(([label, cells]) =>
      line(label, cells, (s, j) => {
        const raw = cells[j] ?? "";
        if (label === "hazards") return raw === "none" ? s : c.warn(s);
        return /^(panic|killed|deadlock|step-limit)/.test(raw) ? c.bad(s) : raw.startsWith("ok") || raw === "completed" ? c.ok(s) : s;
      }),
    ),
  ];
  return out.join("\n") + "\n";
}

export function renderCompareJson(name: string, file: string, runs: readonly Compared[]): string {
  const doc: Json = {
    format: "axptr-sim-compare/1",
    scenario: { name, file },
    strategies: runs.map(({ strategy, trace }) => ({
      strategy,
      outcome: trace.outcome,
      steps: trace.steps.map((s) => ({ thread: s.thread, step: s.step, op: s.op, result: resultJson(s.result) })),
      faults: trace.summary.faults,
      resolved: trace.summary.resolved,
      hazards: trace.hazards.map((h) => ({ kind: h.kind, seq: h.seq, message: h.message })),
    })),
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

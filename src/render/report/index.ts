// `report FILE… -o report.html`: one self-contained HTML page (inline CSS and
// SVG; no script, no font or image from anywhere), per scenario: a summary,
// the memory map, the state timeline, the steps and the text trace.
//
// Extension point: a scenario may bring `sections` of its own, drawn after
// the pictures (the exploration of a file's races adds its classes there, each
// with its witness's timeline from `renderTimeline`).
import type { Trace } from "../../sim/events.js";
import { renderMemoryMap } from "../svg/memory-map.js";
import { renderTimeline } from "../svg/timeline.js";
import { xml } from "../svg/xml.js";
import { resultOnce as resultText } from "../svg/marks.js";
import { kernelWords, textChunks } from "../text.js";
import { CSS } from "./style.js";

/** Extra content for one scenario's part of the report, HTML made by a renderer (escaped there). */
export interface ReportSection {
  /** A short id, unique within the scenario (`explore`), for the anchor. */
  id: string;
  title: string;
  html: string;
}

export interface ReportScenario {
  file: string;
  trace: Trace;
  sections?: readonly ReportSection[];
}

export interface ReportOptions {
  /** Unused (HTML has its own colours); kept so every renderer takes the same options. */
  color: boolean;
}

/** The text trace in the report is cut after this many lines (`run` prints it whole). */
export const MAX_TRACE_LINES = 3000;

/** The marker that tells `report` a file is one of its own reports (it may then be replaced). */
export const GENERATOR = "axptr-sim report";

export function renderReport(items: readonly ReportScenario[], opts: ReportOptions): string {
  void opts;
  const title = items.length === 1 && items[0] ? `axptr-sim report: ${items[0].trace.scenario.name}` : `axptr-sim report: ${items.length} scenarios`;
  const parts: string[] = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta name="generator" content="${GENERATOR}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${xml(title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    '<header class="top">',
    `<h1>axptr-sim report</h1>`,
    "<p>Made by axptr-sim: each scenario's summary, memory map, state timeline, steps and text trace.</p>",
  ];
  if (items.length > 1) {
    parts.push("<nav><ol>");
    items.forEach((it, i) => parts.push(`<li><a href="#s${i + 1}">${xml(it.trace.scenario.name)}</a> ${outcomeBadge(it.trace)}</li>`));
    parts.push("</ol></nav>");
  }
  parts.push("</header>");
  items.forEach((it, i) => parts.push(scenarioSection(it, `s${i + 1}`)));
  parts.push("</body>", "</html>", "");
  return parts.join("\n");
}

function scenarioSection(it: ReportScenario, id: string): string {
  const t = it.trace;
  const out: string[] = [`<section class="scenario" id="${id}">`, `<h2>${xml(t.scenario.name)}</h2>`, `<p class="file mono">${xml(it.file)}</p>`];
  if (t.scenario.description) out.push(`<p class="description">${xml(t.scenario.description)}</p>`);
  out.push(summary(t));
  const map = renderMemoryMap(t);
  if (map) {
    out.push(
      `<h3 id="${id}-memory">Memory map</h3>`,
      `<figure class="memory">${map}<figcaption>Areas (boxes, with their permissions) and their pages at the start and at the end of the run; under them, the range each step's pointer covered, and each fault at its address with the handler's decision. Not to scale: pages nothing touched fold into one cell.</figcaption></figure>`,
    );
  }
  out.push(
    `<h3 id="${id}-timeline">State timeline</h3>`,
    `<figure class="timeline">${renderTimeline(t)}<figcaption>${xml(stateCaption(t))} Hover a mark for its event.</figcaption></figure>`,
  );
  for (const s of it.sections ?? []) out.push(`<h3 id="${id}-${xml(s.id)}">${xml(s.title)}</h3>`, s.html);
  out.push(`<h3 id="${id}-steps">Steps</h3>`, steps(t));
  out.push(`<h3 id="${id}-trace">Trace</h3>`, `<pre class="trace">${xml(traceText(t, it.file))}</pre>`);
  out.push("</section>");
  return out.join("\n");
}

function stateCaption(t: Trace): string {
  switch (t.machine.strategy) {
    case "percpu-flag":
      return "One lane per CPU: its ACCESSING_USER_MEM flag over the events (raised while true).";
    case "per-thread-flag":
      return "One lane per thread: its flag over the events (raised while true).";
    case "nesting-counter":
      return "One lane per thread: its counter over the events (raised while above 0, with the count).";
    case "global-flag":
      return "One lane: the machine's one ACCESSING_USER_MEM flag over the events (raised while true).";
    default:
      return `One lane per CPU: ${t.machine.strategy} keeps no state, so the lanes carry only the marks.`;
  }
}

function outcomeBadge(t: Trace): string {
  return `<span class="badge ${t.outcome === "completed" ? "good" : "bad"}">${xml(t.outcome)}</span>`;
}

function summary(t: Trace): string {
  const m = t.machine;
  const frames = m.frames === "unlimited" ? "frames unlimited" : `${m.frames} frame${m.frames === 1n ? "" : "s"}`;
  const rows: [string, string][] = [
    ["machine", xml(`${m.cpus} CPU${m.cpus === 1 ? "" : "s"}, ${kernelWords(m.kernel)}strategy ${m.strategy}, page ${Number(m.page_size) / 1024} KiB, ${frames}, lock ${m.aspace_lock}`)],
    ["outcome", outcomeBadge(t)],
    ["faults", xml(`${t.summary.faults} (${t.summary.resolved} resolved) in ${t.summary.events} events`)],
    [
      "hazards",
      t.hazards.length === 0
        ? "none"
        : `<ul class="checks">${t.hazards.map((h) => `<li><span class="badge warn">⚠ ${xml(h.kind)}</span> event ${h.seq}: ${xml(h.message)}</li>`).join("")}</ul>`,
    ],
  ];
  const checks = [
    ...t.steps.filter((s) => s.met !== null).map((s) => ({ met: s.met === true, what: `${s.thread}#${s.step} ${s.op}: expected ${resultText(s.expected ?? { status: "not-run" })}, got ${resultText(s.result)}` })),
    ...t.expectations.map((e) => ({ met: e.met, what: `run: ${e.what}` })),
  ];
  const ex = t.summary.expectations;
  rows.push([
    "expectations",
    checks.length === 0
      ? "none"
      : `${ex.failed === 0 ? `<span class="badge good">${ex.met} met</span>` : `<span class="badge bad">${ex.failed} failed</span> ${ex.met} met`}<ul class="checks">${checks
          .map((c) => `<li class="${c.met ? "met" : "failed"}">${c.met ? "✓" : "✗"} ${xml(c.what)}</li>`)
          .join("")}</ul>`,
  ]);
  if (t.unfired.length > 0) {
    rows.push(["unfired", `<ul class="checks">${t.unfired.map((u) => `<li>events.${u.event} (${xml(u.when)}) never fired: ${xml(u.why)}</li>`).join("")}</ul>`]);
  }
  return `<dl class="summary">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>`;
}

function steps(t: Trace): string {
  const rows = t.steps.map((s) => {
    const mark = s.met === null ? "" : s.met ? '<span class="met">✓</span>' : '<span class="failed">✗</span>';
    const expected = s.expected === null ? "" : xml(resultText(s.expected));
    return `<tr><td>${mark}</td><td class="mono">${xml(`${s.thread}#${s.step}`)}</td><td class="mono">${xml(`${s.op} ${s.args}`.trimEnd())}</td><td class="mono">${xml(resultText(s.result) + (s.reason !== undefined ? ` (${s.reason})` : ""))}</td><td class="mono">${expected}</td></tr>`;
  });
  return `<table class="steps"><thead><tr><th></th><th>step</th><th>call</th><th>result</th><th>expected</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** The text trace without colour, cut after MAX_TRACE_LINES lines. */
function traceText(t: Trace, file: string): string {
  const lines: string[] = [];
  let total = 0;
  for (const chunk of textChunks(t, file, { color: false })) {
    total++;
    if (lines.length < MAX_TRACE_LINES) lines.push(chunk);
  }
  if (total > MAX_TRACE_LINES) lines.push(`… ${total - MAX_TRACE_LINES} more lines: axptr-sim run ${file} prints them all\n`);
  return lines.join("");
}

// The flag timeline as SVG: one lane per place the strategy keeps its state
// (a CPU's ACCESSING_USER_MEM, a thread's flag or counter; one lane per CPU
// for the strategies without state), the state over the events (a raised
// block while "accessing", a thin line while not), the steps as bands, and
// faults, injected events, hazards and migrations as marks with a <title>.
import type { Trace, TraceEvent } from "../../sim/events.js";
import { genericText } from "../generic.js";
import { DECISIONS, faultMark, faultsOf, DECISION_WORD } from "./marks.js";
import { FONT, fitText, textWidth } from "./type.js";
import { el, text, title, xml } from "./xml.js";

// Room for 14-unit lane names (type.ts), bands' 13-unit labels, and 12-unit thread names under a lane's baseline.
const LEFT = 240;
const RIGHT = 24;
const TOP = 48;
const LANE = 60;
/** A lane's baseline, above its bottom: room for the name of the thread running on the CPU. */
const UNDER = 20;
/** More marks than this are left out (the text trace has every event); a note says how many. */
export const MAX_MARKS = 2000;
/** Marks of one kind closer than this (in SVG units) in one lane are drawn as one. */
const BUCKET = 6;

/** The kind of mark an event makes, or undefined for events that make none (kinds added later make a generic one). */
function markClass(e: TraceEvent, decision: string | undefined): string | undefined {
  switch (e.kind) {
    case "page-fault":
      return `fault ${decision ?? "undecided"}`;
    case "injected":
    case "hazard":
    case "migrate":
    case "run":
      return e.kind;
    case "run-result":
      return e.result.status === "blocked" ? "blocked" : undefined;
    case "step-start":
    case "align-check":
    case "region-check":
    case "populate":
    case "page-mapped":
    case "flag-set":
    case "flag-clear":
    case "page-check":
    case "read":
    case "write":
    case "execute":
    case "handler":
    case "interrupt":
    case "lock":
    case "nested-result":
    case "step-end":
      return undefined;
    default:
      return "other";
  }
}

export interface Lane {
  key: string;
  label: string;
  /** False for the strategies that keep no state (none, exception-table). */
  stateful: boolean;
}

/** The lanes: the strategy's state keys, or one per CPU when it keeps none. */
export function lanesOf(t: Trace): Lane[] {
  const s = t.machine.strategy;
  if (t.stateKeys.length === 0) {
    return Array.from({ length: t.machine.cpus }, (_, i) => ({ key: `cpu${i}`, label: `cpu${i}: no state`, stateful: false }));
  }
  const label = (k: string) =>
    s === "percpu-flag" || s === "global-flag" ? `ACCESSING_USER_MEM ${k}` : s === "per-thread-flag" ? `flag of thread ${k}` : s === "nesting-counter" ? `counter of thread ${k}` : `${s} ${k}`;
  return t.stateKeys.map((k) => ({ key: k, label: label(k), stateful: true }));
}

/** The lane an event happens in: its CPU's or its thread's. */
function laneKey(t: Trace, e: TraceEvent): string {
  const s = t.machine.strategy;
  return s === "per-thread-flag" || s === "nesting-counter" ? e.thread : `cpu${e.cpu}`;
}

const accessing = (v: boolean | number | undefined) => v === true || (typeof v === "number" && v > 0);

export function renderTimeline(t: Trace): string {
  const events = t.events;
  const n = Math.max(1, events.length);
  const plotW = Math.min(1100, Math.max(680, n * 16));
  const dx = plotW / n;
  const lanes = lanesOf(t);
  const laneIndex = new Map(lanes.map((l, i) => [l.key, i]));
  const width = LEFT + plotW + RIGHT;
  const xOf = (i: number) => LEFT + i * dx;
  const yOf = (key: string) => TOP + (laneIndex.get(key) ?? 0) * LANE;
  const parts: string[] = [];

  // Steps as bands behind the lanes, labelled on top.
  let bandStart = 0;
  let band = 0;
  events.forEach((e, i) => {
    const next = events[i + 1];
    if (next !== undefined && next.step === e.step && !(next.kind === "step-start" && next.nested === undefined)) return;
    const first = events[bandStart] as TraceEvent;
    const label = first.kind === "step-start" ? `${first.thread}#${first.step} ${first.op}` : `${first.thread}#${first.step}`;
    const x0 = xOf(bandStart);
    const w = (i + 1 - bandStart) * dx;
    parts.push(
      `<g class="band${band % 2 ? " odd" : ""}">${title(`${label}: events ${first.seq}..${e.seq}`)}${el("rect", { x: x0, y: TOP - 26, width: w, height: lanes.length * LANE + 26 })}${text({ x: x0 + 3, y: TOP - 9, class: "bandlabel" }, fitText(label, w - 6, FONT.body))}</g>`,
    );
    band++;
    bandStart = i + 1;
  });

  // Lanes: label, baseline, and the state as runs of equal value.
  for (const lane of lanes) {
    const y = yOf(lane.key);
    const base = y + LANE - UNDER;
    const runs: string[] = [];
    if (lane.stateful) {
      let from = 0;
      for (let i = 0; i <= events.length; i++) {
        const v = events[i]?.flags[lane.key];
        const prev = events[from]?.flags[lane.key];
        if (i < events.length && v === prev) continue;
        if (from < events.length) runs.push(stateRun(lane.key, prev, events[from] as TraceEvent, events[i - 1] as TraceEvent, xOf(from), (i - from) * dx, base));
        from = i;
      }
    }
    // Under a CPU's lane, which thread runs there: a migration shows as the thread leaving one lane for another.
    if (lane.key.startsWith("cpu") && !(t.machine.strategy === "per-thread-flag" || t.machine.strategy === "nesting-counter")) {
      const cpu = Number(lane.key.slice(3));
      let from = -1;
      for (let i = 0; i <= events.length; i++) {
        const e = events[i];
        const here = e !== undefined && e.cpu === cpu;
        const same = here && from >= 0 && (events[from] as TraceEvent).thread === e.thread && (events[i - 1] as TraceEvent).cpu === cpu;
        if (same) continue;
        if (from >= 0) {
          const name = (events[from] as TraceEvent).thread;
          const w = (i - from) * dx;
          runs.push(
            `<g class="running">${title(`${name} runs on ${lane.key} (events ${(events[from] as TraceEvent).seq}..${(events[i - 1] as TraceEvent).seq})`)}${el("rect", { x: xOf(from), y: base + 3, width: w, height: 3 })}${w >= 24 ? text({ x: xOf(from) + 2, y: base + 15 }, fitText(name, w - 4, FONT.small)) : ""}</g>`,
          );
        }
        from = here ? i : -1;
      }
    }
    parts.push(
      `<g class="lane" data-lane="${xml(lane.key)}">${text({ x: 8, y: base - 6, class: "lanelabel" }, fitText(lane.label, LEFT - 16, FONT.heading))}${el("line", { x1: LEFT, y1: base, x2: LEFT + plotW, y2: base, class: lane.stateful ? "baseline" : "baseline nostate" })}${runs.join("")}</g>`,
    );
  }

  // Marks: faults (shape by decision), injected actions, hazards, migrations, and kinds added later.
  const faults = new Map(faultsOf(t).map((f) => [f.seq, f]));
  // Marks of one kind that would overlap (a long run packs many events into a pixel) are drawn once, their title counting the rest.
  const buckets = new Map<string, { first: number; count: number; lastSeq: number }>();
  const bucketOf = (e: TraceEvent, i: number): string | undefined => {
    const cls = markClass(e, faults.get(e.seq)?.decision);
    return cls === undefined ? undefined : `${laneKey(t, e)}|${cls}|${Math.floor((xOf(i) + dx / 2) / BUCKET)}`;
  };
  events.forEach((e, i) => {
    const key = bucketOf(e, i);
    if (key === undefined) return;
    const b = buckets.get(key);
    if (b) (b.count++, (b.lastSeq = e.seq));
    else buckets.set(key, { first: i, count: 1, lastSeq: e.seq });
  });
  let marks = 0;
  let skipped = 0;
  events.forEach((e, i) => {
    const key = bucketOf(e, i);
    const b = key === undefined ? undefined : buckets.get(key);
    if (!b || b.first !== i) return;
    const more = b.count > 1 ? ` (and ${b.count - 1} more like it up to event ${b.lastSeq})` : "";
    const x = xOf(i) + dx / 2;
    const y = yOf(laneKey(t, e)) + LANE / 2 - 6;
    let mark: string | undefined;
    switch (e.kind) {
      case "page-fault": {
        const f = faults.get(e.seq);
        if (f) mark = faultMark({ ...f, text: f.text + more }, x, y) + (dx >= textWidth(DECISION_WORD[f.decision], FONT.small) + 4 ? text({ x, y: y - 11, class: "decision", "text-anchor": "middle" }, DECISION_WORD[f.decision]) : "");
        break;
      }
      case "injected":
        // A race's event (a replayed schedule) says which race it is, in its title and beside the bolt.
        mark =
          e.race === undefined
            ? `<g class="mark injected">${title(`event ${e.seq}: injected${e.by ? ` by ${e.by}` : ""}: ${e.detail}${more}`)}${el("path", { d: bolt(x, y) })}</g>`
            : `<g class="mark injected race" data-race="${xml(e.race)}">${title(`event ${e.seq}: race ${e.race}${e.by ? ` by ${e.by}` : ""}: ${e.detail}${more}`)}${el("path", { d: bolt(x, y) })}${text({ x: x + 7, y: y - 9, class: "racelabel" }, e.race)}</g>`;
        break;
      case "hazard":
        mark = `<g class="mark hazard">${title(`event ${e.seq}: HAZARD ${e.hazard}: ${e.message}${more}`)}${el("path", { d: `M${x} ${y - 8}L${x + 8} ${y + 6}L${x - 8} ${y + 6}Z` })}${text({ x, y: y + 4.5, "text-anchor": "middle" }, "!")}</g>`;
        break;
      case "migrate": {
        const from = laneIndex.has(`cpu${e.from}`) ? yOf(`cpu${e.from}`) + LANE / 2 - 6 : y;
        const to = laneIndex.has(`cpu${e.to}`) ? yOf(`cpu${e.to}`) + LANE / 2 - 6 : y;
        const dir = to >= from ? 1 : -1;
        mark =
          `<g class="mark migrate">${title(`event ${e.seq}: thread ${e.thread} moves cpu${e.from} → cpu${e.to}${more}`)}` +
          (from === to
            ? text({ x, y: y - 8, "text-anchor": "middle" }, `→cpu${e.to}`)
            : el("path", { d: `M${x} ${from}L${x} ${to - dir * 4}M${x - 4} ${to - dir * 9}L${x} ${to - dir * 3}L${x + 4} ${to - dir * 9}` })) +
          "</g>";
        break;
      }
      case "run":
        // Another thread is switched in: a double arrow in the lane of the CPU (or thread) it preempts.
        mark = `<g class="mark run">${title(`event ${e.seq}: thread ${e.to} switched in on cpu${e.to_cpu}${e.by ? ` by ${e.by}` : ""}: ${e.op} ${e.args}${more}`.trimEnd())}${el("path", { d: `M${x - 7} ${y - 3}L${x + 7} ${y - 3}M${x + 3} ${y - 7}L${x + 7} ${y - 3}L${x + 3} ${y + 1}M${x + 7} ${y + 4}L${x - 7} ${y + 4}M${x - 3} ${y}L${x - 7} ${y + 4}L${x - 3} ${y + 8}` })}</g>`;
        break;
      case "run-result":
        if (e.result.status === "blocked") mark = `<g class="mark blocked">${title(`event ${e.seq}: thread ${e.thread}'s ${e.op} is blocked (${e.lock !== undefined ? `lock ${e.lock}` : "the address-space lock"} is held by ${e.blocked_by ?? "another thread"})${more}`)}${el("rect", { x: x - 5, y: y - 6, width: 3.5, height: 12 })}${el("rect", { x: x + 1.5, y: y - 6, width: 3.5, height: 12 })}</g>`;
        break;
      default:
        // A kind added after this renderer (markClass gives it "other"; the kinds it gives no mark never get here): a small tick, named in its title.
        mark = `<g class="mark other">${title(`event ${(e as TraceEvent).seq}: ${genericText(e as TraceEvent)}${more}`)}${el("rect", { x: x - 2, y: y - 6, width: 4, height: 12 })}</g>`;
    }
    if (mark === undefined) return;
    if (marks >= MAX_MARKS) skipped++;
    else (parts.push(mark), marks++);
  });

  // The event axis.
  const step = tickStep(dx, textWidth(String(events[events.length - 1]?.seq ?? 0), FONT.small) + 8);
  const axisY = TOP + lanes.length * LANE + 4;
  const ticks: string[] = [];
  for (let i = 0; i < events.length; i += step) {
    const x = xOf(i) + dx / 2;
    ticks.push(el("line", { x1: x, y1: axisY, x2: x, y2: axisY + 4 }) + text({ x, y: axisY + 17, "text-anchor": "middle" }, String((events[i] as TraceEvent).seq)));
  }
  parts.push(`<g class="axis">${text({ x: 8, y: axisY + 17, class: "rowlabel" }, "event #")}${ticks.join("")}</g>`);
  if (skipped > 0) parts.push(text({ x: LEFT, y: axisY + 36, class: "note" }, `${skipped} more marks not drawn (the text trace has every event)`));
  const cpuLanes = !(t.machine.strategy === "per-thread-flag" || t.machine.strategy === "nesting-counter");
  const key = legend(8, axisY + (skipped > 0 ? 62 : 46), width - 8, lanes.some((l) => l.stateful), cpuLanes, new Set([...faults.values()].map((f) => f.decision)), new Set(events.map((e) => (e.kind === "injected" && e.race !== undefined ? "race" : e.kind))));
  parts.push(key.svg);
  const height = key.bottom + 12;
  // A viewBox and no width or height: the picture takes its container's width (or a slide's) and its text scales with it.
  return `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 ${width} ${height}" role="img" aria-label="state timeline of ${xml(t.scenario.name)}">${parts.join("")}</svg>`;
}

function stateRun(key: string, v: boolean | number | undefined, first: TraceEvent, last: TraceEvent, x: number, w: number, base: number): string {
  const shown = v === undefined ? "-" : String(v);
  const tip = `${key} = ${shown} (events ${first.seq}..${last.seq})`;
  if (!accessing(v)) return `<g class="state off">${title(tip)}${el("rect", { x, y: base - 3, width: w, height: 3 })}</g>`;
  const label = typeof v === "number" ? String(v) : "accessing";
  return `<g class="state on">${title(tip)}${el("rect", { x, y: base - 22, width: w, height: 22, rx: 2 })}${w >= textWidth(label, FONT.small) + 8 ? text({ x: x + 4, y: base - 7 }, label) : ""}</g>`;
}

/** A lightning bolt centred on (x, y): an injected action. */
function bolt(x: number, y: number): string {
  return `M${x + 2} ${y - 9}L${x - 5} ${y + 1}L${x} ${y + 1}L${x - 2} ${y + 9}L${x + 5} ${y - 1}L${x} ${y - 1}Z`;
}

/** Events between ticks: the fewest that leave `room` (the widest event number and a gap) between them. */
function tickStep(dx: number, room: number): number {
  for (const s of [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000]) if (s * dx >= room) return s;
  return 200000;
}

/**
 * The legend from (x, top): the marks the picture holds, in rows that wrap at
 * `right`, the fault decisions on rows of their own. `bottom` is where its
 * last row ends.
 */
function legend(x: number, top: number, right: number, stateful: boolean, cpuLanes: boolean, decisions: ReadonlySet<string>, kinds: ReadonlySet<string>): { svg: string; bottom: number } {
  const ROW = 22;
  let y = top;
  const items: string[] = [];
  let at = x;
  const item = (mark: string, label: string) => {
    const w = 16 + textWidth(label, FONT.body) + 18;
    if (at > x && at + w > right) (at = x), (y += ROW);
    items.push(`<g transform="translate(${at} ${y})">${mark}${text({ x: 16, y: 4, class: "legendtext" }, label)}</g>`);
    at += w;
  };
  if (stateful) {
    item(`<g class="state on">${el("rect", { x: 0, y: -7, width: 12, height: 12, rx: 2 })}</g>`, "raised: accessing user memory");
    item(`<g class="state off">${el("rect", { x: 0, y: 2, width: 12, height: 3 })}</g>`, "flat: not");
  }
  if (kinds.has("injected")) item(`<g class="mark injected">${el("path", { d: bolt(6, 0) })}</g>`, "injected event");
  // A replayed schedule's races: the same bolt, labelled with the race's name.
  if (kinds.has("race")) item(`<g class="mark injected race">${el("path", { d: bolt(6, 0) })}</g>`, "race (its name beside it)");
  if (kinds.has("hazard")) item(`<g class="mark hazard">${el("path", { d: "M6 -8L14 6L-2 6Z" })}${text({ x: 6, y: 4.5, "text-anchor": "middle" }, "!")}</g>`, "hazard");
  if (kinds.has("migrate")) item(`<g class="mark migrate">${el("path", { d: "M6 -8L6 6M2 1L6 7L10 1" })}</g>`, "migration");
  if (kinds.has("run")) item(`<g class="mark run">${el("path", { d: "M-1 -3L13 -3M9 -7L13 -3L9 1M13 4L-1 4M3 0L-1 4L3 8" })}</g>`, "thread switched in");
  if (cpuLanes) item(`<g class="running">${el("rect", { x: 0, y: 0, width: 12, height: 3 })}</g>`, "thread running on the CPU");
  const shown = DECISIONS.filter((d) => decisions.has(d));
  if (shown.length > 0 && items.length > 0) (at = x), (y += ROW);
  for (const d of shown) {
    item(faultMark({ seq: 0, thread: "", step: 0, cpu: 0, addr: 0n, row: "", text: `fault ${DECISION_WORD[d]}`, decision: d }, 6, 0), `fault: ${DECISION_WORD[d]}`);
  }
  return { svg: `<g class="legend">${items.join("")}</g>`, bottom: y + 10 };
}

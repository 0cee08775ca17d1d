// The memory map as SVG: every area as a box with its name and permissions,
// its pages present or not at the start and at the end of the run, each
// step's pointer range, and every fault at its address with the handler's
// decision. Address space is huge and sparse, so the axis is not to scale:
// pages that matter get a cell each, runs of other pages and unmapped gaps
// get one narrow cell, labelled with what they hold.
import { hex } from "../../scenario/numbers.js";
import type { Trace } from "../../sim/events.js";
import { pagePresent, type AreaSnapshot, type MemorySnapshot } from "../../sim/memory-map.js";
import { DECISIONS, faultMark, faultsOf, stepRanges, DECISION_WORD, type Fault } from "./marks.js";
import { FONT, fitText, textWidth } from "./type.js";
import { el, text, title, xml } from "./xml.js";

type Segment =
  | { kind: "page"; from: bigint; to: bigint; x: number; w: number }
  | { kind: "skip"; from: bigint; to: bigint; x: number; w: number }
  | { kind: "hole"; from: bigint; to: bigint; x: number; w: number };

// Room for 14-unit row names and 13-unit step labels on the left (type.ts), a folded run's "⋯N" in its cell.
const LEFT = 220;
const CELL = 56;
const SKIP = 52;
const HOLE = 44;
/**
 * At least as wide as the narrowest timeline (timeline.ts: 240 + 680 + 24):
 * in the report both pictures take the page's width, so a map of a few pages
 * would otherwise be drawn larger than the timeline under it, its text too.
 */
const MIN_WIDTH = 944;
/** At most this many page cells; beyond, the least telling pages fold into runs. */
export const MAX_CELLS = 40;
const TOP = 44;
const ROW = 30;
const STEP_ROW = 42;
const U64_END = 1n << 64n;

const areaName = (a: AreaSnapshot) => a.name ?? `area ${hex(a.start)}`;

/** The memory map of one run; `undefined` when the trace has no memory snapshot. */
export function renderMemoryMap(t: Trace): string | undefined {
  const mem = t.memory;
  if (!mem) return undefined;
  const P = mem.start.pageSize;
  const ranges = stepRanges(t);
  const faults = faultsOf(t);
  const faultsByStep = new Map<string, Fault[]>();
  for (const f of faults) {
    const list = faultsByStep.get(f.row);
    if (list) list.push(f);
    else faultsByStep.set(f.row, [f]);
  }
  const spans = mergedSpans([...mem.start.areas, ...mem.end.areas]);

  // Pages that deserve a cell, most telling first.
  // A Set keeps insertion order: the first MAX_CELLS are the most telling. Big runs map thousands of pages; stop early.
  const wanted = new Set<bigint>();
  const want = (addr: bigint) => {
    if (wanted.size >= MAX_CELLS) return;
    const page = addr - (addr % P);
    if (spans.some(([s, e]) => page >= s && page < e)) wanted.add(page);
  };
  for (const f of faults) want(f.addr);
  for (const r of ranges) {
    want(r.start);
    if (r.end > r.start) want(r.end - 1n);
  }
  for (const snap of [mem.start, mem.end]) for (const a of snap.areas) (want(a.start), want(a.end - P));
  for (const snap of [mem.start, mem.end]) for (const a of snap.areas) for (const p of a.flipped) if (wanted.size < MAX_CELLS) want(p);
  for (const r of ranges) for (let p = r.start - (r.start % P); p < r.end && wanted.size < MAX_CELLS; p += P) want(p);
  const cells = wanted;

  // Marks outside every area need a hole to sit in, before, between or after the areas.
  const outside = [...faults.map((f) => f.addr), ...ranges.flatMap((r) => [r.start, r.end > r.start ? r.end - 1n : r.start])].filter(
    (a) => !spans.some(([s, e]) => a >= s && a < e),
  );
  const segments: Segment[] = [];
  let x = LEFT;
  const push = (kind: Segment["kind"], from: bigint, to: bigint) => {
    const w = kind === "page" ? CELL : kind === "skip" ? SKIP : HOLE;
    segments.push({ kind, from, to, x, w } as Segment);
    x += w;
  };
  const first = spans[0];
  if (first === undefined || outside.some((a) => a < first[0])) push("hole", 0n, first ? first[0] : U64_END);
  spans.forEach(([s, e], i) => {
    let skipFrom: bigint | undefined;
    for (let p = s; p < e; p += P) {
      if (cells.has(p)) {
        if (skipFrom !== undefined) push(skipFrom === p - P ? "page" : "skip", skipFrom, p);
        skipFrom = undefined;
        push("page", p, p + P);
      } else {
        skipFrom ??= p;
        // Jump over long runs of pages without cells: an area may have billions of pages.
        const next = [...cells].filter((c) => c > p && c < e).reduce<bigint | undefined>((m, c) => (m === undefined || c < m ? c : m), undefined);
        p = (next ?? e) - P;
      }
    }
    if (skipFrom !== undefined) push(e - skipFrom === P ? "page" : "skip", skipFrom, e);
    const next = spans[i + 1];
    if (next) push("hole", e, next[0]);
    else if (outside.some((a) => a >= e)) push("hole", e, U64_END);
  });
  const axisEnd = x;
  // On the right, each step's range in 12-unit monospace.
  const rangeText = (r: { start: bigint; end: bigint }) => `${hex(r.start)}..${hex(r.end)}`;
  const right = 14 + Math.max(120, ...ranges.map((r) => textWidth(rangeText(r), FONT.small))) + 12;
  const width = Math.max(MIN_WIDTH, x + right);

  const xAt = (addr: bigint, end = false): number => {
    const probe = end && addr > 0n ? addr - 1n : addr;
    const seg = segments.find((g) => probe >= g.from && probe < g.to) ?? segments[segments.length - 1];
    if (!seg) return LEFT;
    if (seg.kind === "hole") return seg.x + seg.w / 2;
    const span = seg.to - seg.from;
    const off = addr - seg.from;
    return seg.x + (seg.w * Number((off * 1000n) / span)) / 1000;
  };

  const parts: string[] = [];
  // The end row's changed areas are labelled under it, then the slanted addresses.
  const rowY = { start: TOP, end: TOP + ROW + 18 };
  const addrY = rowY.end + ROW + 30;
  const stepsY = addrY + 88;

  // Row labels.
  parts.push(text({ x: 8, y: rowY.start + ROW / 2 + 4, class: "rowlabel" }, "at the start"));
  parts.push(text({ x: 8, y: rowY.end + ROW / 2 + 4, class: "rowlabel" }, "at the end"));

  for (const [which, snap] of [["start", mem.start], ["end", mem.end]] as const) {
    const y = rowY[which];
    parts.push(`<g class="row ${which}">`);
    for (const seg of segments) parts.push(cellOf(seg, snap, y, P));
    for (const a of snap.areas) {
      const x0 = xAt(a.start);
      const x1 = xAt(a.end, true);
      parts.push(
        `<g class="area" data-area="${xml(areaName(a))}">${title(`${areaName(a)}: ${hex(a.start)}..${hex(a.end)}, ${a.perm}, ${pagesText((a.end - a.start) / P)} (${which === "start" ? "at the start" : "at the end"})`)}${el("rect", { x: x0, y: y - 2, width: x1 - x0, height: ROW + 4, rx: 3 })}</g>`,
      );
      if (which === "start" || !mem.start.areas.some((b) => b.start === a.start && b.end === a.end && b.perm === a.perm)) {
        const label = `${areaName(a)} ${a.perm}`;
        // The label may run on over the folded or unmapped cells up to the next area.
        const nextX = snap.areas.filter((b) => b.start >= a.end).reduce((m, b) => Math.min(m, xAt(b.start)), width - 8);
        const ly = which === "start" ? y - 9 : y + ROW + 16;
        parts.push(text({ x: x0 + 2, y: ly, class: "arealabel" }, fitText(label, nextX - x0 - 6, FONT.heading)));
      }
    }
    parts.push("</g>");
  }

  // Addresses under the cells, slanted so long ones fit.
  for (const seg of segments) {
    if (seg.kind === "hole") continue;
    const ax = seg.x + 3;
    parts.push(text({ x: ax, y: addrY, class: "addr", transform: `rotate(35 ${ax} ${addrY})` }, hex(seg.from)));
  }

  // Steps: a bar over the range each touched, faults on the step's row.
  parts.push(text({ x: 8, y: stepsY - 26, class: "rowlabel" }, "steps (pointer ranges)"));
  ranges.forEach((r, i) => {
    const y = stepsY + i * STEP_ROW;
    // The pages the range touches (light), and the exact bytes (dark, at least a sliver): a string of 6 bytes in a 4 KiB page still shows.
    const p0 = xAt(r.start - (r.start % P));
    const lastPage = (r.end > r.start ? r.end - 1n : r.start) - ((r.end > r.start ? r.end - 1n : r.start) % P);
    const p1 = xAt(lastPage + P, true);
    const x0 = xAt(r.start);
    const x1 = r.end > r.start ? xAt(r.end, true) : x0;
    const exact = el("rect", { x: Math.min(x0, x1) - (Math.abs(x1 - x0) < 4 ? 2 : 0), y: y - 5, width: Math.max(4, Math.abs(x1 - x0)), height: 10, rx: 1, class: "bytes" });
    parts.push(
      `<g class="range">${title(`${r.label} ${hex(r.start)}..${hex(r.end)} → ${r.result}`)}${text({ x: 8, y: y + 4, class: "steplabel" }, fitText(r.label, LEFT - 20, FONT.body))}${el("rect", { x: Math.min(p0, p1), y: y - 8, width: Math.max(4, Math.abs(p1 - p0)), height: 16, rx: 2, class: "pages" })}${exact}${text({ x: axisEnd + 14, y: y + 4, class: "addr" }, rangeText(r))}</g>`,
    );
    // Faults of one decision on one cell are one mark, its title counting them (a long scan faults on every lazy page).
    const marks = new Map<string, { f: Fault; x: number; count: number }>();
    for (const f of faultsByStep.get(r.row) ?? []) {
      const fx = xAt(f.addr);
      const key = `${Math.round(fx / 8)}|${f.decision}`;
      const m = marks.get(key);
      if (m) m.count++;
      else marks.set(key, { f, x: fx, count: 1 });
    }
    const labelled = marks.size <= 12;
    for (const { f, x: fx, count } of marks.values()) {
      parts.push(faultMark(count > 1 ? { ...f, text: `${f.text} (and ${count - 1} more faults here)` } : f, fx, y));
      if (labelled) parts.push(text({ x: fx, y: y + 22, class: "decision", "text-anchor": "middle" }, DECISION_WORD[f.decision]));
    }
  });
  if (ranges.length === 0) parts.push(text({ x: LEFT, y: stepsY + 4, class: "steplabel" }, "no step touched user memory"));

  const key = legend(8, stepsY + Math.max(1, ranges.length) * STEP_ROW + 8, width - 8, new Set(faults.map((f) => f.decision)));
  parts.push(key.svg);
  const height = key.bottom + 12;
  // A viewBox and no width or height: the picture takes its container's width (or a slide's) and its text scales with it.
  return `<svg xmlns="http://www.w3.org/2000/svg" class="memory-map" viewBox="0 0 ${width} ${height}" role="img" aria-label="memory map of ${xml(t.scenario.name)}">${parts.join("")}</svg>`;
}

/** The union of the areas' spans, as [start, end) pairs in address order. */
function mergedSpans(areas: readonly AreaSnapshot[]): [bigint, bigint][] {
  const sorted = [...areas].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const a of sorted) {
    const last = out[out.length - 1];
    if (last && a.start <= last[1]) last[1] = a.end > last[1] ? a.end : last[1];
    else out.push([a.start, a.end]);
  }
  return out;
}

function cellOf(seg: Segment, snap: MemorySnapshot, y: number, P: bigint): string {
  if (seg.kind === "hole") {
    return `<g class="hole">${title(`no area: ${hex(seg.from)}..${seg.to === U64_END ? "2^64" : hex(seg.to)}`)}${el("line", { x1: seg.x + 4, y1: y + ROW / 2, x2: seg.x + seg.w - 4, y2: y + ROW / 2 })}</g>`;
  }
  const area = snap.areas.find((a) => seg.from >= a.start && seg.from < a.end);
  if (!area) return `<g class="hole">${title(`no area here at this moment: ${hex(seg.from)}..${hex(seg.to)}`)}${el("line", { x1: seg.x + 4, y1: y + ROW / 2, x2: seg.x + seg.w - 4, y2: y + ROW / 2 })}</g>`;
  if (seg.kind === "page") {
    const present = pagePresent(area, seg.from);
    return `<g class="page ${present ? "present" : "absent"}">${title(`page ${hex(seg.from)}: ${present ? "present" : "not present"}`)}${el("rect", { x: seg.x + 3, y: y + 3, width: seg.w - 6, height: ROW - 6, rx: 2 })}${text({ x: seg.x + seg.w / 2, y: y + ROW / 2 + 4, "text-anchor": "middle" }, present ? "●" : "○")}</g>`;
  }
  const pages = (seg.to - seg.from) / P;
  const flipped = BigInt(area.flipped.filter((p) => p >= seg.from && p < seg.to).length);
  const present = area.presentByDefault ? pages - flipped : flipped;
  const cls = present === 0n ? "absent" : present === pages ? "present" : "mixed";
  return `<g class="page run ${cls}">${title(`${pages} pages ${hex(seg.from)}..${hex(seg.to)}: ${present} present`)}${el("rect", { x: seg.x + 3, y: y + 3, width: seg.w - 6, height: ROW - 6, rx: 2 })}${text({ x: seg.x + seg.w / 2, y: y + ROW / 2 + 4, "text-anchor": "middle" }, `⋯${pages}`)}</g>`;
}

/** The legend from (x, top), in rows that wrap at `right`, the fault decisions on rows of their own; `bottom` is where it ends. */
function legend(x: number, top: number, right: number, decisions: ReadonlySet<string>): { svg: string; bottom: number } {
  const ROW_H = 24;
  let y = top;
  const items: string[] = [];
  let at = x;
  const item = (mark: string, label: string) => {
    const w = 18 + textWidth(label, FONT.body) + 18;
    if (at > x && at + w > right) (at = x), (y += ROW_H);
    items.push(`<g transform="translate(${at} ${y})">${mark}${text({ x: 18, y: 4, class: "legendtext" }, label)}</g>`);
    at += w;
  };
  item(`<g class="page present">${el("rect", { x: 0, y: -7, width: 14, height: 14, rx: 2 })}</g>`, "● present page");
  item(`<g class="page absent">${el("rect", { x: 0, y: -7, width: 14, height: 14, rx: 2 })}</g>`, "○ not present");
  item(`<g class="page run mixed">${el("rect", { x: 0, y: -7, width: 14, height: 14, rx: 2 })}</g>`, "⋯N pages folded into one cell");
  item(`<g class="range">${el("rect", { x: 0, y: -7, width: 14, height: 14, rx: 2, class: "pages" })}${el("rect", { x: 5, y: -4, width: 4, height: 8, class: "bytes" })}</g>`, "a step's pages, and its bytes");
  const shown = DECISIONS.filter((d) => decisions.has(d));
  if (shown.length > 0) (at = x), (y += ROW_H);
  for (const d of shown) {
    item(faultMark({ seq: 0, thread: "", step: 0, cpu: 0, addr: 0n, row: "", text: `fault ${DECISION_WORD[d]}`, decision: d }, 7, 0), `fault: ${DECISION_WORD[d]}`);
  }
  return { svg: `<g class="legend">${items.join("")}</g>`, bottom: y + 10 };
}

function pagesText(n: bigint): string {
  return `${n} page${n === 1n ? "" : "s"}`;
}

// The pictures' stylesheet, for both places they are drawn: inside the HTML
// report (colours from the page's variables) and alone in an .svg file for a
// slide (colours written out: slide tools and SVG viewers do not all know CSS
// variables). Sizes come from type.ts, which the layout uses too.
import { FONT } from "./type.js";

/** The colours the pictures use. */
export interface Palette {
  ink: string;
  dim: string;
  line: string;
  paper: string;
  band: string;
  ok: string;
  bad: string;
  on: string;
  onBg: string;
  absent: string;
  present: string;
}

/** The report's colours, as its stylesheet's variables. */
export const PAGE_COLOURS: Palette = {
  ink: "var(--ink)",
  dim: "var(--dim)",
  line: "var(--line)",
  paper: "var(--paper)",
  band: "var(--band)",
  ok: "var(--ok)",
  bad: "var(--bad)",
  on: "var(--on)",
  onBg: "var(--on-bg)",
  absent: "var(--absent)",
  present: "var(--present)",
};

/** The same colours written out (the values of the report's variables). */
export const PLAIN_COLOURS: Palette = {
  ink: "#1d232a",
  dim: "#5b6672",
  line: "#c9d1d9",
  paper: "#ffffff",
  band: "#f4f6f8",
  ok: "#1f7a44",
  bad: "#b3261e",
  on: "#2f6fb3",
  onBg: "#d7e7f8",
  absent: "#ffffff",
  present: "#4f8f68",
};

const SANS = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
const MONO = 'ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace';

/** The rules for the pictures' classes, every selector under `svg`. */
export function svgStyle(c: Palette): string {
  return `
svg text { font-family: ${SANS}; font-size: ${FONT.body}px; fill: ${c.ink}; }
svg .addr, svg .note { font-size: ${FONT.small}px; fill: ${c.dim}; font-family: ${MONO}; }
svg .rowlabel, svg .lanelabel { font-weight: 600; font-size: ${FONT.heading}px; }
svg .arealabel { font-weight: 600; font-size: ${FONT.heading}px; }
svg .steplabel, svg .bandlabel { font-size: ${FONT.body}px; fill: ${c.dim}; }
svg .decision { font-size: ${FONT.small}px; font-weight: 600; }
svg .area rect { fill: none; stroke: ${c.ink}; stroke-width: 1.6; }
svg .page rect { stroke: ${c.present}; stroke-width: 1; }
svg .page text { font-size: ${FONT.small}px; }
svg .page.present rect { fill: ${c.present}; }
svg .page.present text { fill: #ffffff; }
svg .page.absent rect { fill: ${c.absent}; stroke-dasharray: 3 2; }
svg .page.absent text { fill: ${c.dim}; }
svg .page.mixed rect { fill: #a9cbb6; }
svg .hole line { stroke: ${c.dim}; stroke-width: 1.2; stroke-dasharray: 1 3; }
svg .range rect.pages { fill: ${c.onBg}; stroke: ${c.on}; stroke-width: 1; }
svg .range rect.bytes { fill: ${c.on}; }
svg .band rect { fill: ${c.paper}; }
svg .band.odd rect { fill: ${c.band}; }
svg .baseline { stroke: ${c.line}; stroke-width: 1; }
svg .baseline.nostate { stroke-dasharray: 4 3; stroke: ${c.dim}; }
svg .state.off rect { fill: ${c.dim}; }
svg .state.on rect { fill: ${c.onBg}; stroke: ${c.on}; stroke-width: 1.2; }
svg .state.on text { fill: ${c.on}; font-weight: 600; font-size: ${FONT.small}px; }
svg .mark.fault * { stroke: ${c.ink}; stroke-width: 1.4; }
svg .mark.fault.resolved * { fill: ${c.ok}; }
svg .mark.fault.fixup * { fill: #d9a520; }
svg .mark.fault.segv * { fill: ${c.bad}; }
svg .mark.fault.unhandled * { stroke: ${c.bad}; stroke-width: 3.5; fill: none; }
svg .mark.fault.deadlock * { fill: #7b3fa0; }
svg .mark.fault.exit * { fill: ${c.bad}; }
svg .mark.fault.retry * { fill: none; stroke: #7b3fa0; stroke-width: 2; }
svg .mark.fault.undecided * { fill: ${c.paper}; }
svg .mark.fault.blocked *, svg .mark.blocked rect { fill: ${c.dim}; }
svg .mark.run path { fill: none; stroke: ${c.on}; stroke-width: 1.6; }
svg .mark.injected path { fill: #f2b705; stroke: ${c.ink}; stroke-width: 1; }
svg .mark.injected.race path { stroke-width: 1.6; }
svg .racelabel { font-size: ${FONT.small}px; font-weight: 700; }
svg .mark.hazard path { fill: #f59e0b; stroke: ${c.ink}; stroke-width: 1; }
svg .mark.hazard text { font-weight: 700; font-size: ${FONT.small}px; }
svg .mark.migrate path { fill: none; stroke: ${c.ink}; stroke-width: 1.6; }
svg .mark.migrate text { font-size: ${FONT.small}px; }
svg .mark.other rect { fill: ${c.dim}; }
svg .running rect { fill: ${c.dim}; opacity: .35; }
svg .running text { font-size: ${FONT.small}px; fill: ${c.dim}; }
svg .axis line { stroke: ${c.dim}; }
svg .axis text { font-size: ${FONT.small}px; fill: ${c.dim}; }
svg .axis text.rowlabel { font-size: ${FONT.body}px; }
svg .legendtext, svg .legendtext text { font-size: ${FONT.body}px; fill: ${c.dim}; }
`;
}

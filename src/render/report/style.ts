// The report's one stylesheet, inline: system fonts only (no network), colours
// that print, and SVG marks whose shapes carry the meaning as well.
export const CSS = `
:root { --ink: #1d232a; --dim: #5b6672; --line: #c9d1d9; --paper: #ffffff; --band: #f4f6f8;
  --ok: #1f7a44; --ok-bg: #e3f4e9; --bad: #b3261e; --bad-bg: #fbe4e2; --warn: #8a5a00; --warn-bg: #fff1d6;
  --on: #2f6fb3; --on-bg: #d7e7f8; --absent: #ffffff; --present: #4f8f68; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; color: var(--ink); background: var(--paper);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 0 0 2px; }
h3 { font-size: 14px; margin: 20px 0 6px; text-transform: uppercase; letter-spacing: .04em; color: var(--dim); }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
a { color: var(--on); }
header.top p { color: var(--dim); margin: 0 0 12px; }
nav ol { margin: 0; padding-left: 20px; }
section.scenario { border-top: 2px solid var(--ink); margin-top: 28px; padding-top: 14px; }
.file { color: var(--dim); margin: 0 0 8px; }
.description { max-width: 60em; margin: 6px 0 10px; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.summary dt { font-weight: 600; }
dl.summary dd { margin: 0; }
ul.checks { list-style: none; padding: 0; margin: 0; }
.badge { display: inline-block; padding: 0 7px; border-radius: 9px; font-weight: 600; font-size: 12.5px; border: 1px solid currentColor; }
.badge.good { color: var(--ok); background: var(--ok-bg); }
.badge.bad { color: var(--bad); background: var(--bad-bg); }
.badge.warn { color: var(--warn); background: var(--warn-bg); }
.met { color: var(--ok); } .failed { color: var(--bad); font-weight: 600; }
figure { margin: 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--dim); font-size: 12.5px; margin-top: 4px; }
table.steps { border-collapse: collapse; }
table.steps th, table.steps td { border-bottom: 1px solid var(--line); padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
table.steps th { font-size: 12.5px; color: var(--dim); }
pre.trace { background: var(--band); border: 1px solid var(--line); padding: 10px 12px; overflow-x: auto; white-space: pre; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 11px; fill: var(--ink); }
svg .addr, svg .note { font-size: 10px; fill: var(--dim); font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
svg .rowlabel, svg .lanelabel { font-weight: 600; }
svg .arealabel { font-weight: 600; font-size: 11.5px; }
svg .steplabel, svg .bandlabel { font-size: 10.5px; fill: var(--dim); }
svg .decision { font-size: 10px; font-weight: 600; }
svg .area rect { fill: none; stroke: var(--ink); stroke-width: 1.6; }
svg .page rect { stroke: var(--present); stroke-width: 1; }
svg .page.present rect { fill: var(--present); }
svg .page.present text { fill: #ffffff; }
svg .page.absent rect { fill: var(--absent); stroke-dasharray: 3 2; }
svg .page.absent text { fill: var(--dim); }
svg .page.mixed rect { fill: #a9cbb6; }
svg .hole line { stroke: var(--dim); stroke-width: 1.2; stroke-dasharray: 1 3; }
svg .range rect.pages { fill: var(--on-bg); stroke: var(--on); stroke-width: 1; }
svg .range rect.bytes { fill: var(--on); }
svg .band rect { fill: var(--paper); }
svg .band.odd rect { fill: var(--band); }
svg .baseline { stroke: var(--line); stroke-width: 1; }
svg .baseline.nostate { stroke-dasharray: 4 3; stroke: var(--dim); }
svg .state.off rect { fill: var(--dim); }
svg .state.on rect { fill: var(--on-bg); stroke: var(--on); stroke-width: 1.2; }
svg .state.on text { fill: var(--on); font-weight: 600; font-size: 10.5px; }
svg .mark.fault * { stroke: var(--ink); stroke-width: 1.4; }
svg .mark.fault.resolved * { fill: var(--ok); }
svg .mark.fault.fixup * { fill: #d9a520; }
svg .mark.fault.segv * { fill: var(--bad); }
svg .mark.fault.unhandled * { stroke: var(--bad); stroke-width: 3.5; fill: none; }
svg .mark.fault.deadlock * { fill: #7b3fa0; }
svg .mark.fault.exit * { fill: var(--bad); }
svg .mark.fault.retry * { fill: none; stroke: #7b3fa0; stroke-width: 2; }
svg .mark.fault.undecided * { fill: var(--paper); }
svg .mark.fault.blocked *, svg .mark.blocked rect { fill: var(--dim); }
svg .mark.run path { fill: none; stroke: var(--on); stroke-width: 1.6; }
svg .mark.injected path { fill: #f2b705; stroke: var(--ink); stroke-width: 1; }
svg .mark.injected.race path { stroke-width: 1.6; }
svg .racelabel { font-size: 10px; font-weight: 700; }
.dim { color: var(--dim); }
div.races ol.classes { padding-left: 0; list-style: none; }
div.races li.class { border-left: 4px solid var(--line); padding: 4px 0 8px 12px; margin: 10px 0; }
div.races li.class.violates { border-left: 4px double var(--bad); }
div.races li.class p { margin: 2px 0; }
div.races ul.steps { margin: 2px 0; }
code.replay { background: var(--band); padding: 0 4px; }
svg .mark.hazard path { fill: #f59e0b; stroke: var(--ink); stroke-width: 1; }
svg .mark.hazard text { font-weight: 700; font-size: 10px; }
svg .mark.migrate path { fill: none; stroke: var(--ink); stroke-width: 1.6; }
svg .mark.other rect { fill: var(--dim); }
svg .running rect { fill: var(--dim); opacity: .35; }
svg .running text { font-size: 9.5px; fill: var(--dim); }
svg .axis line { stroke: var(--dim); }
svg .axis text { font-size: 10px; fill: var(--dim); }
svg .legendtext, svg .legendtext text { font-size: 10.5px; fill: var(--dim); }
@media print {
  body { padding: 0; font-size: 11pt; }
  nav { display: none; }
  section.scenario + section.scenario { break-before: page; }
  section.scenario { border-top: none; }
  figure, table.steps tr, dl.summary, div.races li.class { break-inside: avoid; }
  pre.trace { white-space: pre-wrap; font-size: 8.5pt; background: none; }
  a { color: inherit; text-decoration: none; }
}
`;

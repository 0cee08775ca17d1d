// The report's one stylesheet, inline: system fonts only (no network), colours
// that print, and SVG marks whose shapes carry the meaning as well (their
// rules in ../svg/style.ts, shared with the pictures drawn alone).
import { PAGE_COLOURS, svgStyle } from "../svg/style.js";

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
/* The pictures have a viewBox and no size of their own: they take the page's width, and their text grows with it. */
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--dim); font-size: 12.5px; margin-top: 4px; }
table.steps { border-collapse: collapse; }
table.steps th, table.steps td { border-bottom: 1px solid var(--line); padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
table.steps th { font-size: 12.5px; color: var(--dim); }
pre.trace { background: var(--band); border: 1px solid var(--line); padding: 10px 12px; overflow-x: auto; white-space: pre; }
${svgStyle(PAGE_COLOURS)}.dim { color: var(--dim); }
div.races ol.classes { padding-left: 0; list-style: none; }
div.races li.class { border-left: 4px solid var(--line); padding: 4px 0 8px 12px; margin: 10px 0; }
div.races li.class.violates { border-left: 4px double var(--bad); }
div.races li.class p { margin: 2px 0; }
div.races ul.steps { margin: 2px 0; }
code.replay { background: var(--band); padding: 0 4px; }
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

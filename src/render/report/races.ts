// The report's "Races" section (issue 11): the exploration of a file's races
// with its own settings, as `check` makes the outcome golden. A summary line,
// then every class: count and share, outcome, step results, hazards, whether
// it violates (a word and a mark, not colour alone), its witness with the
// exact replay command and, for the first classes, the witness's own state
// timeline with the races' events marked and named.
import type { ExploreClass, ExploreResult } from "../../explore/explore.js";
import type { Trace } from "../../sim/events.js";
import { replayCommand } from "../explore-text.js";
import { renderTimeline } from "../svg/timeline.js";
import { xml } from "../svg/xml.js";
import { resultText } from "../text.js";
import type { ReportSection } from "./index.js";

/** At most this many classes get their witness's timeline (each is a full run drawn). */
export const MAX_RACE_TIMELINES = 20;

export interface RacesOptions {
  /** The file as the replay command names it. */
  file: string;
  /** The strategy to name in the replay command, when it is not the file's own. */
  strategyArg?: string;
  /** The --kernel the replay command repeats (report --kernel NAME). */
  kernelArg?: string;
  /** The file's `explore.never` and `hazards`, to say why a class violates. */
  never: readonly string[];
  hazardsForbidden: boolean;
  /** The cap the caller gave timelineClasses, for the line that says so (default MAX_RACE_TIMELINES). */
  maxTimelines?: number;
}

/**
 * Which classes (indices into `r.classes`, ascending) get a timeline: the
 * violating ones first, then the others, in class order, at most `max`.
 * A violation is what a reader most needs to see, even past the cap.
 */
export function timelineClasses(r: ExploreResult, max: number = MAX_RACE_TIMELINES): number[] {
  const idx = r.classes.map((_, i) => i);
  const chosen = [...idx.filter((i) => (r.classes[i] as ExploreClass).violates), ...idx.filter((i) => !(r.classes[i] as ExploreClass).violates)].slice(0, Math.max(0, max));
  return chosen.sort((a, b) => a - b);
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : word.endsWith("s") ? "es" : "s"}`;
}

function share(count: number, total: number): string {
  return `${((100 * count) / Math.max(total, 1)).toFixed(1)}%`;
}

function why(cl: ExploreClass, o: RacesOptions): string {
  const reasons: string[] = [];
  if (o.never.includes(cl.outcome)) reasons.push(`never: ${cl.outcome}`);
  if (o.hazardsForbidden && cl.hazards.length > 0) reasons.push("hazards: forbidden");
  return reasons.join(", ");
}

/**
 * The section. `witnesses` holds the witness trace of each class to draw
 * (by index into `r.classes`; see timelineClasses); the others are listed
 * without a timeline, and a line says how many.
 */
export function renderRaces(r: ExploreResult, witnesses: ReadonlyMap<number, Trace>, o: RacesOptions): ReportSection {
  const violating = r.classes.filter((c) => c.violates).length;
  const verdict =
    r.violations === 0
      ? `<span class="badge good">✓ no violations</span>`
      : `<span class="badge bad">✗ ${xml(plural(violating, "class"))} violating (${xml(plural(r.violations, "schedule"))})</span>`;
  const settings = [
    `depth ${r.depth}`,
    `strategy ${r.machine.strategy}`,
    `never: ${o.never.length === 0 ? "nothing" : o.never.join(", ")}`,
    `hazards: ${o.hazardsForbidden ? "forbidden" : "allowed"}`,
  ].join(", ");
  const out: string[] = [
    `<div class="races">`,
    `<p class="races-summary">${xml(`${plural(r.schedules, "schedule")}, ${plural(r.classes.length, "class")}`)}: ${verdict} <span class="dim">(${xml(settings)})</span></p>`,
    `<p class="dim">Every way the file's races can fire up to the depth, run once each and grouped by what came out (as <code>axptr-sim explore ${xml(o.file)}</code> prints it). Each class names its witness, the first schedule that gave it, and the command that runs it.</p>`,
    `<ol class="classes">`,
  ];
  r.classes.forEach((cl, i) => out.push(classItem(cl, i, r, witnesses.get(i), o)));
  out.push("</ol>");
  const drawn = r.classes.filter((_, i) => witnesses.has(i)).length;
  const left = r.classes.length - drawn;
  if (left > 0) {
    out.push(
      `<p class="races-more">${xml(`Timelines are drawn for ${drawn} of the ${plural(r.classes.length, "class")} (at most ${o.maxTimelines ?? MAX_RACE_TIMELINES}: the violating ones first, then in class order); ${left} more ${left === 1 ? "class is" : "classes are"} listed without one: run the replay command to see its witness.`)}</p>`,
    );
  }
  out.push("</div>");
  return { id: "races", title: "Races", html: out.join("\n") };
}

function classItem(cl: ExploreClass, i: number, r: ExploreResult, witness: Trace | undefined, o: RacesOptions): string {
  const n = i + 1;
  const mark = cl.violates ? `<span class="badge bad verdict">✗ VIOLATES ${xml(why(cl, o))}</span>` : `<span class="badge good verdict">✓ allowed</span>`;
  const outcome = `<span class="badge ${cl.outcome === "completed" ? "good" : "bad"}">${xml(cl.outcome)}</span>`;
  const head = `<p class="classhead">${mark} <b>class ${n}</b>: ${xml(plural(cl.count, "schedule"))} (${share(cl.count, r.schedules)}), outcome ${outcome}</p>`;
  const steps = `<ul class="checks steps">${cl.steps.map((s) => `<li class="mono">${xml(`${s.thread}#${s.step} ${s.op}: ${resultText(s.result)}`)}</li>`).join("")}</ul>`;
  const hazards = cl.hazards.length === 0 ? `<p>hazards: none</p>` : `<p>hazards: ${cl.hazards.map((h) => `<span class="badge warn">⚠ ${xml(h)}</span>`).join(" ")}</p>`;
  const token = cl.witness === "" ? "(the schedule where no race fires)" : cl.witness;
  const replay = `<p>witness: <code>${xml(token)}</code> (schedule ${cl.witnessIndex} of the exploration); replay: <code class="replay">${xml(replayCommand(o.file, cl.witness, o.strategyArg, o.kernelArg))}</code></p>`;
  const parts = [`<li class="class${cl.violates ? " violates" : ""}" data-class="${n}">`, head, steps, hazards, replay];
  if (witness !== undefined) {
    const races = [...new Set(witness.events.flatMap((e) => (e.kind === "injected" && e.race !== undefined ? [e.race] : [])))];
    const caption =
      races.length === 0
        ? "The witness's state timeline: no race fires in it."
        : `The witness's state timeline; each race that fires is a ⚡ mark labelled with its name (${races.join(", ")}). Hover a mark for its event.`;
    parts.push(`<figure class="timeline witness">${renderTimeline(witness)}<figcaption>${xml(caption)}</figcaption></figure>`);
  }
  parts.push("</li>");
  return parts.join("\n");
}

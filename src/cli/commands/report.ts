import { dirname } from "node:path";
import { explore, TooManySchedules, type ExploreClass } from "../../explore/explore.js";
import { witnessTrace } from "../../explore/witness.js";
import { GENERATOR, renderReport, type ReportSection } from "../../render/report/index.js";
import { renderRaces, timelineClasses } from "../../render/report/races.js";
import { TraceTooLarge } from "../../sim/machine.js";
import type { StrategyName } from "../../sim/simulate.js";
import { InputError, UsageError } from "../errors.js";
import { entryAt, headOf, readOnlyMessage, removeStaleTemporaries, writeAtomically, writeFailure } from "../files.js";
import { printable } from "../../scenario/printable.js";
import { loadAll, simulateLoaded, type Loaded } from "../io.js";
import { grouped } from "./explore.js";
import { limitName, parseDuration, parseMax, scheduleLimit, timed, TimeUp, type ScheduleLimit } from "../limits.js";
import { checkStrategyOption, withKernel } from "../kernel.js";
import type { KernelName } from "../../scenario/kernels.js";
import { svgCommand, type Picture } from "./report-svg.js";

export interface ReportOptions {
  /** Required for the HTML; with --svg, none is standard output. */
  output?: string;
  /** One picture alone, as an SVG file (report-svg.ts). */
  svg?: Picture;
  force: boolean;
  strategy?: StrategyName;
  /** --kernel: overrides the file's machine.kernel (kernels.md section 1). */
  kernel?: KernelName;
  /** Refuse a file whose races would need more schedules than this (default: the file's explore.max_schedules, else explore's). */
  maxSchedules?: string;
  /** --max-duration SECONDS: stop (exit 2) an exploration of a file's races that takes longer. */
  maxDuration?: string;
}

/**
 * `report FILE… -o OUT`: the HTML report, written to OUT (writeAtomically: a
 * temporary file beside it, then renamed) or to standard output for `-o -`.
 * An existing OUT is replaced only when it is an earlier axptr-sim report, or
 * with --force: nothing else the user wrote is overwritten.
 */
export function reportCommand(files: readonly string[], opts: ReportOptions): { stdout?: string; stderr?: string } {
  if (opts.svg !== undefined) return svgCommand(files, { ...opts, svg: opts.svg });
  if (opts.output === undefined) throw new UsageError("required option '-o, --output <file>' not specified: the HTML file to write (- for standard output), or --svg timeline|memory for one picture");
  const output = opts.output;
  // Both checked before anything runs: a typo in either is said at once.
  parseMax(opts.maxSchedules);
  const seconds = parseDuration(opts.maxDuration);
  // The kernel in effect is put on each file before anything runs (its vm_* steps checked against it).
  const loaded = loadAll(files).map((l) => (checkStrategyOption(l, opts.strategy, opts.kernel), withKernel(l, opts.kernel)));
  const html = renderReport(
    loaded.map((l) => {
      const races = racesSection(l, opts.strategy, scheduleLimit(opts.maxSchedules, l.scenario), seconds, opts.kernel);
      return { file: l.file, trace: simulateLoaded(l, opts.strategy ? { strategy: opts.strategy } : {}), ...(races ? { sections: [races] } : {}) };
    }),
    { color: false },
  );
  if (output === "-") return { stdout: html };
  const mode = replaceable(output, opts.force);
  const removed = removeStaleTemporaries(dirname(output));
  writeAtomically(output, html, "report", { ...(mode !== undefined ? { mode } : {}), failure: `cannot write ${output}` });
  const said = removed.map((t) => `axptr-sim: removed ${printable(t)} (left behind by an interrupted write)\n`).join("");
  return { stderr: `${said}axptr-sim: wrote ${printable(output)} (${loaded.length} scenario${loaded.length === 1 ? "" : "s"})\n` };
}

/**
 * A file with races: its exploration with the file's depth and the report's
 * strategy (the file's, as check's outcome golden, unless --strategy), and
 * the witness runs of the classes that get a timeline.
 */
function racesSection(l: Loaded, strategy: StrategyName | undefined, limit: ScheduleLimit, seconds: number | undefined, kernel?: KernelName): ReportSection | undefined {
  const s = l.scenario;
  if (s.races.length === 0) return undefined;
  const depth = s.explore?.depth ?? 1;
  const used = strategy ?? s.machine.strategy;
  try {
    const r = explore(s, { depth, strategy: used, maxSchedules: limit.max, ...timed(seconds) });
    const witnesses = new Map(timelineClasses(r).map((i) => [i, witnessTrace(s, (r.classes[i] as ExploreClass).witness, used)]));
    return renderRaces(r, witnesses, {
      file: l.file,
      ...(strategy !== undefined ? { strategyArg: strategy } : {}),
      ...(kernel !== undefined ? { kernelArg: kernel } : {}),
      never: s.explore?.never ?? [],
      hazardsForbidden: s.explore?.hazards === "forbidden",
    });
  } catch (e) {
    if (e instanceof TooManySchedules)
      throw new UsageError(
        `${l.file}: the exploration of its races would run ${e.qualifier}${grouped(e.count)} schedules, over ${limitName(limit)}; ` +
          `narrow it with at: or during: on the races, a lower explore.depth (now ${depth}), or raise ${limit.from === "file" ? "explore.max_schedules (--max-schedules overrides it)" : "--max-schedules"}`,
      );
    if (e instanceof TimeUp)
      throw new UsageError(
        `${l.file}: the exploration of its races passed ${e.progress}; narrow it with fewer races or at: or during: on them, a lower explore.depth (now ${depth}), or raise --max-duration`,
      );
    if (e instanceof TraceTooLarge) throw new InputError([{ file: l.file, line: 1, col: 1, path: [], message: `too large to trace: ${e.message}` }]);
    throw e;
  }
}

/**
 * Whether -o may be written, and the mode to keep: nothing there yet, or an
 * earlier report (any regular file with --force). Never a link, a folder, a
 * pipe or a device, --force or not (the rename would replace the link or the
 * device's name with a plain file); never a read-only file, as check.
 * `what` names the kind of file and the mark an earlier one of them carries
 * (the HTML report's by default; report-svg.ts gives its pictures').
 */
export function replaceable(out: string, force: boolean, what: ReplaceableKind = HTML_REPORT): number | undefined {
  const e = entryAt(out);
  switch (e.kind) {
    case "missing":
      return undefined;
    case "folder":
      throw new UsageError(`${out} is a folder: -o names the ${what.file} to write`);
    case "link":
      throw new UsageError(`${out} is a symbolic link to ${e.to}: report never writes through a link, nor replaces one, even with --force (choose another -o)`);
    case "special":
      throw new UsageError(`${out} is not a regular file (a device, pipe or socket): report writes regular files only, even with --force (-o - writes to standard output)`);
    case "unreadable":
      throw writeFailure(out, "report", e.error, `cannot write ${out}`);
    case "file":
      if (e.readOnly) throw new UsageError(`${out} is ${readOnlyMessage(e.mode, "report")}`);
      if (!force && !headOf(out).includes(what.marker)) {
        throw new UsageError(`${out} exists and is not ${what.kind}: not overwritten (choose another -o, or add --force)`);
      }
      return e.mode;
  }
}

/** A kind of file report writes: its name in messages, and the text an earlier one of them holds in its first KiB. */
export interface ReplaceableKind {
  file: string;
  marker: string;
  kind: string;
}

const HTML_REPORT: ReplaceableKind = { file: "HTML file", marker: `<meta name="generator" content="${GENERATOR}">`, kind: "an axptr-sim report" };

import { closeSync, openSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { explore, TooManySchedules, type ExploreClass } from "../../explore/explore.js";
import { witnessTrace } from "../../explore/witness.js";
import { GENERATOR, renderReport, type ReportSection } from "../../render/report/index.js";
import { renderRaces, timelineClasses } from "../../render/report/races.js";
import { TraceTooLarge } from "../../sim/machine.js";
import type { StrategyName } from "../../sim/simulate.js";
import { InputError, UsageError } from "../errors.js";
import { loadAll, simulateLoaded, type Loaded } from "../io.js";
import { grouped, parseMax } from "./explore.js";

export interface ReportOptions {
  output: string;
  force: boolean;
  strategy?: StrategyName;
  /** Refuse a file whose races would need more schedules than this (default: explore's). */
  maxSchedules?: string;
}

/**
 * `report FILE… -o OUT`: the HTML report, written to OUT (atomically: a
 * temporary file beside it, then renamed) or to standard output for `-o -`.
 * An existing OUT is replaced only when it is an earlier axptr-sim report, or
 * with --force: nothing else the user wrote is overwritten.
 */
export function reportCommand(files: readonly string[], opts: ReportOptions): { stdout?: string; stderr?: string } {
  const max = parseMax(opts.maxSchedules);
  const loaded = loadAll(files);
  const html = renderReport(
    loaded.map((l) => {
      const races = racesSection(l, opts.strategy, max);
      return { file: l.file, trace: simulateLoaded(l, opts.strategy ? { strategy: opts.strategy } : {}), ...(races ? { sections: [races] } : {}) };
    }),
    { color: false },
  );
  if (opts.output === "-") return { stdout: html };
  refuseToClobber(opts.output, opts.force);
  const tmp = join(dirname(opts.output), `.${basename(opts.output)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, html);
    renameSync(tmp, opts.output);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was left behind
    }
    throw new UsageError(`cannot write ${opts.output}: ${reason(e)}`);
  }
  return { stderr: `axptr-sim: wrote ${opts.output} (${loaded.length} scenario${loaded.length === 1 ? "" : "s"})\n` };
}

/**
 * A file with races: its exploration with the file's depth and the report's
 * strategy (the file's, as check's outcome golden, unless --strategy), and
 * the witness runs of the classes that get a timeline.
 */
function racesSection(l: Loaded, strategy: StrategyName | undefined, max: number): ReportSection | undefined {
  const s = l.scenario;
  if (s.races.length === 0) return undefined;
  const depth = s.explore?.depth ?? 1;
  const used = strategy ?? s.machine.strategy;
  try {
    const r = explore(s, { depth, strategy: used, maxSchedules: max });
    const witnesses = new Map(timelineClasses(r).map((i) => [i, witnessTrace(s, (r.classes[i] as ExploreClass).witness, used)]));
    return renderRaces(r, witnesses, {
      file: l.file,
      ...(strategy !== undefined ? { strategyArg: strategy } : {}),
      never: s.explore?.never ?? [],
      hazardsForbidden: s.explore?.hazards === "forbidden",
    });
  } catch (e) {
    if (e instanceof TooManySchedules)
      throw new UsageError(
        `${l.file}: the exploration of its races would run ${e.qualifier}${grouped(e.count)} schedules, over --max-schedules ${grouped(e.max)}; ` +
          `narrow it with at: or during: on the races, a lower explore.depth (now ${depth}), or raise --max-schedules`,
      );
    if (e instanceof TraceTooLarge) throw new InputError([{ file: l.file, line: 1, col: 1, path: [], message: `too large to trace: ${e.message}` }]);
    throw e;
  }
}

function refuseToClobber(out: string, force: boolean): void {
  let isFile: boolean;
  try {
    const st = statSync(out);
    if (st.isDirectory()) throw new UsageError(`${out} is a folder: -o names the HTML file to write`);
    isFile = st.isFile();
  } catch (e) {
    if (e instanceof UsageError) throw e;
    return; // nothing there yet
  }
  if (force) return;
  if (!isFile || !startsLikeReport(out)) {
    throw new UsageError(`${out} exists and is not an axptr-sim report: not overwritten (choose another -o, or add --force)`);
  }
}

/** Whether the file's first bytes carry the report's generator mark. */
function startsLikeReport(file: string): boolean {
  try {
    const fd = openSync(file, "r");
    try {
      const buf = Buffer.alloc(1024);
      const n = readSync(fd, buf, 0, buf.length, 0);
      return buf.subarray(0, n).toString("utf8").includes(`<meta name="generator" content="${GENERATOR}">`);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such folder";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a folder";
  return e instanceof Error ? e.message : String(e);
}

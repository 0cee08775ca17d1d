import { closeSync, openSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { GENERATOR, renderReport } from "../../render/report/index.js";
import type { StrategyName } from "../../sim/simulate.js";
import { UsageError } from "../errors.js";
import { loadAll, simulateLoaded } from "../io.js";

export interface ReportOptions {
  output: string;
  force: boolean;
  strategy?: StrategyName;
}

/**
 * `report FILE… -o OUT`: the HTML report, written to OUT (atomically: a
 * temporary file beside it, then renamed) or to standard output for `-o -`.
 * An existing OUT is replaced only when it is an earlier axptr-sim report, or
 * with --force: nothing else the user wrote is overwritten.
 */
export function reportCommand(files: readonly string[], opts: ReportOptions): { stdout?: string; stderr?: string } {
  const loaded = loadAll(files);
  const html = renderReport(
    loaded.map((l) => ({ file: l.file, trace: simulateLoaded(l, opts.strategy ? { strategy: opts.strategy } : {}) })),
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

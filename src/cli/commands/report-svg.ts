// `report FILE --svg timeline|memory [-o OUT.svg]`: one picture of the
// report alone, as a standalone SVG file for a slide. To standard output
// without -o (or with -o -), else written as report writes its HTML.
import { dirname } from "node:path";
import { renderMemoryMap } from "../../render/svg/memory-map.js";
import { SVG_GENERATOR, standaloneSvg } from "../../render/svg/standalone.js";
import { renderTimeline } from "../../render/svg/timeline.js";
import type { StrategyName } from "../../sim/simulate.js";
import type { KernelName } from "../../scenario/kernels.js";
import { printable } from "../../scenario/printable.js";
import { UsageError } from "../errors.js";
import { removeStaleTemporaries, writeAtomically } from "../files.js";
import { loadAll, simulateLoaded, type Loaded } from "../io.js";
import { checkStrategyOption, withKernel } from "../kernel.js";
import { replaceable } from "./report.js";

/** The pictures `--svg` draws: the report's state timeline and memory map. */
export const PICTURES = ["timeline", "memory"] as const;
export type Picture = (typeof PICTURES)[number];

export interface SvgOptions {
  svg: Picture;
  output?: string;
  force: boolean;
  strategy?: StrategyName;
  kernel?: KernelName;
  /** Options of the HTML report that a picture alone ignores: refused when given. */
  maxSchedules?: string;
  maxDuration?: string;
}

/** The report's options that only its HTML uses (the Races section's exploration), as the user writes them. */
const HTML_ONLY: readonly [keyof SvgOptions, string][] = [
  ["maxSchedules", "--max-schedules"],
  ["maxDuration", "--max-duration"],
];

export function svgCommand(files: readonly string[], opts: SvgOptions): { stdout?: string; stderr?: string } {
  for (const [key, flag] of HTML_ONLY) {
    if (opts[key] !== undefined) throw new UsageError(`${flag} limits the exploration of the races, which only the HTML report shows: --svg draws the run alone (leave out ${flag})`);
  }
  if (files.length !== 1) throw new UsageError(`--svg draws one picture of one scenario: give one file (${files.length} given)`);
  const toStdout = opts.output === undefined || opts.output === "-";
  if (toStdout && opts.force) throw new UsageError("--force lets -o replace a file: without -o FILE, --svg writes to standard output (leave out --force, or add -o FILE)");
  const [given] = loadAll(files) as [Loaded];
  checkStrategyOption(given, opts.strategy, opts.kernel);
  const l = withKernel(given, opts.kernel);
  const t = simulateLoaded(l, opts.strategy ? { strategy: opts.strategy } : {});
  const drawn = opts.svg === "timeline" ? renderTimeline(t) : renderMemoryMap(t);
  // A run always keeps its memory snapshots (only an exploration's runs do not): this is a guard, not a path users take.
  if (drawn === undefined) throw new UsageError(`${l.file}: the run kept no memory snapshot to draw`);
  const svg = standaloneSvg(drawn, `${opts.svg === "timeline" ? "state timeline" : "memory map"} of ${t.scenario.name}`);
  if (toStdout) return { stdout: svg };
  const out = opts.output as string;
  const mode = replaceable(out, opts.force, { file: "SVG file", marker: SVG_GENERATOR, kind: "a picture of axptr-sim report --svg" });
  const removed = removeStaleTemporaries(dirname(out));
  writeAtomically(out, svg, "picture", { ...(mode !== undefined ? { mode } : {}), failure: `cannot write ${out}` });
  const said = removed.map((p) => `axptr-sim: removed ${printable(p)} (left behind by an interrupted write)\n`).join("");
  return { stderr: `${said}axptr-sim: wrote ${printable(out)} (the ${opts.svg === "timeline" ? "state timeline" : "memory map"} of ${printable(l.file)})\n` };
}

import { renderCompareJson, renderCompareText, type Compared } from "../../render/compare.js";
import { isStarry, KERNELS, type KernelName } from "../../scenario/kernels.js";
import { ALL_STRATEGIES, STRATEGIES } from "../../scenario/schema.js";
import type { StrategyName } from "../../sim/simulate.js";
import { UsageError } from "../errors.js";
import { loadAll, simulateLoaded } from "../io.js";
import { kernelInEffect, parseKernel, withKernel } from "../kernel.js";
import { unexploredRaces } from "../unexplored.js";

export interface CompareOptions {
  /** Comma-separated; default: the five strategies, and global-flag last when a kernel is named. */
  strategies?: string;
  /** A kernel to compare the strategies under, or `all`: the six kernels side by side (kernels.md section 1). */
  kernel?: string;
  format: "text" | "json";
  color: boolean;
}

/** `compare FILE`: informs, so it never fails on the file's expectations. */
export function compareCommand(file: string, o: CompareOptions): { stdout: string; stderr?: string } {
  const kernel = parseKernel(o.kernel, true);
  const [loaded] = loadAll([file]);
  if (!loaded) throw new UsageError(`${file}: nothing to compare`);
  const name = loaded.scenario.name;
  let runs: Compared[];
  let named: string | undefined;
  if (kernel === "all") {
    if (o.strategies !== undefined) throw new UsageError("--strategies cannot be given with --kernel all: each kernel's column runs under its own strategy (a starry-* kernel's, else the file's)");
    // Each kernel's column, in the order of kernels.md's table; a file's vm_* step under a kernel without them is refused up front.
    const each = KERNELS.map((k) => withKernel(loaded, k));
    runs = each.map((l, i) => ({ strategy: l.scenario.machine.strategy, kernel: KERNELS[i] as KernelName, trace: simulateLoaded(l) }));
    named = "all";
  } else {
    const k = kernelInEffect(loaded, kernel);
    if (k !== undefined && isStarry(k))
      throw new UsageError(`${file}: compare compares strategies, and ${kernel !== undefined ? `--kernel ${k}` : `machine.kernel ${k}`} fixes the strategy: use compare --kernel all to put the kernels side by side`);
    const known: readonly string[] = k === undefined ? STRATEGIES : ALL_STRATEGIES;
    const names = (o.strategies ?? known.join(",")).split(",").map((s) => s.trim()).filter((s) => s !== "");
    const unknown = names.filter((n) => !(ALL_STRATEGIES as readonly string[]).includes(n));
    if (unknown.length > 0) throw new UsageError(`--strategies: unknown strategy ${unknown.map((u) => `"${u}"`).join(", ")} (known: ${ALL_STRATEGIES.join(", ")})`);
    if (names.length === 0) throw new UsageError("--strategies: name at least one strategy");
    const l = withKernel(loaded, kernel);
    runs = [...new Set(names)].map((strategy) => ({ strategy, trace: simulateLoaded(l, { strategy: strategy as StrategyName }) }));
    named = k;
  }
  // The races this command ran as if none fires, explored under the --kernel given here (one kernel, or each).
  const unexplored = unexploredRaces(file, loaded.scenario, "compare", o.kernel);
  if (o.format === "json") return { stdout: renderCompareJson(name, file, runs, named, unexplored?.json) };
  return { stdout: renderCompareText(name, file, runs, o.color, named), ...(unexplored ? { stderr: unexplored.line + "\n" } : {}) };
}

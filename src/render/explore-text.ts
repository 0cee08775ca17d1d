// `explore` as text: one entry per class (count and share, outcome, step
// results, hazards, a mark when it violates) ending with the command that
// replays its witness. This is also the `.outcomes` golden.
import type { ExploreClass, ExploreResult } from "../explore/explore.js";
import { palette } from "./colors.js";
import { printable as p } from "../scenario/printable.js";
import { kernelWords, resultText } from "./text.js";

export interface ExploreTextOptions {
  color: boolean;
  /** The file as the replay command names it. */
  file: string;
  /** The strategy to name in the replay command, when it is not the file's own. */
  strategyArg?: string;
  /** The --kernel the replay command repeats (explore --kernel NAME or all). */
  kernelArg?: string;
  /** The file's `explore.never` and `hazards`, to say why a class violates. */
  never: readonly string[];
  hazardsForbidden: boolean;
  /** The words that start the tool in the replay command (default `axptr-sim`, as goldens keep it). */
  command?: string;
}

/** Single-quotes a shell word unless it is plainly safe. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./@%:+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `command`: the words that start the tool (explore and check pass the invocation the user ran). */
export function replayCommand(file: string, token: string, strategyArg?: string, kernelArg?: string, command = "axptr-sim"): string {
  return `${command} run ${shellWord(file)}${kernelArg !== undefined ? ` --kernel ${kernelArg}` : ""}${strategyArg !== undefined ? ` --strategy ${strategyArg}` : ""} --replay '${token}'`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : word.endsWith("s") ? "es" : "s"}`;
}

function share(count: number, total: number): string {
  return `${((100 * count) / Math.max(total, 1)).toFixed(1)}%`;
}

function why(cl: ExploreClass, o: ExploreTextOptions): string {
  return violationReasons(cl, o.never, o.hazardsForbidden);
}

/** Which of the file's explore settings a violating class breaks: `never: panic`, `hazards: forbidden`. */
export function violationReasons(cl: Pick<ExploreClass, "outcome" | "hazards">, never: readonly string[], hazardsForbidden: boolean): string {
  const reasons: string[] = [];
  if (never.includes(cl.outcome)) reasons.push(`never: ${cl.outcome}`);
  if (hazardsForbidden && cl.hazards.length > 0) reasons.push("hazards: forbidden");
  // A merge of shards knows only that a class violates, not the file's settings.
  return reasons.length > 0 ? reasons.join(", ") : "explore settings";
}

export function exploreTextBlock(r: ExploreResult, o: ExploreTextOptions): string {
  const c = palette(o.color);
  const lines: string[] = [];
  const shard = r.shard === null ? "" : `, shard ${r.shard.index}/${r.shard.count}`;
  lines.push(`${c.bold("explore")}   ${p(r.scenario)}`);
  lines.push(`${c.bold("file")}      ${p(o.file)}`);
  lines.push(`${c.bold("machine")}   ${plural(r.machine.cpus, "CPU")}, ${kernelWords(r.machine.kernel)}strategy ${r.machine.strategy}, depth ${r.depth}${shard}`);
  const violating = r.classes.filter((k) => k.violates).length;
  const verdict = r.violations === 0 ? c.ok("no violations") : c.bad(`${plural(violating, "class")} violating (${plural(r.violations, "schedule")})`);
  lines.push(`${c.bold("result")}    ${plural(r.schedules, "schedule")}, ${plural(r.classes.length, "class")}: ${verdict}`);
  const countW = Math.max(...r.classes.map((k) => String(k.count).length), 1);
  r.classes.forEach((cl, i) => {
    lines.push("");
    const mark = cl.violates ? c.bad("✗") : " ";
    const outcome = cl.outcome === "completed" ? c.ok(cl.outcome) : c.bad(cl.outcome);
    const steps = cl.steps.map((s) => `${p(s.thread)}#${s.step} ${resultText(s.result)}`).join("; ");
    const hazards = cl.hazards.length === 0 ? "" : `  ${c.warn(`hazards: ${cl.hazards.join(", ")}`)}`;
    const violation = cl.violates ? `  ${c.bad(`VIOLATES ${why(cl, o)}`)}` : "";
    lines.push(`${mark} ${String(i + 1).padStart(2)}. ${String(cl.count).padStart(countW)} ${`(${share(cl.count, r.schedules)})`.padStart(8)}  ${outcome}  ${steps}${hazards}${violation}`);
    lines.push(`        ${c.dim("replay:")} ${p(replayCommand(o.file, cl.witness, o.strategyArg, o.kernelArg, o.command))}`);
  });
  return lines.join("\n") + "\n";
}

/**
 * `--strategy all`: one line per strategy, then each strategy's block;
 * `byKernel` (`--kernel all`): one line per kernel, each replayed with its --kernel.
 */
export function exploreTextAll(results: readonly ExploreResult[], o: Omit<ExploreTextOptions, "strategyArg">, byKernel = false): string {
  const c = palette(o.color);
  const label = (r: ExploreResult) => (byKernel ? (r.machine.kernel ?? "") : r.machine.strategy);
  const nameW = Math.max(8, ...results.map((r) => label(r).length));
  const out: string[] = [c.bold(`${(byKernel ? "kernel" : "strategy").padEnd(nameW)}  schedules  classes  violations`)];
  for (const r of results) {
    const v = r.violations === 0 ? c.ok("0".padStart(10)) : c.bad(String(r.violations).padStart(10));
    out.push(`${label(r).padEnd(nameW)}  ${String(r.schedules).padStart(9)}  ${String(r.classes.length).padStart(7)}  ${v}`);
  }
  const blocks = results.map((r) =>
    exploreTextBlock(r, byKernel ? { ...o, ...(r.machine.kernel !== undefined ? { kernelArg: r.machine.kernel } : {}) } : { ...o, strategyArg: r.machine.strategy }),
  );
  return [out.join("\n") + "\n", ...blocks].join("\n");
}

import { renderCompareJson, renderCompareText } from "../../render/compare.js";
import { STRATEGIES } from "../../scenario/schema.js";
import type { StrategyName } from "../../sim/simulate.js";
import { UsageError } from "../errors.js";
import { loadAll, simulateLoaded } from "../io.js";
import { unexploredRaces } from "../unexplored.js";

export interface CompareOptions {
  strategies: string;
  format: "text" | "json";
  color: boolean;
}

/** `compare FILE`: informs, so it never fails on the file's expectations. */
export function compareCommand(file: string, o: CompareOptions): { stdout: string; stderr?: string } {
  const names = o.strategies.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const known: readonly string[] = STRATEGIES;
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new UsageError(`--strategies: unknown strategy ${unknown.map((u) => `"${u}"`).join(", ")} (known: ${STRATEGIES.join(", ")})`);
  if (names.length === 0) throw new UsageError("--strategies: name at least one strategy");
  const [loaded] = loadAll([file]);
  if (!loaded) throw new UsageError(`${file}: nothing to compare`);
  const runs = [...new Set(names)].map((strategy) => ({ strategy, trace: simulateLoaded(loaded, { strategy: strategy as StrategyName }) }));
  const name = loaded.scenario.name;
  const unexplored = unexploredRaces(file, loaded.scenario, "compare");
  if (o.format === "json") return { stdout: renderCompareJson(name, file, runs, unexplored?.json) };
  return { stdout: renderCompareText(name, file, runs, o.color), ...(unexplored ? { stderr: unexplored.line + "\n" } : {}) };
}

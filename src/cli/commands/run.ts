import { jsonChunks } from "../../render/json.js";
import { renderNdjson } from "../../render/ndjson.js";
import { renderText } from "../../render/text.js";
import type { StrategyName } from "../../sim/simulate.js";
import { CheckFailed } from "../errors.js";
import { loadAll, simulateLoaded } from "../io.js";

export type Format = "text" | "json" | "ndjson";

export interface RunOptions {
  format: Format;
  strategy?: StrategyName;
  quiet: boolean;
  color: boolean;
}

/** `run FILE…`: the output to print, and whether every expectation was met. */
export function runCommand(files: readonly string[], opts: RunOptions): { output: Iterable<string>; failed?: CheckFailed } {
  const loaded = loadAll(files);
  const traces = loaded.map(({ file, scenario }) => ({
    file,
    trace: simulateLoaded({ file, scenario }, opts.strategy ? { strategy: opts.strategy } : {}),
  }));
  let output: Iterable<string>;
  if (opts.format === "json") output = jsonChunks(traces, files.length === 1);
  else if (opts.format === "ndjson") output = renderNdjson(traces);
  else output = traces.map(({ trace, file }) => renderText(trace, file, { color: opts.color, quiet: opts.quiet })).join("\n");
  const failed = traces.reduce((n, t) => n + t.trace.summary.expectations.failed, 0);
  return failed > 0 ? { output, failed: new CheckFailed(`${failed} expectation${failed === 1 ? "" : "s"} failed`) } : { output };
}

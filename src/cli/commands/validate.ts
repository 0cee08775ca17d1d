import { formatProblem, type Problem } from "../../scenario/problems.js";
import { printable } from "../../scenario/printable.js";
import { eventsNeverReached } from "../../sim/points.js";
import { InputError } from "../errors.js";
import { loadEach, scenarioFiles, type Loaded } from "../io.js";

/**
 * `validate PATH…` (files, folders, -): every file is reported, a valid one
 * on standard output, an invalid one by its problems (thrown as one
 * InputError, exit 2, once all are read). Events that can never fire are
 * warnings on standard error (exit 0).
 */
export function validateCommand(paths: readonly string[]): { stdout: string; stderr?: string } {
  const { files, problems: folderProblems } = scenarioFiles(paths);
  const { loaded, problems } = loadEach(files);
  const stdout = loaded.map((l) => `${printable(`${l.file}: valid (${l.scenario.name})`)}\n`).join("");
  const warnings = loaded.flatMap(neverFires);
  const all = [...folderProblems, ...problems];
  // With problems (exit 2), the warnings follow them on standard error.
  if (all.length > 0) throw new InputError([...all, ...warnings], stdout);
  return warnings.length > 0 ? { stdout, stderr: warnings.map(formatProblem).join("\n") + "\n" } : { stdout };
}

/** An injected event at a point its step never reaches fires nothing: a race that cannot happen as written. */
function neverFires(l: Loaded): Problem[] {
  return eventsNeverReached(l.scenario).map(({ event, why }) => {
    const path = ["events", event, "when", "at"];
    const at = l.locate?.(path) ?? { line: 1, col: 1 };
    return { file: l.file, line: at.line, col: at.col, path, message: `warning: this event never fires: ${why}` };
  });
}

// The edge: reading files and standard input, writing output, colour decisions.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { MAX_FILE_BYTES } from "../scenario/load.js";
import { loadScenario, type Locate, type Scenario } from "../scenario/validate.js";
import type { Problem } from "../scenario/problems.js";
import { InputError } from "./errors.js";
import type { Trace } from "../sim/events.js";
import { TraceTooLarge } from "../sim/machine.js";
import { simulate, type SimulateOptions } from "../sim/simulate.js";

export interface Loaded {
  file: string;
  scenario: Scenario;
  locate?: Locate;
}

/** Reads a file (or `-`, standard input) as text, refusing what is not a readable file of sensible size. */
export function readInput(file: string): { text: string } | { problem: Problem } {
  const at = (message: string): { problem: Problem } => ({ problem: { file, line: 1, col: 1, path: [], message } });
  try {
    if (file !== "-") {
      const st = statSync(file);
      if (st.isDirectory()) return at("is a folder, not a scenario file");
      if (st.size > MAX_FILE_BYTES) return at(`file is too large (${st.size} bytes; a scenario may have at most ${MAX_FILE_BYTES})`);
    }
    const buf = readFileSync(file === "-" ? 0 : file);
    if (buf.length > MAX_FILE_BYTES) return at(`input is too large (${buf.length} bytes; a scenario may have at most ${MAX_FILE_BYTES})`);
    const text = new TextDecoder("utf-8", { fatal: true }).decode(buf);
    return { text };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return at("no such file");
    if (code === "EACCES") return at("permission denied");
    if (e instanceof TypeError) return at("the file is not UTF-8 text");
    return at(`cannot read: ${(e as Error).message}`);
  }
}

/** Loads every file; throws one InputError naming every problem of every file. */
export function loadAll(files: readonly string[]): Loaded[] {
  const { loaded, problems } = loadEach(files);
  if (problems.length > 0) throw new InputError(problems);
  return loaded;
}

/** Loads every file it can: the valid ones, and every problem of the others (for commands that go on past an invalid file). */
export function loadEach(files: readonly string[]): { loaded: Loaded[]; problems: Problem[]; invalid: string[] } {
  const problems: Problem[] = [];
  const loaded: Loaded[] = [];
  const invalid: string[] = [];
  for (const file of files) {
    const input = readInput(file);
    if ("problem" in input) {
      problems.push(input.problem);
      invalid.push(file);
      continue;
    }
    const r = loadScenario(input.text, file);
    if (r.ok) loaded.push({ file, scenario: r.scenario, locate: r.locate });
    else {
      problems.push(...r.problems);
      invalid.push(file);
    }
  }
  return { loaded, problems, invalid };
}

export const SCENARIO_FILE = /\.ya?ml$/;

/**
 * The scenario files a command's arguments name: a folder stands for the
 * .yaml/.yml files under it (recursively, sorted; not node_modules or hidden
 * folders), as for check; files and - are kept as given. A folder with no
 * scenario is a problem of that folder.
 */
export function scenarioFiles(paths: readonly string[]): { files: string[]; problems: Problem[] } {
  const files: string[] = [];
  const problems: Problem[] = [];
  for (const p of paths) {
    let isFolder = false;
    try {
      isFolder = p !== "-" && statSync(p).isDirectory();
    } catch {
      // Not there: reading it reports it.
    }
    if (!isFolder) files.push(p);
    else {
      const found = scenariosUnder(p);
      if (found.length === 0) problems.push({ file: p, line: 1, col: 1, path: [], message: "the folder holds no scenario files (.yaml, .yml)" });
      files.push(...found);
    }
  }
  return { files, problems };
}

/** The scenario files under a folder, recursively, sorted by name at each level. */
export function scenariosUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...scenariosUnder(p));
    else if (SCENARIO_FILE.test(name)) out.push(p);
  }
  return out;
}

/** Simulates a loaded file; a scenario too large to trace is a problem of that file (exit 2), not a crash. */
export function simulateLoaded(l: Loaded, options: SimulateOptions = {}): Trace {
  try {
    return simulate(l.scenario, options);
  } catch (e) {
    if (e instanceof TraceTooLarge) throw new InputError([{ file: l.file, line: 1, col: 1, path: [], message: `too large to trace: ${e.message}` }]);
    throw e;
  }
}

/** Colour only on a terminal or with FORCE_COLOR; never with NO_COLOR or --no-color. */
export function useColor(flag: boolean, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (!flag) return false;
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  return stream.isTTY === true;
}

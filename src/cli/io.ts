// The edge: reading files and standard input, writing output, colour decisions.
import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { isLink, linkTarget, reasonOf } from "./files.js";
import { collect, identities } from "./walk.js";
import { MAX_FILE_BYTES as MAX_SCENARIO_BYTES } from "../scenario/load.js";
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
  /** The file's bytes as read: a shard's fingerprint hashes them (decoding the text drops a byte-order mark). */
  bytes: Uint8Array;
}

/**
 * Reads a file (or `-`, standard input) as text, refusing what is not a
 * readable file of sensible size. Reads in chunks and stops one byte past the
 * limit: /dev/zero, /dev/urandom or gigabytes on a pipe cost 512 KiB, not all of their bytes.
 */
export function readInput(file: string, o: { maxBytes?: number; what?: string } = {}): { text: string; bytes: Uint8Array } | { problem: Problem } {
  const MAX_FILE_BYTES = o.maxBytes ?? MAX_SCENARIO_BYTES;
  const what = o.what ?? "a scenario file";
  const noun = o.what === undefined ? "a scenario" : "it";
  const at = (message: string): { problem: Problem } => ({ problem: { file, line: 1, col: 1, path: [], message } });
  let fd: number | undefined;
  try {
    fd = file === "-" ? 0 : openSync(file, "r");
    const st = fstatSync(fd);
    if (st.isDirectory()) return at(`is a folder, not ${what}`);
    if (st.isFile() && st.size > MAX_FILE_BYTES) return at(`file is too large (${st.size} bytes; ${noun} may have at most ${MAX_FILE_BYTES})`);
    // A file's own size (plus one byte, to see it grow) is usually all the room needed; a stream grows it up to the limit.
    const limit = MAX_FILE_BYTES + 1;
    let buf = Buffer.allocUnsafe(Math.min(limit, st.isFile() ? st.size + 1 : 64 * 1024));
    let length = 0;
    for (;;) {
      if (length === buf.length) {
        if (length === limit) break;
        const bigger = Buffer.allocUnsafe(Math.min(limit, buf.length * 2));
        buf.copy(bigger, 0, 0, length);
        buf = bigger;
      }
      const n = readSome(fd, buf, length);
      if (n === 0) break;
      length += n;
    }
    if (length > MAX_FILE_BYTES) return at(`input is too large (more than ${MAX_FILE_BYTES} bytes; ${noun} may have at most ${MAX_FILE_BYTES})`);
    const bytes = buf.subarray(0, length);
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return { text, bytes };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return at(isLink(file) ? `no such file (a symbolic link to ${linkTarget(file)}, which does not exist)` : "no such file");
    if (code === "EACCES" || code === "EPERM") return at("permission denied");
    if (code === "EISDIR") return at(`is a folder, not ${what}`);
    if (e instanceof TypeError) return at("the file is not UTF-8 text");
    return at(`cannot read: ${reasonOf(e)}`);
  } finally {
    if (fd !== undefined && fd !== 0) closeSync(fd);
  }
}

/** One read; a non-blocking standard input (shared with a parent that made it so) is waited for, not failed. */
function readSome(fd: number, buf: Buffer, offset: number): number {
  for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
    try {
      return readSync(fd, buf, offset, Math.min(buf.length - offset, 64 * 1024), null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EOF") return 0;
      if (code !== "EAGAIN") throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
    }
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
    if (r.ok) loaded.push({ file, scenario: r.scenario, locate: r.locate, bytes: input.bytes });
    else {
      problems.push(...r.problems);
      invalid.push(file);
    }
  }
  return { loaded, problems, invalid };
}

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
      problems.push(...found.problems);
      if (found.files.length === 0 && found.problems.length === 0) problems.push({ file: p, line: 1, col: 1, path: [], message: "the folder holds no scenario files (.yaml, .yml)" });
      files.push(...found.files);
    }
  }
  return { files, problems };
}

/** The scenario files under a folder, recursively, sorted by name at each level, with what could not be looked at (check's own walk). */
export function scenariosUnder(dir: string): { files: string[]; problems: Problem[] } {
  const r = collect([dir], identities(), dir);
  return { files: r.scenarios, problems: r.problems };
}

/** Simulates a loaded file; a scenario too large to trace is a problem of that file (exit 2), not a crash. */
export function simulateLoaded(l: Pick<Loaded, "file" | "scenario">, options: SimulateOptions = {}): Trace {
  try {
    return simulate(l.scenario, options);
  } catch (e) {
    if (e instanceof TraceTooLarge) throw new InputError([{ file: l.file, line: 1, col: 1, path: [], message: `too large to trace: ${e.message}` }]);
    throw e;
  }
}

/** Colour only on a terminal that is not TERM=dumb, or with FORCE_COLOR; never with NO_COLOR or --no-color. */
export function useColor(flag: boolean, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (!flag) return false;
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  // A dumb terminal (Emacs' shell, some CI consoles) shows escape codes as text.
  return stream.isTTY === true && env.TERM !== "dumb";
}

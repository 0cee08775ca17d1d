// The files the tool reads and writes beside the user's: goldens, the JUnit
// report, the HTML report. Every write goes through writeAtomically. Nothing
// here follows a symbolic link to write, replaces a file that is not a
// regular one, or leaves a temporary file it cannot name.
import { randomBytes } from "node:crypto";
import { closeSync, constants, fchmodSync, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Problem } from "../scenario/problems.js";
import { OutputError, UsageError } from "./errors.js";
import { readOnlyMessage } from "../check/read-only.js";

/** An operating-system error in words (its code in parentheses where the words are ours). */
export function reasonOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOENT: "no such file",
    EACCES: "permission denied",
    EPERM: "permission denied",
    EISDIR: "is a folder",
    ENOTDIR: "a part of the path is not a folder",
    ELOOP: "a loop of symbolic links",
    ENAMETOOLONG: "the name is too long",
    EROFS: "the file system is read-only",
    ENOSPC: "no space left on the device",
    EDQUOT: "disk quota exceeded",
    EFBIG: "the file is too large for the file system",
    EIO: "input/output error",
    EMFILE: "too many open files",
    ENFILE: "too many open files",
    ENXIO: "no such device",
  };
  const w = err.code ? words[err.code] : undefined;
  if (w !== undefined) return `${w} (${err.code})`;
  return err.message ?? String(e);
}

/** Errors of the device rather than of the path the user gave: the output could not be written (exit 4). */
const DEVICE_ERRORS = new Set(["ENOSPC", "EDQUOT", "EFBIG", "EIO"]);

export function fileProblem(file: string, message: string): Problem {
  return { file, line: 1, col: 1, path: [], message };
}

/** What stands at a path that check may read and replace. */
export type Target =
  | { kind: "missing" }
  | { kind: "file"; mode: number; readOnly: boolean }
  | { kind: "refused"; problem: Problem };

/** What is at a path, looked at without following a link. */
export type Entry =
  | { kind: "missing" }
  | { kind: "link"; to: string }
  | { kind: "folder" }
  | { kind: "special" }
  | { kind: "file"; mode: number; readOnly: boolean }
  | { kind: "unreadable"; error: unknown };

export function entryAt(path: string): Entry {
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT" ? { kind: "missing" } : { kind: "unreadable", error: e };
  }
  if (st.isSymbolicLink()) return { kind: "link", to: linkTarget(path) };
  if (st.isDirectory()) return { kind: "folder" };
  if (!st.isFile()) return { kind: "special" };
  return { kind: "file", mode: st.mode & 0o7777, readOnly: (st.mode & 0o222) === 0 };
}

/**
 * Looks at a golden or report path without following a link: only a regular
 * file, or nothing, may be there. A link is refused (and where it points is
 * said), never read: a golden is printed in diffs, and a link could show a
 * file the user never named.
 */
export function inspectTarget(path: string, what: string): Target {
  const e = entryAt(path);
  switch (e.kind) {
    case "missing":
    case "file":
      return e;
    case "unreadable":
      return { kind: "refused", problem: fileProblem(path, `cannot look at the ${what}: ${reasonOf(e.error)}`) };
    case "link":
      return { kind: "refused", problem: fileProblem(path, `the ${what} is a symbolic link to ${e.to}: check never reads or writes through a link (put a regular file there)`) };
    case "folder":
      return { kind: "refused", problem: fileProblem(path, `the ${what} is a folder, not a file (remove or rename it)`) };
    case "special":
      return { kind: "refused", problem: fileProblem(path, `the ${what} is not a regular file (a device, pipe or socket): check reads and writes regular files only`) };
  }
}

/** Whether the path itself is a symbolic link (false when it cannot be looked at). */
export function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Where a link points, or "?" when that cannot be read: a message naming it stands without it. */
export function linkTarget(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "?";
  }
}

/** Reads a golden that inspectTarget found to be a regular file. */
export function readTarget(path: string, what: string): { text: string } | { problem: Problem } {
  // Opened without following a link, and without waiting on a pipe, in case either was put there since it was looked at.
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    if (!fstatSync(fd).isFile()) return { problem: fileProblem(path, `the ${what} is not a regular file: check reads and writes regular files only`) };
    return { text: readFileSync(fd, "utf8") };
  } catch (e) {
    return { problem: fileProblem(path, `cannot read the ${what}: ${reasonOf(e)}`) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A golden looked at and, when it is a regular file, read: all that judging it needs from the disk. */
export type Seen = { target: Target; read?: { text: string } | { problem: Problem } };

/** Looks at a golden (inspectTarget) and reads it when it is a regular file (readTarget). */
export function lookAt(path: string, what: string): Seen {
  const target = inspectTarget(path, what);
  return target.kind === "file" ? { target, read: readTarget(path, what) } : { target };
}

/** The problem of a read-only file that --update would have to replace; the user made it read-only on purpose. */
export function readOnlyProblem(path: string, mode: number, what: string): Problem {
  return fileProblem(path, `the ${what} is ${readOnlyMessage(mode, "check")}`);
}

export { readOnlyMessage } from "../check/read-only.js";

// ---- temporary files -------------------------------------------------------------

/**
 * `.NAME.axptr-sim-PID-RANDOM.tmp`: hidden, beside its target, recognisably
 * this tool's (the PID says whose), and not guessable (the random part), so
 * nothing can be planted under it in advance. Older versions wrote
 * `.NAME.axptr-sim-PID.tmp`: those are still recognised as stale.
 */
const TEMPORARY = /^\..+\.axptr-sim-(\d+)(?:-[0-9a-f]{12})?\.tmp$/;

export function temporaryName(path: string, pid = process.pid, random = randomBytes(6).toString("hex")): string {
  return join(dirname(path), `.${basename(path)}.axptr-sim-${pid}-${random}.tmp`);
}

/** Younger temporary files of a running process may be in use by a check --update running beside this one. */
const STALE_AFTER_MS = 10 * 60 * 1000;

/**
 * Removes the temporary files an interrupted write left in a folder: those of
 * a process that no longer runs, or older than ten minutes. Only names of the
 * tool's own form, and only the entry itself (unlink never follows a link nor
 * removes a folder). Returns their paths.
 */
export function removeStaleTemporaries(folder: string, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names.sort()) {
    const m = TEMPORARY.exec(name);
    if (!m) continue;
    const path = join(folder, name);
    try {
      const st = lstatSync(path);
      if (!st.isFile() && !st.isSymbolicLink()) continue;
      if (isRunning(Number(m[1])) && now - st.mtimeMs < STALE_AFTER_MS) continue;
      unlinkSync(path);
      removed.push(path);
    } catch {
      // Gone meanwhile, or not ours to remove: leave it.
    }
  }
  return removed;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The mode a new file gets: what the umask leaves of rw-rw-rw-, as for any file a program creates. */
function newFileMode(): number {
  // process.umask() without an argument is only documented as deprecated (it sets and resets it); it is the one portable way to read it.
  return 0o666 & ~process.umask();
}

export interface WriteOptions {
  /** The mode of the file it replaces (its permission bits are kept); a new file gets 0666 less the umask. */
  mode?: number;
  /** How a failure begins (`golden s/a.trace: cannot write it`); the reason follows. */
  failure?: string;
  /** The random part of the temporary name (tests give it; a name that is taken is tried again with another). */
  random?: () => string;
}

/**
 * Writes a temporary file beside the target, then renames it over the target:
 * a file is never left half-written. The temporary file is created
 * exclusively (O_EXCL: a link or anything else already under its name is
 * never followed or reused; another name is tried), with mode 0600 while it is
 * written, then given the mode of the file it replaces. The rename replaces
 * the entry itself: a link put at the target meanwhile is replaced, not
 * followed. A path that cannot take a file is the user's problem (exit 2); a
 * full or failing device is an output error (exit 4).
 */
export function writeAtomically(path: string, text: string, what: string, options: number | WriteOptions = {}): void {
  const o: WriteOptions = typeof options === "number" ? { mode: options } : options;
  const random = o.random ?? (() => randomBytes(6).toString("hex"));
  const failure = (e: unknown) => writeFailure(path, what, e, o.failure);
  let tmp = "";
  let fd: number | undefined;
  try {
    for (let tries = 0; fd === undefined; tries++) {
      tmp = temporaryName(path, process.pid, random());
      try {
        fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST" || tries >= 8) {
          tmp = "";
          throw e;
        }
      }
    }
    const bytes = Buffer.from(text, "utf8");
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    // The permission bits only: a set-user-ID bit of the file it replaces must not pass to new content.
    fchmodSync(fd, (o.mode ?? newFileMode()) & 0o777);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    // Only the file this call created (tmp is cleared when creating it failed).
    if (tmp !== "") {
      try {
        unlinkSync(tmp);
      } catch {
        // Already renamed or gone.
      }
    }
    throw failure(e);
  }
}

/** Why a file could not be written, as the error main.ts maps: the path's fault (exit 2) or the device's (exit 4). */
export function writeFailure(path: string, what: string, e: unknown, lead = `${what} ${path}: cannot write it`): UsageError | OutputError {
  const code = (e as NodeJS.ErrnoException).code ?? "";
  const message = `${lead}: ${code === "ENOENT" ? "no such folder" : reasonOf(e)}`;
  return DEVICE_ERRORS.has(code) ? new OutputError(message) : new UsageError(message);
}

/** The first bytes of a regular file (at most `max`), read without following a link or waiting on a pipe; "" when it cannot be read. */
export function headOf(path: string, max = 1024): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    if (!fstatSync(fd).isFile()) return "";
    const buf = Buffer.alloc(max);
    const n = readSync(fd, buf, 0, max, 0);
    return buf.subarray(0, n).toString("utf8");
  } catch {
    return "";
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

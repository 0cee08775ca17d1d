// The file primitives of check, directly: what a failed write maps to (a full
// disk cannot be made in a test), the temporary file's name, and a link
// planted under that name.
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OutputError, UsageError } from "../../src/cli/errors.js";
import { reasonOf, removeStaleTemporaries, temporaryName, writeAtomically, writeFailure } from "../../src/cli/files.js";

const dir = mkdtempSync(join(tmpdir(), "axptr-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: raw message`), { code });

describe("a file that cannot be written", () => {
  it("is the path's fault (exit 2) when the path cannot take a file", () => {
    for (const [code, words] of [
      ["ENOENT", "no such folder"],
      ["EACCES", "permission denied (EACCES)"],
      ["EPERM", "permission denied (EPERM)"],
      ["EISDIR", "is a folder (EISDIR)"],
      ["EROFS", "the file system is read-only (EROFS)"],
      ["ENOTDIR", "a part of the path is not a folder (ENOTDIR)"],
    ] as const) {
      const e = writeFailure("s/a.trace", "golden", errno(code));
      expect(e).toBeInstanceOf(UsageError);
      expect(e.message).toBe(`golden s/a.trace: cannot write it: ${words}`);
    }
  });

  it("is an output error (exit 4) when the device fails: full, over quota, failing", () => {
    for (const [code, words] of [
      ["ENOSPC", "no space left on the device (ENOSPC)"],
      ["EDQUOT", "disk quota exceeded (EDQUOT)"],
      ["EFBIG", "the file is too large for the file system (EFBIG)"],
      ["EIO", "input/output error (EIO)"],
    ] as const) {
      const e = writeFailure("r.xml", "--output", errno(code));
      expect(e).toBeInstanceOf(OutputError);
      expect(e.message).toBe(`--output r.xml: cannot write it: ${words}`);
    }
  });

  it("an unknown error keeps the system's message", () => {
    expect(reasonOf(errno("EWHATEVER"))).toBe("EWHATEVER: raw message");
  });
});

describe("temporary files", () => {
  it("are named .NAME.axptr-sim-PID-RANDOM.tmp beside their target: 12 random hex digits, a new part each time", () => {
    expect(temporaryName("s/a.trace", 42, "0123456789ab")).toBe("s/.a.trace.axptr-sim-42-0123456789ab.tmp");
    expect(temporaryName("a.trace", 42, "0123456789ab")).toBe(".a.trace.axptr-sim-42-0123456789ab.tmp");
    expect(temporaryName("a.trace", 42)).toMatch(/^\.a\.trace\.axptr-sim-42-[0-9a-f]{12}\.tmp$/);
    expect(temporaryName("a.trace", 42)).not.toBe(temporaryName("a.trace", 42));
  });

  it("a link planted under the temporary name is not followed: another name is taken, the link's target stays as it was", () => {
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "keep me\n");
    const golden = join(dir, "a.trace");
    const planted = temporaryName(golden, process.pid, "aaaaaaaaaaaa");
    symlinkSync(victim, planted);
    // The predictable name of earlier versions too.
    symlinkSync(victim, join(dir, `.a.trace.axptr-sim-${process.pid}.tmp`));
    const parts = ["aaaaaaaaaaaa", "bbbbbbbbbbbb"];
    writeAtomically(golden, "the golden\n", "golden", { random: () => parts.shift() ?? "cccccccccccc" });
    expect(parts).toEqual([]);
    expect(readFileSync(victim, "utf8")).toBe("keep me\n");
    expect(readFileSync(golden, "utf8")).toBe("the golden\n");
    expect(lstatSync(planted).isSymbolicLink()).toBe(true);
    expect(existsSync(temporaryName(golden, process.pid, "bbbbbbbbbbbb"))).toBe(false);
  });

  it("keeps the permission bits of the file it replaces, never a set-user-ID or sticky bit", () => {
    const golden = join(dir, "suid.trace");
    writeAtomically(golden, "x", "golden", 0o4755);
    expect(statSync(golden).mode & 0o7777).toBe(0o755);
  });

  it("a new file gets 0666 less the umask, as any file a program creates", () => {
    const golden = join(dir, "new.trace");
    writeAtomically(golden, "x", "golden");
    expect(statSync(golden).mode & 0o777).toBe(0o666 & ~process.umask());
  });

  it("a failed write leaves no temporary file behind", () => {
    const golden = join(dir, "no-such-folder", "a.trace");
    expect(() => writeAtomically(golden, "x", "golden")).toThrow(new UsageError(`golden ${golden}: cannot write it: no such folder`));
    expect(existsSync(temporaryName(golden))).toBe(false);
  });

  it("the mode given is the mode of the file written", () => {
    const golden = join(dir, "b.trace");
    writeAtomically(golden, "x", "golden", 0o600);
    expect(statSync(golden).mode & 0o777).toBe(0o600);
  });

  it("stale ones: of a process that has ended, or older than ten minutes; this process's own are never in use", () => {
    const folder = mkdtempSync(join(dir, "stale-"));
    const names = [".a.trace.axptr-sim-1.tmp", `.b.trace.axptr-sim-${process.ppid}.tmp`, `.c.trace.axptr-sim-${process.pid}.tmp`, "a.trace.axptr-sim-2.tmp", ".d.trace.2.tmp"];
    for (const n of names) writeFileSync(join(folder, n), "");
    // PID 1 runs (init), but its file is old by the clock given; the parent's is fresh; our own PID means a dead run before us.
    const removed = removeStaleTemporaries(folder, Date.now() + 11 * 60 * 1000);
    expect(removed).toEqual([join(folder, ".a.trace.axptr-sim-1.tmp"), join(folder, `.b.trace.axptr-sim-${process.ppid}.tmp`), join(folder, `.c.trace.axptr-sim-${process.pid}.tmp`)]);
    for (const n of names.slice(3)) expect(existsSync(join(folder, n))).toBe(true);
    writeFileSync(join(folder, names[1] as string), "");
    expect(removeStaleTemporaries(folder)).toEqual([]);
  });
});

// `check` and the files around it in odd states: a scenario that could be its
// own golden, goldens that are links, folders, pipes or read-only, folders
// that cannot be read, links that lead nowhere or in circles, temporary files
// left by a killed --update. Each ends in exit 0 or a plain exit 2, and
// nothing the user wrote is lost or shown.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, ROOT, unprivileged } from "../helpers/cli.js";

const SEED = "01-seed-string-across-lazy-page";
const SCENARIO = readFileSync(join(ROOT, "scenarios", `${SEED}.yaml`), "utf8");
const GOLDEN = readFileSync(join(ROOT, "scenarios", `${SEED}.trace`), "utf8");
/** The golden of the seed scenario saved as `name` (a golden names its scenario's base name). */
const goldenOf = (name: string) => GOLDEN.replace(`file      ${SEED}.yaml`, `file      ${name}`);
const summary = (passed: number, failed: number, missing: number, obsolete: number) =>
  `check: ${passed} passed, ${failed} failed, ${missing} missing, ${obsolete} obsolete`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) {
    chmodTree(d);
    rmSync(d, { recursive: true, force: true });
  }
});

/** Folders made unreadable by a test are made readable again, so they can be removed. */
function chmodTree(dir: string): void {
  try {
    chmodSync(dir, 0o755);
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) chmodTree(join(dir, e.name));
  } catch {
    // Already gone.
  }
}

/** A fresh folder, readable by everyone (the unprivileged runs need to enter it), holding `s/`. */
function fresh(): string {
  const dir = mkdtempSync(join(tmpdir(), "axptr-check-files-"));
  dirs.push(dir);
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, "s"));
  return dir;
}

/** Every entry under the folder: file bytes, link targets, modes, so a test can show that nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const st = lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8);
      if (e.isDirectory()) {
        out[`${rel}${e.name}/`] = mode;
        if (st.mode & 0o400) walk(p, `${rel}${e.name}/`);
      } else if (e.isSymbolicLink()) out[`${rel}${e.name}`] = `-> ${readlinkSync(p)}`;
      else if (e.isFile()) out[`${rel}${e.name}`] = `${mode} ${readFileSync(p, "latin1")}`;
      else out[`${rel}${e.name}`] = `special ${mode}`;
    }
  };
  walk(dir, "");
  return out;
}

function mkfifo(path: string): void {
  const r = spawnSync("mkfifo", [path]);
  expect(r.status).toBe(0);
}

describe("check: a golden is never the scenario", () => {
  it("refuses a scenario not named .yaml or .yml (its golden would be itself), and writes nothing", () => {
    const dir = fresh();
    writeFileSync(join(dir, "s", "a.scenario"), SCENARIO);
    const before = snapshot(dir);
    for (const args of [["check", "--update", "s/a.scenario"], ["check", "s/a.scenario"]]) {
      const r = cli(args, { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(
        "axptr-sim: s/a.scenario: check takes scenario files named NAME.yaml or NAME.yml (their golden is NAME.trace beside them): rename it, or use run\n",
      );
      expect(snapshot(dir)).toEqual(before);
    }
  });

  it("gives UPPER.YAML the golden UPPER.trace, and leaves the scenario as it was", () => {
    const dir = fresh();
    writeFileSync(join(dir, "s", "UPPER.YAML"), SCENARIO);
    writeFileSync(join(dir, "s", "mixed.Yml"), SCENARIO);
    const r = cli(["check", "--update", "s/UPPER.YAML", "s"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      ["ok   s/UPPER.YAML", "ok   s/mixed.Yml", "", "created s/UPPER.trace", "created s/mixed.trace", "", summary(2, 0, 0, 0), ""].join("\n"),
    );
    expect(readFileSync(join(dir, "s", "UPPER.YAML"), "utf8")).toBe(SCENARIO);
    // The golden names the scenario by its base name, as every golden does.
    expect(readFileSync(join(dir, "s", "UPPER.trace"), "utf8")).toBe(goldenOf("UPPER.YAML"));
  });

  it("refuses two scenarios that would share one golden (a.yaml and a.yml), and writes nothing", () => {
    const dir = fresh();
    writeFileSync(join(dir, "s", "a.yaml"), SCENARIO);
    writeFileSync(join(dir, "s", "a.yml"), SCENARIO);
    const before = snapshot(dir);
    const r = cli(["check", "--update", "s"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("s/a.yml:1:1: (file): its golden s/a.trace is also the golden of s/a.yaml: rename one of the two\n");
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("check: goldens in odd states", () => {
  it("refuses a golden that is a link to a file outside, says where it points, never prints that file, and writes nothing", () => {
    const dir = fresh();
    writeFileSync(join(dir, "secret.txt"), "TOP SECRET\n");
    writeFileSync(join(dir, "s", "a.yaml"), SCENARIO);
    writeFileSync(join(dir, "s", "b.yaml"), SCENARIO);
    symlinkSync("../secret.txt", join(dir, "s", "a.trace"));
    const before = snapshot(dir);
    const line = "s/a.trace:1:1: (file): the golden is a symbolic link to ../secret.txt: check never reads or writes through a link (put a regular file there)\n";
    for (const args of [["check", "s"], ["check", "--update", "s"], ["check", "--update", "s/b.yaml", "s/a.yaml"]]) {
      const r = cli(args, { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(line);
      expect(r.stdout + r.stderr).not.toContain("SECRET");
      // Not even b.trace, whose own golden was fine.
      expect(snapshot(dir)).toEqual(before);
    }
  });

  it("refuses a golden that is a folder, or a pipe (without waiting on it)", () => {
    const dir = fresh();
    writeFileSync(join(dir, "s", "a.yaml"), SCENARIO);
    writeFileSync(join(dir, "s", "b.yaml"), SCENARIO);
    mkdirSync(join(dir, "s", "a.trace"));
    mkfifo(join(dir, "s", "b.trace"));
    const before = snapshot(dir);
    const r = cli(["check", "--update", "s"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      [
        "s/a.trace:1:1: (file): the golden is a folder, not a file (remove or rename it)",
        "s/b.trace:1:1: (file): the golden is not a regular file (a device, pipe or socket): check reads and writes regular files only",
        "",
      ].join("\n"),
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it("refuses to replace a read-only golden, leaves it and its mode as they were, and is content with one that needs no change", () => {
    const dir = fresh();
    writeFileSync(join(dir, "s", "a.yaml"), SCENARIO);
    writeFileSync(join(dir, "s", "b.yaml"), SCENARIO);
    writeFileSync(join(dir, "s", "a.trace"), goldenOf("a.yaml").replace("hello, world", "HELLO, world"));
    chmodSync(join(dir, "s", "a.trace"), 0o444);
    const before = snapshot(dir);
    const r = cli(["check", "--update", "s"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("s/a.trace:1:1: (file): the golden is read-only (mode 0444): check does not replace it (make it writable, chmod u+w, if it should change)\n");
    // b.trace, which could have been created, is not: nothing is written unless everything can be.
    expect(snapshot(dir)).toEqual(before);

    writeFileSync(join(dir, "s", "a.trace"), goldenOf("a.yaml"));
    chmodSync(join(dir, "s", "a.trace"), 0o444);
    const ok = cli(["check", "--update", "s"], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("\nunchanged s/a.trace\ncreated s/b.trace\n");
    expect(statSync(join(dir, "s", "a.trace")).mode & 0o777).toBe(0o444);
  });

  it("--update keeps the mode of a golden it replaces", () => {
    const dir = fresh();
    writeFileSync(join(dir, "s", "a.yaml"), SCENARIO);
    writeFileSync(join(dir, "s", "a.trace"), "old\n");
    chmodSync(join(dir, "s", "a.trace"), 0o640);
    const r = cli(["check", "--update", "s"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("\nupdated s/a.trace\n");
    expect(readFileSync(join(dir, "s", "a.trace"), "utf8")).toBe(goldenOf("a.yaml"));
    expect(statSync(join(dir, "s", "a.trace")).mode & 0o777).toBe(0o640);
  });

  it("an unreadable golden is exit 2 with its reason (run as an unprivileged user when the tests run as root)", () => {
    const dir = fresh();
    writeFileSync(join(dir, "s", "a.yaml"), SCENARIO);
    writeFileSync(join(dir, "s", "a.trace"), GOLDEN);
    chmodSync(join(dir, "s", "a.trace"), 0o000);
    const r = cli(["check", "s"], { cwd: dir, ...unprivileged() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("s/a.trace:1:1: (file): cannot read the golden: permission denied (EACCES)\n");
  });

  it("--update refuses a folder it cannot write goldens in before writing any", () => {
    const dir = fresh();
    mkdirSync(join(dir, "t"));
    writeFileSync(join(dir, "s", "a.yaml"), SCENARIO);
    writeFileSync(join(dir, "t", "b.yaml"), SCENARIO);
    chmodSync(join(dir, "s"), 0o777);
    chmodSync(join(dir, "t"), 0o555);
    const before = snapshot(dir);
    const r = cli(["check", "--update", "s", "t"], { cwd: dir, ...unprivileged() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("t:1:1: (file): cannot write goldens in this folder: permission denied (EACCES)\n");
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("check: folders in odd states", () => {
  it("a link that leads nowhere, or round in a circle, named like a scenario, is exit 2 naming it", () => {
    const dir = fresh();
    writeFileSync(join(dir, "s", "a.yaml"), SCENARIO);
    symlinkSync("gone.yaml", join(dir, "s", "dangling.yaml"));
    symlinkSync("loop2.yaml", join(dir, "s", "loop1.yaml"));
    symlinkSync("loop1.yaml", join(dir, "s", "loop2.yaml"));
    const before = snapshot(dir);
    const r = cli(["check", "--update", "s"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      [
        "s/dangling.yaml:1:1: (file): is a symbolic link to gone.yaml, which does not exist",
        "s/loop1.yaml:1:1: (file): is a symbolic link to loop2.yaml, which cannot be read: a loop of symbolic links (ELOOP)",
        "s/loop2.yaml:1:1: (file): is a symbolic link to loop1.yaml, which cannot be read: a loop of symbolic links (ELOOP)",
        "",
      ].join("\n"),
    );
    expect(snapshot(dir)).toEqual(before);
    // Named on the command line, the same.
    const named = cli(["check", "s/dangling.yaml"], { cwd: dir });
    expect(named.code).toBe(2);
    expect(named.stderr).toBe("s/dangling.yaml:1:1: (file): is a symbolic link to gone.yaml, which does not exist\n");
  });

  it("a link to a folder (ln -s . self) is not followed, so a loop of folders ends the walk", () => {
    const dir = fresh();
    writeFileSync(join(dir, "s", "a.yaml"), SCENARIO);
    writeFileSync(join(dir, "s", "a.trace"), goldenOf("a.yaml"));
    symlinkSync(".", join(dir, "s", "self"));
    const r = cli(["check", "s"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(["ok   s/a.yaml", "", summary(1, 0, 0, 0), ""].join("\n"));
    // Named, a linked folder is checked, and the files it reaches are the same ones: checked once.
    const named = cli(["check", "s", "s/self"], { cwd: dir });
    expect(named.code).toBe(0);
    expect(named.stdout).toBe(["ok   s/a.yaml", "", summary(1, 0, 0, 0), ""].join("\n"));
  });

  it("a folder that cannot be read is exit 2 naming it (run as an unprivileged user when the tests run as root)", () => {
    const dir = fresh();
    writeFileSync(join(dir, "s", "a.yaml"), SCENARIO);
    mkdirSync(join(dir, "s", "locked"));
    writeFileSync(join(dir, "s", "locked", "b.yaml"), SCENARIO);
    chmodSync(join(dir, "s", "locked"), 0o000);
    const r = cli(["check", "s"], { cwd: dir, ...unprivileged() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("s/locked:1:1: (file): cannot read this folder: permission denied (EACCES)\n");
  });

  it("a pipe named like a scenario is refused, not waited on", () => {
    const dir = fresh();
    mkfifo(join(dir, "s", "p.yaml"));
    const r = cli(["check", "s"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("s/p.yaml:1:1: (file): is not a regular file (a device, pipe or socket): check reads scenario files only\n");
  });
});

describe("check --update: temporary files", () => {
  /** The PID of a process that has ended. */
  function deadPid(): number {
    const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    return Number(r.stdout);
  }

  it("removes those an interrupted --update left in the folder (by their name: .NAME.axptr-sim-PID.tmp), and says so", () => {
    const dir = fresh();
    writeFileSync(join(dir, "s", "a.yaml"), SCENARIO);
    const dead = `.a.trace.axptr-sim-${deadPid()}.tmp`;
    // A running process's temporary file is in use, unless it is older than ten minutes.
    const live = `.a.trace.axptr-sim-${process.pid}.tmp`;
    const old = `.b.trace.axptr-sim-${process.pid}.tmp`;
    const other = ".a.trace.1234.tmp";
    for (const name of [dead, live, old, other]) writeFileSync(join(dir, "s", name), "half a golden");
    const elevenMinutesAgo = (Date.now() - 11 * 60 * 1000) / 1000;
    utimesSync(join(dir, "s", old), elevenMinutesAgo, elevenMinutesAgo);

    // Only --update cleans up.
    expect(cli(["check", "s"], { cwd: dir }).code).toBe(1);
    expect(existsSync(join(dir, "s", dead))).toBe(true);

    const r = cli(["check", "--update", "s"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "ok   s/a.yaml",
        "",
        `removed s/${dead} (left behind by an interrupted check --update)`,
        `removed s/${old} (left behind by an interrupted check --update)`,
        "created s/a.trace",
        "",
        summary(1, 0, 0, 0),
        "",
      ].join("\n"),
    );
    expect(readdirSync(join(dir, "s")).sort()).toEqual([live, other, "a.trace", "a.yaml"].sort());
  });

  it("cleans the folder of --output too", () => {
    const dir = fresh();
    writeFileSync(join(dir, "s", "a.yaml"), SCENARIO);
    writeFileSync(join(dir, "s", "a.trace"), goldenOf("a.yaml"));
    const dead = `.report.xml.axptr-sim-${deadPid()}.tmp`;
    writeFileSync(join(dir, dead), "<half");
    const r = cli(["check", "--reporter", "junit", "--output", "report.xml", "s"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, dead))).toBe(false);
    expect(readFileSync(join(dir, "report.xml"), "utf8")).toContain('<testsuites name="axptr-sim check" tests="1" failures="0">');
  });
});

describe("check --output: the same guarantees as a golden", () => {
  function withScenario(): string {
    const dir = fresh();
    writeFileSync(join(dir, "s", "a.yaml"), SCENARIO);
    writeFileSync(join(dir, "s", "a.trace"), goldenOf("a.yaml"));
    return dir;
  }

  it("refuses a link (saying where it points), a pipe, and a read-only file, writing nothing", () => {
    const dir = withScenario();
    writeFileSync(join(dir, "keep.xml"), "mine\n");
    symlinkSync("keep.xml", join(dir, "link.xml"));
    mkfifo(join(dir, "fifo.xml"));
    writeFileSync(join(dir, "ro.xml"), "read-only\n");
    chmodSync(join(dir, "ro.xml"), 0o444);
    const before = snapshot(dir);
    const cases: [string, string][] = [
      ["link.xml", "link.xml:1:1: (file): the --output file is a symbolic link to keep.xml: check never reads or writes through a link (put a regular file there)"],
      ["fifo.xml", "fifo.xml:1:1: (file): the --output file is not a regular file (a device, pipe or socket): check reads and writes regular files only"],
      ["ro.xml", "ro.xml:1:1: (file): the --output file is read-only (mode 0444): check does not replace it (make it writable, chmod u+w, if it should change)"],
    ];
    for (const [file, line] of cases) {
      const r = cli(["check", "--reporter", "junit", "--output", file, "s"], { cwd: dir });
      expect(r.code, file).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(`${line}\n`);
      expect(snapshot(dir)).toEqual(before);
    }
  });

  it("refuses to write the report over a scenario or a golden", () => {
    const dir = withScenario();
    const before = snapshot(dir);
    for (const file of ["s/a.yaml", "s/a.trace", "./s/../s/a.yaml"]) {
      const r = cli(["check", "--update", "--reporter", "junit", "--output", file, "s"], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`axptr-sim: --output ${file}: is a scenario or a golden of this check: name another file\n`);
      expect(snapshot(dir)).toEqual(before);
    }
  });
});

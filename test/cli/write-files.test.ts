// Every file the tool writes (report -o, check --output, goldens) goes through
// one writer (src/cli/files.ts): a temporary file created exclusively under a
// name that cannot be guessed, renamed into place, the replaced file's mode
// kept. What it may replace: an earlier file of its own (any regular file
// with --force), never a link, a pipe, a device, a folder or a read-only file.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, cli, ROOT } from "../helpers/cli.js";

const SEED = join(ROOT, "scenarios/01-seed-string-across-lazy-page.yaml");
const SEED_TRACE = readFileSync(join(ROOT, "scenarios/01-seed-string-across-lazy-page.trace"), "utf8");
const ENOSPC = join(ROOT, "test/fixtures/preload/enospc.cjs");

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function fresh(): string {
  const dir = mkdtempSync(join(tmpdir(), "axptr-write-"));
  dirs.push(dir);
  return dir;
}

/** Every entry: bytes, link targets, kinds and modes, so a test can show that nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = lstatSync(p);
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isSymbolicLink()) out[name] = `link ${readlinkSync(p)}`;
    else if (st.isFile()) out[name] = `${mode} ${readFileSync(p, "utf8")}`;
    else out[name] = `${st.isDirectory() ? "folder" : st.isFIFO() ? "fifo" : "other"} ${mode}`;
  }
  return out;
}

function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

const mknod = (path: string, args: string[]) => spawnSync("mknod", [path, ...args]).status === 0;
const canMknod = (() => {
  const d = fresh();
  return mknod(join(d, "probe"), ["c", "1", "3"]);
})();

/** A report as report writes it (the generator mark is what lets it be replaced). */
function earlierReport(path: string, mode = 0o644): void {
  expect(cli(["report", SEED, "-o", path]).code).toBe(0);
  chmodSync(path, mode);
}

describe("report -o: the temporary file", () => {
  it("a link planted at the temporary names a report could use (its PID is known as soon as it starts) is never written through", async () => {
    const dir = fresh();
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "keep me\n");
    const out = join(dir, "r.html");
    const child = spawn(process.execPath, [BIN, "report", SEED, "-o", out], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    const pid = child.pid as number;
    // The names of the earlier writers: `.r.html.PID.tmp` (report) and `.r.html.axptr-sim-PID.tmp` (check), planted before the CLI has loaded.
    for (const name of [`.r.html.${pid}.tmp`, `.r.html.axptr-sim-${pid}.tmp`]) symlinkSync(victim, join(dir, name));
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toMatch(new RegExp(`axptr-sim: wrote ${out.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} \\(1 scenario\\)\\n$`));
    expect(code).toBe(0);
    expect(readFileSync(victim, "utf8")).toBe("keep me\n");
    expect(lstatSync(out).isFile()).toBe(true);
    expect(readFileSync(out, "utf8")).toContain('<meta name="generator" content="axptr-sim report">');
  });

  it("one left by a killed report is removed by the next report in that folder, and said so; only the tool's own names, never through a link", () => {
    const dir = fresh();
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "keep me\n");
    const pid = deadPid();
    const dead = `.r.html.axptr-sim-${pid}-0123456789ab.tmp`;
    const older = `.r.html.axptr-sim-${pid}.tmp`;
    const link = `.x.html.axptr-sim-${pid}-abcdefabcdef.tmp`;
    const live = `.r.html.axptr-sim-${process.pid}-0123456789ab.tmp`;
    writeFileSync(join(dir, dead), "<!DOCTYPE html>half");
    writeFileSync(join(dir, older), "<!DOCTYPE html>half");
    writeFileSync(join(dir, live), "in use");
    symlinkSync(victim, join(dir, link));
    mkdirSync(join(dir, `.f.html.axptr-sim-${pid}-0123456789ab.tmp`));
    writeFileSync(join(dir, `.r.html.${pid}.tmp`), "not of this form: left alone");
    const out = join(dir, "r.html");
    const r = cli(["report", SEED, "-o", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      [dead, older, link].sort().map((n) => `axptr-sim: removed ${join(dir, n)} (left behind by an interrupted write)\n`).join("") + `axptr-sim: wrote ${out} (1 scenario)\n`,
    );
    expect(readdirSync(dir).sort()).toEqual([`.f.html.axptr-sim-${pid}-0123456789ab.tmp`, `.r.html.${pid}.tmp`, live, "r.html", "victim.txt"].sort());
    expect(readFileSync(victim, "utf8")).toBe("keep me\n");
  });
});

describe("report -o: what it replaces", () => {
  it("--force replaces a file that is not a report, but never a link, a pipe, a device or a folder", () => {
    const dir = fresh();
    writeFileSync(join(dir, "keep.html"), "<p>mine</p>\n");
    symlinkSync("keep.html", join(dir, "link.html"));
    expect(spawnSync("mkfifo", [join(dir, "fifo.html")]).status).toBe(0);
    mkdirSync(join(dir, "folder.html"));
    const cases: [string, string][] = [
      ["link.html", "is a symbolic link to keep.html: report never writes through a link, nor replaces one, even with --force (choose another -o)"],
      ["fifo.html", "is not a regular file (a device, pipe or socket): report writes regular files only, even with --force (-o - writes to standard output)"],
      ["folder.html", "is a folder: -o names the HTML file to write"],
    ];
    if (canMknod) {
      expect(mknod(join(dir, "null.html"), ["c", "1", "3"])).toBe(true);
      cases.push(["null.html", cases[1]?.[1] as string]);
    }
    const before = snapshot(dir);
    for (const [name, why] of cases) {
      for (const force of [[], ["--force"]]) {
        const r = cli(["report", SEED, "-o", join(dir, name), ...force]);
        expect(r.stderr, name).toBe(`axptr-sim: ${join(dir, name)} ${why}\n`);
        expect(r.code).toBe(2);
        expect(snapshot(dir)).toEqual(before);
      }
    }
    expect(cli(["report", SEED, "-o", join(dir, "keep.html"), "--force"]).code).toBe(0);
    expect(readFileSync(join(dir, "keep.html"), "utf8")).toContain("axptr-sim report");
  });

  it("a read-only report is refused, as check refuses a read-only golden; a private (0600) one is replaced and stays 0600", () => {
    const dir = fresh();
    const ro = join(dir, "ro.html");
    earlierReport(ro, 0o444);
    const before = snapshot(dir);
    for (const force of [[], ["--force"]]) {
      const r = cli(["report", SEED, "-o", ro, ...force]);
      expect(r.stderr).toBe(`axptr-sim: ${ro} is read-only (mode 0444): report does not replace it (make it writable, chmod u+w, if it should change)\n`);
      expect(r.code).toBe(2);
      expect(snapshot(dir)).toEqual(before);
    }
    const mine = join(dir, "mine.html");
    earlierReport(mine, 0o600);
    writeFileSync(mine, readFileSync(mine, "utf8") + "<!-- edited -->\n");
    expect(cli(["report", SEED, "-o", mine]).code).toBe(0);
    expect(statSync(mine).mode & 0o7777).toBe(0o600);
    expect(readFileSync(mine, "utf8")).not.toContain("edited");
    // A new report: 0666 less the umask (022 here: 0644), as any file a program creates.
    const fresh1 = join(dir, "new.html");
    expect(cli(["report", SEED, "-o", fresh1]).code).toBe(0);
    expect(statSync(fresh1).mode & 0o777).toBe(0o666 & ~process.umask());
  });
});

describe("check --reporter junit --output: what it replaces", () => {
  function withScenario(): string {
    const dir = fresh();
    mkdirSync(join(dir, "s"));
    writeFileSync(join(dir, "s", "a.yaml"), readFileSync(SEED, "utf8"));
    writeFileSync(join(dir, "s", "a.trace"), SEED_TRACE.replace("01-seed-string-across-lazy-page.yaml", "a.yaml"));
    return dir;
  }

  it("replaces an earlier JUnit report of check, keeping its mode; refuses any other file, naming --force", () => {
    const dir = withScenario();
    const first = cli(["check", "--reporter", "junit", "--output", "junit.xml", "s"], { cwd: dir });
    expect(first.code).toBe(0);
    chmodSync(join(dir, "junit.xml"), 0o600);
    expect(cli(["check", "--reporter", "junit", "--output", "junit.xml", "s"], { cwd: dir }).code).toBe(0);
    expect(statSync(join(dir, "junit.xml")).mode & 0o7777).toBe(0o600);

    writeFileSync(join(dir, "notes.xml"), "<notes>mine</notes>\n");
    const before = snapshot(dir);
    const r = cli(["check", "--reporter", "junit", "--output", "notes.xml", "s"], { cwd: dir });
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "notes.xml:1:1: (file): the --output file exists and is not a JUnit report of axptr-sim check: check does not replace it (name another file, or add --force to replace it)\n",
    );
    expect(r.code).toBe(2);
    expect(snapshot(dir)).toEqual(before);

    const forced = cli(["check", "--reporter", "junit", "--output", "notes.xml", "--force", "s"], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, "notes.xml"), "utf8")).toContain('<testsuites name="axptr-sim check" tests="1" failures="0">');
  });

  it("--force still never replaces a link, and is refused without --output", () => {
    const dir = withScenario();
    writeFileSync(join(dir, "keep.xml"), "mine\n");
    symlinkSync("keep.xml", join(dir, "link.xml"));
    const r = cli(["check", "--reporter", "junit", "--output", "link.xml", "--force", "s"], { cwd: dir });
    expect(r.stderr).toBe("link.xml:1:1: (file): the --output file is a symbolic link to keep.xml: check never reads or writes through a link (put a regular file there)\n");
    expect(r.code).toBe(2);
    const alone = cli(["check", "--force", "s"], { cwd: dir });
    expect(alone.stderr).toBe("axptr-sim: --force lets --output replace a file that is not a JUnit report of check: add --reporter junit --output FILE\n");
    expect(alone.code).toBe(2);
  });
});

describe("a full disk (every file write fails with ENOSPC)", () => {
  const full = { env: { NODE_OPTIONS: `--require ${ENOSPC}` } };

  it("report: exit 4, as the README promises, in words; the earlier report and the folder as they were", () => {
    const dir = fresh();
    const out = join(dir, "r.html");
    earlierReport(out);
    const before = snapshot(dir);
    const r = cli(["report", SEED, "-o", out], full);
    expect(r.stderr).toBe(`axptr-sim: cannot write ${out}: no space left on the device (ENOSPC)\n`);
    expect(r.code).toBe(4);
    expect(snapshot(dir)).toEqual(before);
  });

  it("check --update and check --output: exit 4 too, nothing left behind", () => {
    const dir = fresh();
    mkdirSync(join(dir, "s"));
    writeFileSync(join(dir, "s", "a.yaml"), readFileSync(SEED, "utf8"));
    const golden = cli(["check", "--update", "s"], { cwd: dir, ...full });
    expect(golden.stderr).toBe("axptr-sim: golden s/a.trace: cannot write it: no space left on the device (ENOSPC)\n");
    expect(golden.code).toBe(4);
    expect(readdirSync(join(dir, "s"))).toEqual(["a.yaml"]);
    expect(cli(["check", "--update", "s"], { cwd: dir }).code).toBe(0);
    const junit = cli(["check", "--reporter", "junit", "--output", "j.xml", "s"], { cwd: dir, ...full });
    expect(junit.stderr).toBe("axptr-sim: --output j.xml: cannot write it: no space left on the device (ENOSPC)\n");
    expect(junit.code).toBe(4);
    expect(existsSync(join(dir, "j.xml"))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(["s"]);
  });
});

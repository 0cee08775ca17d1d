// The bounds on an exploration's work (issue 17): a file's own
// explore.max_schedules, which explore, check and report all honour and
// --max-schedules overrides, and --max-duration, which stops an exploration
// with how far it got. Over either: exit 2, one message naming the limit and
// how to stay under it; the other files of a check are still checked.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";

const SEED = readFileSync(join(ROOT, "scenarios/39-races-seed-munmap-evict.yaml"), "utf8");
/** The seed's races at depth 2 (369 schedules) under the file's own limit of 100. */
const LIMITED = SEED.replace("explore:\n  depth: 2\n", "explore:\n  depth: 2\n  max_schedules: 100\n");
const BIG = join(ROOT, "bench/explore-big.yaml");
/** A bundled scenario with no races, and its golden. */
const PLAIN = "01-seed-string-across-lazy-page";

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "axptr-limits-"));
  writeFileSync(join(dir, "limited.yaml"), LIMITED);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("explore.max_schedules: the file's own limit", () => {
  it("is in the file where the test writes it", () => {
    expect(LIMITED).not.toBe(SEED);
    expect(LIMITED).toContain("  max_schedules: 100\n");
  });

  it("explore refuses over it, naming it and how to raise it", () => {
    const r = cli(["explore", "limited.yaml"], { cwd: dir });
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "axptr-sim: limited.yaml: the exploration would run 369 schedules, over explore.max_schedules 100; narrow it with at: or during: on the races, a lower --depth (now 2), or split it with --shard I/N, or raise explore.max_schedules (--max-schedules overrides it)\n",
    });
  });

  it("--max-schedules overrides it, up or down", () => {
    const up = cli(["explore", "limited.yaml", "--max-schedules", "369", "--format", "json"], { cwd: dir });
    expect(up.code).toBe(0);
    expect((JSON.parse(up.stdout) as { schedules: number }).schedules).toBe(369);
    const down = cli(["explore", "limited.yaml", "--max-schedules", "50"], { cwd: dir });
    expect(down.stderr).toBe(
      "axptr-sim: limited.yaml: the exploration would run 369 schedules, over --max-schedules 50; narrow it with at: or during: on the races, a lower --depth (now 2), or split it with --shard I/N, or raise --max-schedules\n",
    );
    expect(down.code).toBe(2);
  });

  it("check honours it: the file is invalid at the key, and the other files are still checked", () => {
    const folder = join(dir, "check");
    mkdirSync(folder);
    writeFileSync(join(folder, "limited.yaml"), LIMITED);
    for (const ext of [".yaml", ".trace"]) copyFileSync(join(ROOT, `scenarios/${PLAIN}${ext}`), join(folder, PLAIN + ext));
    const r = cli(["check", "check"], { cwd: dir });
    expect(r.stderr).toBe(
      "check/limited.yaml:31:18: explore.max_schedules: the exploration of its races would run 369 schedules, over explore.max_schedules 100; narrow it with at: or during: on the races, or a lower explore.depth (now 2), or raise explore.max_schedules (--max-schedules overrides it)\n",
    );
    expect(r.stdout).toBe(`ok   check/${PLAIN}.yaml\nINVALID check/limited.yaml: not checked (its problems are on standard error)\n\ncheck: 1 passed, 0 failed, 0 missing, 0 obsolete, 1 invalid\n`);
    expect(r.code).toBe(2);
  });

  it("check --max-schedules overrides it (and bounds a file that sets none)", () => {
    const folder = join(dir, "check-option");
    mkdirSync(folder);
    writeFileSync(join(folder, "limited.yaml"), LIMITED);
    writeFileSync(join(folder, "seed.yaml"), SEED);
    const raised = cli(["check", "check-option", "--max-schedules", "1000", "--update"], { cwd: dir });
    expect(raised.code).toBe(0);
    expect(raised.stdout.trim().split("\n").at(-1)).toBe("check: 4 passed, 0 failed, 0 missing, 0 obsolete");
    expect(raised.stdout).toContain("created check-option/limited.outcomes\n");
    const lowered = cli(["check", "check-option", "--max-schedules", "50"], { cwd: dir });
    expect(lowered.stderr).toBe(
      [
        "check-option/limited.yaml:27:3: races: the exploration of its races would run 369 schedules, over --max-schedules 50; narrow it with at: or during: on the races, or a lower explore.depth (now 2), or raise --max-schedules",
        "check-option/seed.yaml:27:3: races: the exploration of its races would run 369 schedules, over --max-schedules 50; narrow it with at: or during: on the races, or a lower explore.depth (now 2), or raise --max-schedules",
        "",
      ].join("\n"),
    );
    expect(lowered.code).toBe(2);
  });

  it("report honours it, and --max-schedules overrides it", () => {
    const r = cli(["report", "limited.yaml", "-o", "r.html"], { cwd: dir });
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "axptr-sim: limited.yaml: the exploration of its races would run 369 schedules, over explore.max_schedules 100; narrow it with at: or during: on the races, a lower explore.depth (now 2), or raise explore.max_schedules (--max-schedules overrides it)\n",
    });
    expect(cli(["report", "limited.yaml", "-o", "r.html", "--max-schedules", "400"], { cwd: dir }).code).toBe(0);
    expect(readFileSync(join(dir, "r.html"), "utf8")).toContain("369 schedules");
  });

  it.each([
    ["0", "0 is out of range (expected a positive count of schedules, 1..9007199254740991)"],
    ["-3", "-3 is out of range (expected a positive count of schedules, 1..9007199254740991)"],
    ["1.5", "a positive count of schedules"],
    ["many", "a positive count of schedules"],
  ])("max_schedules: %s is refused at its key", (value, part) => {
    const r = cli(["explore", "-"], { input: LIMITED.replace("max_schedules: 100", `max_schedules: ${value}`) });
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toMatch(/^-:31:18: explore\.max_schedules: /);
    expect(r.stderr).toContain(part);
  });
});

describe("--max-duration: how long an exploration may run", () => {
  const STOPPED = /^axptr-sim: bench\/explore-big\.yaml: the exploration passed --max-duration 0\.05 s \(stopped after \d+\.\d{3} s, [\d,]+ states? worked out, [\d,]+ schedules? covered\); narrow it with fewer races or at: or during: on them, a lower --depth \(now 3\), or split it with --shard I\/N, or raise --max-duration\n$/;

  it("explore stops there, saying how far it got (exit 2, nothing on standard output)", () => {
    const r = cli(["explore", "bench/explore-big.yaml", "--depth", "2", "--max-duration", "0.05"]);
    expect(r.stderr.replace("(now 2)", "(now 3)")).toMatch(STOPPED);
    expect([r.code, r.stdout]).toEqual([2, ""]);
  });

  it("an exploration within it gives the very same output as without it", () => {
    const args = ["explore", "scenarios/39-races-seed-munmap-evict.yaml", "--format", "json"];
    const plain = cli(args);
    const bounded = cli([...args, "--max-duration", "600"]);
    expect(plain.code).toBe(0);
    expect(bounded).toEqual(plain);
  });

  it("check reports the file that passed it, and checks the others", () => {
    const folder = join(dir, "slow");
    mkdirSync(folder);
    copyFileSync(BIG, join(folder, "big.yaml"));
    for (const ext of [".yaml", ".trace"]) copyFileSync(join(ROOT, `scenarios/${PLAIN}${ext}`), join(folder, PLAIN + ext));
    const r = cli(["check", "slow", "--max-duration", "0.05"], { cwd: dir });
    expect(r.stderr).toMatch(
      /^slow\/big\.yaml:\d+:\d+: races: the exploration of its races passed --max-duration 0\.05 s \(stopped after \d+\.\d{3} s, [\d,]+ states? worked out, [\d,]+ schedules? covered\); narrow it with fewer races or at: or during: on them, a lower explore\.depth \(now 2\), or raise --max-duration\n$/,
    );
    expect(r.stdout).toBe(`ok   slow/${PLAIN}.yaml\nINVALID slow/big.yaml: not checked (its problems are on standard error)\n\ncheck: 1 passed, 0 failed, 0 missing, 0 obsolete, 1 invalid\n`);
    expect(r.code).toBe(2);
  });

  it("report stops there too", () => {
    const r = cli(["report", BIG, "-o", join(dir, "big.html"), "--max-duration", "0.05"]);
    expect(r.stderr).toMatch(/the exploration of its races passed --max-duration 0\.05 s \(stopped after /);
    expect(r.code).toBe(2);
  });

  it.each(["0", "-1", "1e3", "ten", "86401", " 5", "0x10"])("--max-duration %j is refused before anything runs", (value) => {
    const message = `axptr-sim: --max-duration ${JSON.stringify(value)}: expected a number of seconds above 0 and at most 86,400 (e.g. --max-duration 600)\n`;
    for (const command of [["explore", BIG], ["check", BIG], ["report", BIG, "-o", join(dir, "x.html")]]) {
      const r = cli([...command, `--max-duration=${value}`]);
      expect([r.code, r.stdout, r.stderr], command[0]).toEqual([2, "", message]);
    }
  });

  it("a merge and a picture alone refuse it: they explore nothing", () => {
    expect(cli(["explore", "--merge", "a.json", "--max-duration", "5"]).stderr).toBe(
      "axptr-sim: explore --merge: --max-duration is not used by a merge (give it to each shard's explore); --merge takes --format and --no-color\n",
    );
    expect(cli(["report", "scenarios/39-races-seed-munmap-evict.yaml", "--svg", "timeline", "--max-duration", "5"]).stderr).toBe(
      "axptr-sim: --max-duration limits the exploration of the races, which only the HTML report shows: --svg draws the run alone (leave out --max-duration)\n",
    );
  });
});

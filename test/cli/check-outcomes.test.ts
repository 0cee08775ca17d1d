// `check` and the `.outcomes` goldens of scenarios with races (explore.md section 7).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { globalLink, NO_NPM } from "../helpers/started.js";

const tmp = mkdtempSync(join(tmpdir(), "axptr-outcomes-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fresh folder holding copies of the given files. */
function folder(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  for (const [f, from] of Object.entries(files)) cpSync(from, join(dir, f));
  return dir;
}

describe("check and .outcomes goldens", () => {
  it("a missing outcome golden fails; --update writes it (and the trace), after which check passes", () => {
    const dir = folder("fresh", { "seed.yaml": "test/fixtures/explore/seed-races.yaml" });
    const first = cli(["check", dir]);
    expect(first.code).toBe(1);
    expect(first.stdout).toContain(`MISSING ${join(dir, "seed.yaml")} (outcomes): no outcome golden ${join(dir, "seed.outcomes")}\n`);
    expect(existsSync(join(dir, "seed.outcomes"))).toBe(false);
    const up = cli(["check", "--update", dir]);
    expect(up.code).toBe(0);
    expect(up.stdout).toContain(`created ${join(dir, "seed.outcomes")}`);
    const golden = readFileSync(join(dir, "seed.outcomes"), "utf8");
    // The golden is explore's text with the file named without its folder, as a global install prints it
    // (explore.md's `axptr-sim run FILE`; started otherwise, explore names itself as started, and the golden stays the same).
    expect(golden).toBe(cli(["explore", "seed.yaml"], { cwd: dir, env: NO_NPM, script: globalLink(join(tmp, "global")) }).stdout);
    const again = cli(["check", dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`ok   ${join(dir, "seed.yaml")} (outcomes)\n`);
  });

  it("a changed outcome set is a unified diff and exit 1; CRLF goldens are the same golden", () => {
    const dir = folder("changed", { "seed.yaml": "test/fixtures/explore/seed-races.yaml" });
    expect(cli(["check", "--update", dir]).code).toBe(0);
    const golden = join(dir, "seed.outcomes");
    writeFileSync(golden, readFileSync(golden, "utf8").replace(/\n/g, "\r\n"));
    expect(cli(["check", dir]).code).toBe(0);
    writeFileSync(golden, readFileSync(golden, "utf8").replace("24  (55.8%)", "25  (55.8%)"));
    const r = cli(["check", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL ${join(dir, "seed.yaml")} (outcomes):`);
    expect(r.stdout).toMatch(/^ {2}- {3}1\. 25 {2}\(55\.8%\)/m);
    expect(r.stdout).toMatch(/^ {2}\+ {3}1\. 24 {2}\(55\.8%\)/m);
  });

  it("a violating class fails the check like a failed expectation, --update or not", () => {
    const dir = folder("violating", { "migration.yaml": "test/fixtures/explore/migration-forbidden.yaml" });
    const up = cli(["check", "--update", dir]);
    expect(up.code).toBe(1);
    expect(up.stdout).toMatch(/^ {2}explore: class 2 \(\d+ schedules, outcome panic, hazards migrated-in-access\) violates never: panic, hazards: forbidden; replay its witness: npx axptr-sim run .*migration\.yaml --replay 'migrate@main#1:/m);
    // --update does not record a violation: the outcome golden is not created, and it says why.
    expect(up.stdout).toContain(`not created ${join(dir, "migration.outcomes")}: a class of ${join(dir, "migration.yaml")} violates its explore settings (fix it first: an outcome golden records only allowed outcomes)`);
    expect(existsSync(join(dir, "migration.outcomes"))).toBe(false);
    const again = cli(["check", dir]);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain(`FAIL ${join(dir, "migration.yaml")} (outcomes): 2 classes violate the file's explore settings; no outcome golden ${join(dir, "migration.outcomes")} (none is written while a class violates)\n  explore: class 2 (`);
    // A golden written by hand that records the violating class matches, and the check still fails.
    writeFileSync(join(dir, "migration.outcomes"), cli(["explore", "--no-color", "migration.yaml"], { cwd: dir, env: NO_NPM, script: globalLink(join(tmp, "global-2")) }).stdout);
    const matched = cli(["check", dir]);
    expect(matched.code).toBe(1);
    expect(matched.stdout).toContain(`FAIL ${join(dir, "migration.yaml")} (outcomes)`);
  });

  it("an outcome golden whose scenario lost its races is obsolete (issue 17)", () => {
    const dir = folder("raceless", { "seed.yaml": "test/fixtures/explore/seed-races.yaml" });
    expect(cli(["check", "--update", dir]).code).toBe(0);
    const text = readFileSync(join(dir, "seed.yaml"), "utf8");
    writeFileSync(join(dir, "seed.yaml"), text.slice(0, text.indexOf("\nraces:") + 1));
    const r = cli(["check", "--strict", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      `ok   ${join(dir, "seed.yaml")}\nOBSOLETE ${join(dir, "seed.outcomes")}: its scenario has no races (delete it)\n\ncheck: 1 passed, 0 failed, 0 missing, 1 obsolete\n`,
    );
  });

  it("the GitHub annotation and the JUnit report of an obsolete golden give the text's reason (no races; gone)", () => {
    const dir = folder("raceless-ci", { "seed.yaml": "test/fixtures/explore/seed-races.yaml" });
    expect(cli(["check", "--update", dir]).code).toBe(0);
    const text = readFileSync(join(dir, "seed.yaml"), "utf8");
    writeFileSync(join(dir, "seed.yaml"), text.slice(0, text.indexOf("\nraces:") + 1));
    writeFileSync(join(dir, "gone.trace"), "old\n");
    const junit = join(tmp, "raceless-ci.xml");
    const r = cli(["check", "--strict", dir, "--reporter", "junit", "--output", junit], { env: { GITHUB_ACTIONS: "true" } });
    expect(r.code).toBe(1);
    const at = (f: string) => join(dir, f).replace(/:/g, "%3A").replace(/,/g, "%2C");
    expect(r.stdout).toBe(
      [
        `ok   ${join(dir, "seed.yaml")}`,
        `OBSOLETE ${join(dir, "gone.trace")}: its scenario is gone (delete it)`,
        `OBSOLETE ${join(dir, "seed.outcomes")}: its scenario has no races (delete it)`,
        "",
        "check: 1 passed, 0 failed, 0 missing, 2 obsolete",
        `::error file=${at("gone.trace")},line=1,title=axptr-sim check::obsolete golden: its scenario is gone`,
        `::error file=${at("seed.outcomes")},line=1,title=axptr-sim check::obsolete golden: its scenario has no races`,
        "",
      ].join("\n"),
    );
    const xml = readFileSync(junit, "utf8");
    expect(xml.split("\n").filter((l) => l.includes('type="obsolete"'))).toEqual([
      `    <testcase classname="axptr-sim.check" name="${join(dir, "gone.trace")}"><failure message="obsolete golden: its scenario is gone" type="obsolete"/></testcase>`,
      `    <testcase classname="axptr-sim.check" name="${join(dir, "seed.outcomes")}"><failure message="obsolete golden: its scenario has no races" type="obsolete"/></testcase>`,
    ]);
  });

  it("an outcome golden whose scenario is gone is obsolete", () => {
    const dir = folder("obsolete", { "seed.yaml": "test/fixtures/explore/seed-races.yaml" });
    expect(cli(["check", "--update", dir]).code).toBe(0);
    rmSync(join(dir, "seed.yaml"));
    rmSync(join(dir, "seed.trace"));
    const r = cli(["check", "--strict", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`OBSOLETE ${join(dir, "seed.outcomes")}: its scenario is gone`);
  });
});

describe("check and the schedule limit (issue 17)", () => {
  it("reports a scenario whose exploration is over the limit as a problem of its file, at its races (exit 2), not as a bug", () => {
    const dir = join(tmp, "over-limit");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "big.yaml");
    writeFileSync(file, readFileSync("bench/explore-big.yaml", "utf8").replace("explore: { depth: 2 }", "explore: { depth: 3 }"));
    const r = cli(["check", dir]);
    expect(r).toEqual({
      code: 2,
      stdout: `INVALID ${file}: not checked (its problems are on standard error)\n\ncheck: 0 passed, 0 failed, 0 missing, 0 obsolete, 1 invalid\n`,
      stderr: `${file}:7:3: races: the exploration of its races would run 4,785,617 schedules, over the limit of 2,000,000; narrow it with at: or during: on the races, or a lower explore.depth (now 3)\n`,
    });
  });
});

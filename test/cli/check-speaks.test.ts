// check says what went wrong and what to do next (issue 21, points 3, 4 and 6).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { globalLink, NO_NPM } from "../helpers/started.js";

const tmp = mkdtempSync(join(tmpdir(), "axptr-check-speaks-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
/** A fresh folder under tmp with the given files. */
function folder(files: Record<string, string> = {}): string {
  const dir = join(tmp, `case-${++n}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("check of a folder with no scenarios", () => {
  it("fails (exit 1) and says so, as test runners do on no tests found", () => {
    const dir = folder({ "notes.txt": "not a scenario\n" });
    const r = cli(["check", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`NO SCENARIOS in ${dir}: no file named NAME.yaml or NAME.yml (--pass-with-no-scenarios passes anyway)\n\ncheck: 0 passed, 0 failed, 0 missing, 0 obsolete\n`);
    expect(r.stderr).toBe("axptr-sim: check failed: no scenarios found\n");
  });

  it("passes with --pass-with-no-scenarios", () => {
    const dir = folder();
    const r = cli(["check", dir, "--pass-with-no-scenarios"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("\ncheck: 0 passed, 0 failed, 0 missing, 0 obsolete\n");
    expect(r.stderr).toBe("");
  });
});

describe("check's next step", () => {
  const SEED = readFileSync("scenarios/01-seed-string-across-lazy-page.yaml", "utf8");
  /** A scenario whose golden was made, then whose expectation was changed so it fails. */
  function failingExpectation(): { dir: string; file: string } {
    const dir = folder({ "a b.yaml": SEED });
    expect(cli(["check", dir, "--update"]).code).toBe(0);
    const file = join(dir, "a b.yaml");
    writeFileSync(file, SEED.replace('expect: { ok: "hello, world" }', 'expect: { ok: "hello, worlx" }'));
    return { dir, file };
  }

  it("a failed expectation offers only the step that works (not --update, which refuses it), before and after --update", () => {
    const { dir, file } = failingExpectation();
    const fix = `  fix the expectation in ${file}, or the behaviour it describes (npx axptr-sim run '${file}')`;
    for (const args of [[], ["--update"]]) {
      const r = cli(["check", dir, ...args]);
      expect(r.code).toBe(1);
      expect(r.stdout).not.toContain("check --update");
      expect(r.stdout.split("\n").filter((l) => l.startsWith("  fix") || l.startsWith("  if the change"))).toEqual([fix]);
    }
  });

  it("names the tool as the user started it: axptr-sim from a global install, npx axptr-sim otherwise", () => {
    const dir = folder({ "a.yaml": SEED });
    const npx = cli(["check", dir]);
    expect(npx.stdout).toContain(`  create it with: npx axptr-sim check --update ${join(dir, "a.yaml")}\n`);
    const global = cli(["check", dir], { env: NO_NPM, script: globalLink(join(tmp, "global")) });
    expect(global.stdout).toContain(`  create it with: axptr-sim check --update ${join(dir, "a.yaml")}\n`);
    const viaNpm = cli(["check", dir], { env: { ...NO_NPM, npm_command: "exec" }, script: globalLink(join(tmp, "global-npm")) });
    expect(viaNpm.stdout).toContain(`  create it with: npx axptr-sim check --update ${join(dir, "a.yaml")}\n`);
  });
});

describe("a violating class in check", () => {
  it("says which setting it violates, shows its witness's replay, and counts as failed (not missing)", () => {
    const dir = folder({ "m.yaml": readFileSync("test/fixtures/explore/migration-forbidden.yaml", "utf8") });
    expect(cli(["check", dir, "--update"]).code).toBe(1); // the .trace is written; the outcome golden is not
    const file = join(dir, "m.yaml");
    const r = cli(["check", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        `ok   ${file}`,
        `FAIL ${file} (outcomes): 2 classes violate the file's explore settings; no outcome golden ${join(dir, "m.outcomes")} (none is written while a class violates)`,
        `  explore: class 2 (9 schedules, outcome panic, hazards migrated-in-access) violates never: panic, hazards: forbidden; replay its witness: npx axptr-sim run ${file} --replay 'migrate@main#1:flag-set'`,
        `  explore: class 3 (4 schedules, outcome completed, hazards migrated-in-access) violates hazards: forbidden; replay its witness: npx axptr-sim run ${file} --replay 'migrate@main#1:before-read[5]'`,
        `  fix the behaviour a witness shows (replay it as above), or the explore settings in ${file}`,
        "",
        "check: 1 passed, 1 failed, 0 missing, 0 obsolete",
        "",
      ].join("\n"),
    );
    expect(r.stderr).toBe("axptr-sim: check failed: 1 failed, 0 missing\n");
    // The replay shown is the violating run.
    const replay = cli(["run", file, "--replay", "migrate@main#1:flag-set", "--format", "json"]);
    expect(JSON.parse(replay.stdout)).toMatchObject({ outcome: "panic" });
  });
});

describe("check --exclude GLOB", () => {
  const SEED = readFileSync("scenarios/01-seed-string-across-lazy-page.yaml", "utf8");
  it("leaves out the scenarios a glob names (repeatable; without / a file name in any folder), and their goldens are not obsolete", () => {
    const dir = folder({ "a.yaml": SEED, "b.yaml": SEED });
    mkdirSync(join(dir, "wip"));
    writeFileSync(join(dir, "wip", "c.yaml"), SEED);
    expect(cli(["check", dir, "--update"]).code).toBe(0);
    const r = cli(["check", "--exclude", `${dir}/wip/**`, "--exclude", "b.yaml", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`ok   ${join(dir, "a.yaml")}\n\ncheck: 1 passed, 0 failed, 0 missing, 0 obsolete\n`);
  });

  it("a check whose every scenario is excluded finds none, and fails as such", () => {
    const dir = folder({ "a.yaml": SEED });
    const r = cli(["check", dir, "--exclude", "*.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`NO SCENARIOS in ${dir}`);
  });
});

describe("check --update --prune", () => {
  const SEED = readFileSync("scenarios/01-seed-string-across-lazy-page.yaml", "utf8");
  it("removes obsolete goldens (trace and outcomes), listing each; without --update it is refused", () => {
    const dir = folder({ "a.yaml": SEED });
    expect(cli(["check", dir, "--update"]).code).toBe(0);
    writeFileSync(join(dir, "gone.trace"), "old\n");
    writeFileSync(join(dir, "old.outcomes"), "old\n");
    const refused = cli(["check", dir, "--prune"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe("axptr-sim: --prune removes obsolete goldens, and goldens change only with --update: add --update\n");
    expect(existsSync(join(dir, "gone.trace"))).toBe(true);
    const r = cli(["check", dir, "--update", "--prune"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `ok   ${join(dir, "a.yaml")}`,
        "",
        `unchanged ${join(dir, "a.trace")}`,
        `removed ${join(dir, "gone.trace")} (obsolete: its scenario is gone)`,
        `removed ${join(dir, "old.outcomes")} (obsolete: its scenario is gone)`,
        "",
        "check: 1 passed, 0 failed, 0 missing, 0 obsolete",
        "",
      ].join("\n"),
    );
    expect(readdirSync(dir).sort()).toEqual(["a.trace", "a.yaml"]);
  });
});

describe("check --accept PATH", () => {
  const SEED = readFileSync("scenarios/01-seed-string-across-lazy-page.yaml", "utf8");
  it("writes the golden of the scenario named (or the golden named), as --update would, and no other", () => {
    const dir = folder({ "a.yaml": SEED, "b.yaml": SEED, "c.yaml": SEED });
    const r = cli(["check", dir, "--accept", join(dir, "a.yaml"), "--accept", join(dir, "c.trace")]);
    expect(r.code).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(["a.trace", "a.yaml", "b.yaml", "c.trace", "c.yaml"]);
    expect(r.stdout).toContain(`\ncreated ${join(dir, "a.trace")}\ncreated ${join(dir, "c.trace")}\n\ncheck: 2 passed, 0 failed, 1 missing, 0 obsolete\n`);
    expect(r.stdout).toContain(`MISSING ${join(dir, "b.yaml")}: no golden trace ${join(dir, "b.trace")}\n`);
  });

  it("a path that is no scenario of the check, nor its golden, is exit 2", () => {
    const dir = folder({ "a.yaml": SEED });
    const r = cli(["check", dir, "--accept", "elsewhere.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("axptr-sim: --accept elsewhere.yaml: not a scenario of this check, nor one's golden (name a .yaml checked here, or its .trace or .outcomes)\n");
  });
});

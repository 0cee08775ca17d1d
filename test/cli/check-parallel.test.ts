// `check` on every core (src/cli/commands/check-parallel.ts) reports byte for byte what one
// thread reports, in the same order: passes, failures with their diffs and
// annotations, invalid files and files too large to trace.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";

const scenario = (i: number, expect = `hello ${i}`) => `name: scenario ${i}
memory:
  - { start: 0x10000, pages: 2, perm: r, populate: false, contents: [{ at: 0x10ffc, str: "hello ${i}\\0" }] }
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: 0x10ffc, expect: { ok: "${expect}" } }
`;

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "axptr-parallel-"));
  // More files than the threshold for workers (64).
  for (let i = 0; i < 90; i++) writeFileSync(join(dir, `s${String(i).padStart(3, "0")}.yaml`), scenario(i));
  expect(cli(["check", "--update", dir]).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The same command with one thread and with two. */
function both(args: string[], env: Record<string, string> = {}) {
  const one = cli(args, { env: { ...env, AXPTR_SIM_CHECK_THREADS: "1" } });
  const two = cli(args, { env: { ...env, AXPTR_SIM_CHECK_THREADS: "2" } });
  return { one, two };
}

describe("check on several threads", () => {
  it("passes every scenario, in order, with the output of one thread", () => {
    const { one, two } = both(["check", dir]);
    expect(two).toEqual(one);
    expect(one.code).toBe(0);
    expect(one.stdout.split("\n").slice(0, 2)).toEqual([`ok   ${join(dir, "s000.yaml")}`, `ok   ${join(dir, "s001.yaml")}`]);
    expect(one.stdout.endsWith("check: 90 passed, 0 failed, 0 missing, 0 obsolete\n")).toBe(true);
  });

  it("reports a changed golden, a failed expectation and a missing golden as one thread does, annotations included", () => {
    const golden = join(dir, "s010.trace");
    const saved = readFileSync(golden, "utf8");
    try {
      writeFileSync(golden, saved.replace("hello 10", "hello 1O"));
      writeFileSync(join(dir, "s050.yaml"), scenario(50, "bye"));
      writeFileSync(join(dir, "s089b.yaml"), scenario(89));
      const { one, two } = both(["check", dir], { GITHUB_ACTIONS: "true" });
      expect(two).toEqual(one);
      expect(one.code).toBe(1);
      expect(one.stdout).toContain(`FAIL ${join(dir, "s010.yaml")}`);
      expect(one.stdout).toContain(`  expectation failed: main#1 get_as_str: expected ok "bye", got ok "hello 50"`);
      expect(one.stdout).toContain(`MISSING ${join(dir, "s089b.yaml")}`);
      expect(one.stdout).toContain(`::error file=${join(dir, "s050.yaml")},line=7,`);
    } finally {
      writeFileSync(golden, saved);
      writeFileSync(join(dir, "s050.yaml"), scenario(50));
      rmSync(join(dir, "s089b.yaml"));
    }
  });

  it("names every problem of every invalid file, in file order, and checks the others (issue 12: an invalid file no longer stops the batch)", () => {
    try {
      writeFileSync(join(dir, "s020.yaml"), "name: x\nthreads: 3\n");
      writeFileSync(join(dir, "s070.yaml"), "name: y\nmemry: []\n");
      const { one, two } = both(["check", dir]);
      expect(two).toEqual(one);
      expect(one.code).toBe(2);
      expect(one.stdout).toContain(`INVALID ${join(dir, "s020.yaml")}: not checked (its problems are on standard error)\nINVALID ${join(dir, "s070.yaml")}: not checked`);
      expect(one.stdout.endsWith("\ncheck: 88 passed, 0 failed, 0 missing, 0 obsolete, 2 invalid\n")).toBe(true);
      const lines = one.stderr.trimEnd().split("\n");
      expect(lines[0]?.startsWith(`${join(dir, "s020.yaml")}:2:`)).toBe(true);
      expect(lines[lines.length - 1]?.startsWith(`${join(dir, "s070.yaml")}:2:`)).toBe(true);
    } finally {
      writeFileSync(join(dir, "s020.yaml"), scenario(20));
      writeFileSync(join(dir, "s070.yaml"), scenario(70));
    }
  });

  it("reads every golden where its scenario is made, and refuses one it cannot look at as one thread does, before printing anything", () => {
    const link = join(dir, "s020.trace");
    const folder = join(dir, "s075.trace");
    try {
      renameSync(link, `${link}.saved`);
      symlinkSync("s021.trace", link);
      renameSync(folder, `${folder}.saved`);
      mkdirSync(folder);
      const { one, two } = both(["check", dir]);
      expect(two).toEqual(one);
      expect(one.code).toBe(2);
      expect(one.stdout).toBe("");
      expect(one.stderr).toBe(
        `${link}:1:1: (file): the golden is a symbolic link to s021.trace: check never reads or writes through a link (put a regular file there)\n` +
          `${folder}:1:1: (file): the golden is a folder, not a file (remove or rename it)\n`,
      );
    } finally {
      rmSync(link);
      renameSync(`${link}.saved`, link);
      rmSync(folder, { recursive: true });
      renameSync(`${folder}.saved`, folder);
    }
  });

  it("judges a scenario with races and its outcome golden on a worker as on one thread: passed, then changed", () => {
    const name = "43-races-toctou-get-freed";
    const outcomes = join(dir, "s044r.outcomes");
    try {
      for (const ext of ["yaml", "trace", "outcomes"]) copyFileSync(join(ROOT, "scenarios", `${name}.${ext}`), join(dir, `s044r.${ext}`));
      // The goldens name their scenario file.
      for (const ext of ["trace", "outcomes"]) writeFileSync(join(dir, `s044r.${ext}`), readFileSync(join(dir, `s044r.${ext}`), "utf8").replaceAll(`${name}.yaml`, "s044r.yaml"));
      const passed = both(["check", dir]);
      expect(passed.two).toEqual(passed.one);
      expect(passed.one.code).toBe(0);
      expect(passed.one.stdout).toContain(`ok   ${join(dir, "s044r.yaml")}\nok   ${join(dir, "s044r.yaml")} (outcomes)\nok   ${join(dir, "s045.yaml")}\n`);
      expect(passed.one.stdout.endsWith("check: 92 passed, 0 failed, 0 missing, 0 obsolete\n")).toBe(true);
      writeFileSync(outcomes, readFileSync(outcomes, "utf8").replace("3 classes", "2 classes"));
      const failed = both(["check", dir]);
      expect(failed.two).toEqual(failed.one);
      expect(failed.one.code).toBe(1);
      expect(failed.one.stdout).toContain(`FAIL ${join(dir, "s044r.yaml")} (outcomes): `);
    } finally {
      for (const ext of ["yaml", "trace", "outcomes"]) rmSync(join(dir, `s044r.${ext}`), { force: true });
    }
  });

  it("gives every worker check's --max-schedules: a file over it is invalid whichever thread explores it", () => {
    const name = "43-races-toctou-get-freed";
    // Files with races in every chunk of 16, so that workers explore some of them.
    const races = ["s005r", "s021r", "s037r", "s053r", "s069r", "s085r"];
    try {
      for (const r of races) copyFileSync(join(ROOT, "scenarios", `${name}.yaml`), join(dir, `${r}.yaml`));
      const { one, two } = both(["check", dir, "--max-schedules", "2"]);
      expect(two).toEqual(one);
      expect(one.code).toBe(2);
      const lines = one.stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(races.length);
      for (const [i, r] of races.entries()) expect(lines[i]).toMatch(new RegExp(`^${join(dir, r)}\\.yaml:\\d+:\\d+: races: the exploration of its races would run [\\d,]+ schedules, over --max-schedules 2; `));
      expect(one.stdout.endsWith(`check: 90 passed, 0 failed, 0 missing, 0 obsolete, ${races.length} invalid\n`)).toBe(true);
    } finally {
      for (const r of races) rmSync(join(dir, `${r}.yaml`), { force: true });
    }
  });

  it("refuses the first file too large to trace, as one thread does", () => {
    const big = `name: big
memory: [{ start: 0x10000, pages: 1, perm: r }]
threads: [{ name: main, steps: [{ op: get_as_slice, ptr: 0x10000, type: { size: 0, align: 1 }, len: 99999990, use: read }] }]
`;
    try {
      writeFileSync(join(dir, "s030.yaml"), big);
      writeFileSync(join(dir, "s080.yaml"), big);
      const { one, two } = both(["check", dir]);
      expect(two).toEqual(one);
      expect(one.code).toBe(2);
      expect(one.stderr).toMatch(new RegExp(`^${join(dir, "s030.yaml")}:1:1: \\(file\\): too large to trace: a value of 99999990 `));
    } finally {
      writeFileSync(join(dir, "s030.yaml"), scenario(30));
      writeFileSync(join(dir, "s080.yaml"), scenario(80));
    }
  });
});

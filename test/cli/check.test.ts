// `axptr-sim check`: the whole golden-trace flow, in a temporary folder.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";

const SEED = "01-seed-string-across-lazy-page";
const MIGRATE = "23-migration-mid-scan-percpu-flag";
const SEED_YAML = `s/${SEED}.yaml`;
const SEED_TRACE = `s/${SEED}.trace`;
const MIGRATE_YAML = `s/${MIGRATE}.yaml`;
const MIGRATE_TRACE = `s/${MIGRATE}.trace`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh folder with `s/` holding two bundled scenarios (and their goldens when `goldens`). */
function fresh(goldens = false): string {
  const dir = mkdtempSync(join(tmpdir(), "axptr-check-"));
  dirs.push(dir);
  mkdirSync(join(dir, "s"));
  for (const name of [SEED, MIGRATE]) {
    copyFileSync(join(ROOT, "scenarios", `${name}.yaml`), join(dir, "s", `${name}.yaml`));
    if (goldens) copyFileSync(join(ROOT, "scenarios", `${name}.trace`), join(dir, "s", `${name}.trace`));
  }
  return dir;
}

/** Every file under the folder with its bytes, to show that nothing was written. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, name.name);
      if (name.isDirectory()) walk(p, `${rel}${name.name}/`);
      else out[`${rel}${name.name}`] = readFileSync(p, "latin1");
    }
  };
  walk(dir, "");
  return out;
}

const read = (dir: string, rel: string) => readFileSync(join(dir, rel), "utf8");
const edit = (dir: string, rel: string, from: string | RegExp, to: string) => {
  const before = read(dir, rel);
  const after = before.replace(from, to);
  expect(after).not.toBe(before);
  writeFileSync(join(dir, rel), after);
};

const summary = (passed: number, failed: number, missing: number, obsolete: number) =>
  `check: ${passed} passed, ${failed} failed, ${missing} missing, ${obsolete} obsolete`;

describe("axptr-sim check: missing goldens", () => {
  it("fails, prints the exact command that creates each golden, and writes nothing", () => {
    const dir = fresh();
    const before = snapshot(dir);
    const r = cli(["check", "s"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        `MISSING ${SEED_YAML}: no golden trace ${SEED_TRACE}`,
        `  create it with: npx axptr-sim check --update ${SEED_YAML}`,
        `MISSING ${MIGRATE_YAML}: no golden trace ${MIGRATE_TRACE}`,
        `  create it with: npx axptr-sim check --update ${MIGRATE_YAML}`,
        "",
        summary(0, 0, 2, 0),
        "",
      ].join("\n"),
    );
    expect(r.stderr).toBe("axptr-sim: check failed: 0 failed, 2 missing\n");
    expect(snapshot(dir)).toEqual(before);
  });

  it("writes nothing in CI either, and says why", () => {
    const dir = fresh();
    const before = snapshot(dir);
    const r = cli(["check", "s"], { cwd: dir, env: { CI: "true" } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`  create it with: npx axptr-sim check --update ${SEED_YAML}\n`);
    expect(r.stdout).toContain(`${summary(0, 0, 2, 0)} (CI: goldens are written only with --update)\n`);
    expect(snapshot(dir)).toEqual(before);
  });

  it("names a single scenario file as it was given", () => {
    const dir = fresh();
    const r = cli(["check", `./${SEED_YAML}`], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`  create it with: npx axptr-sim check --update ./${SEED_YAML}\n`);
    expect(existsSync(join(dir, SEED_TRACE))).toBe(false);
  });
});

describe("axptr-sim check: the golden-trace flow", () => {
  const dir = fresh();

  it("--update creates the goldens: the plain-text trace, named by the file's base name", () => {
    const r = cli(["check", "--update", "s"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [`ok   ${SEED_YAML}`, `ok   ${MIGRATE_YAML}`, "", `created ${SEED_TRACE}`, `created ${MIGRATE_TRACE}`, "", summary(2, 0, 0, 0), ""].join("\n"),
    );
    // The bundled goldens were made the same way.
    expect(read(dir, SEED_TRACE)).toBe(readFileSync(join(ROOT, "scenarios", `${SEED}.trace`), "utf8"));
    expect(read(dir, MIGRATE_TRACE)).toBe(readFileSync(join(ROOT, "scenarios", `${MIGRATE}.trace`), "utf8"));
    expect(read(dir, SEED_TRACE)).toMatch(new RegExp(`^scenario  .*\\nfile      ${SEED}\\.yaml\\n`));
  });

  it("a second --update leaves them unchanged", () => {
    const before = snapshot(dir);
    const r = cli(["check", "--update", "s"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`\nunchanged ${SEED_TRACE}\nunchanged ${MIGRATE_TRACE}\n`);
    expect(r.stdout).not.toContain("created");
    expect(snapshot(dir)).toEqual(before);
  });

  it("then the check passes", () => {
    const r = cli(["check", "s"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([`ok   ${SEED_YAML}`, `ok   ${MIGRATE_YAML}`, "", summary(2, 0, 0, 0), ""].join("\n"));
  });

  it("an edited scenario fails with a unified diff naming it and its first differing event, and the golden stays as it was", () => {
    const golden = read(dir, SEED_TRACE);
    const goldenBytes = readFileSync(join(dir, SEED_TRACE));
    edit(dir, SEED_YAML, /hello,/g, "HELLO,");
    const r = cli(["check", "s"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("axptr-sim: check failed: 1 failed, 0 missing\n");

    // The expected diff, built from the golden by hand: two lines change, three lines of context.
    const old = golden.split("\n").slice(0, -1);
    const now = old.map((l) => l.replace(/hello,/g, "HELLO,"));
    const changed = old.flatMap((l, i) => (l === now[i] ? [] : [i]));
    expect(changed.length).toBe(2);
    const [first, last] = [changed[0] as number, changed[1] as number];
    expect(old[first]).toMatch(/^ 12 +0 +main +1 .*◀ ok "hello, world"$/);
    expect(last - first).toBeLessThanOrEqual(7);
    const lo = first - 3;
    const hi = Math.min(old.length - 1, last + 3);
    const hunk: string[] = [];
    for (let i = lo; i <= hi; i++) hunk.push(...(changed.includes(i) ? [`-${old[i]}`, `+${now[i]}`] : [` ${old[i]}`]));
    const n = hi - lo + 1;
    const diff = [`--- ${SEED_TRACE} (golden)`, `+++ ${SEED_TRACE} (now)`, `@@ -${lo + 1},${n} +${lo + 1},${n} @@`, ...hunk];

    expect(r.stdout).toBe(
      [
        `FAIL ${SEED_YAML}: trace differs from ${SEED_TRACE} at event 12 (thread main, step 1)`,
        ...diff.map((l) => `  ${l}`),
        `  if the change is intended: npx axptr-sim check --update ${SEED_YAML}`,
        `ok   ${MIGRATE_YAML}`,
        "",
        summary(1, 1, 0, 0),
        "",
      ].join("\n"),
    );
    expect(readFileSync(join(dir, SEED_TRACE)).equals(goldenBytes)).toBe(true);
  });

  it("--update then rewrites the golden of the edited scenario, and only that one", () => {
    const other = read(dir, MIGRATE_TRACE);
    const r = cli(["check", "--update", "s"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`\nupdated ${SEED_TRACE}\nunchanged ${MIGRATE_TRACE}\n`);
    expect(read(dir, SEED_TRACE)).toContain('◀ ok "HELLO, world"');
    expect(read(dir, MIGRATE_TRACE)).toBe(other);
    expect(cli(["check", "s"], { cwd: dir }).code).toBe(0);
  });

  it("a golden checked out with CRLF line endings still passes", () => {
    const lf = read(dir, MIGRATE_TRACE);
    writeFileSync(join(dir, MIGRATE_TRACE), lf.replace(/\n/g, "\r\n"));
    expect(read(dir, MIGRATE_TRACE)).toContain("\r\n");
    const r = cli(["check", "s"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`ok   ${MIGRATE_YAML}\n`);
    expect(r.stdout).toContain(summary(2, 0, 0, 0));
  });

  it("an obsolete .trace is listed, and fails the check only with --strict", () => {
    writeFileSync(join(dir, "s", "99-gone.trace"), "scenario  gone\n");
    const r = cli(["check", "s"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [`ok   ${SEED_YAML}`, `ok   ${MIGRATE_YAML}`, "obsolete s/99-gone.trace: its scenario is gone (delete it; --strict fails on it)", "", summary(2, 0, 0, 1), ""].join("\n"),
    );
    const strict = cli(["check", "--strict", "s"], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain("OBSOLETE s/99-gone.trace: its scenario is gone (delete it)\n");
    expect(strict.stdout).toContain(summary(2, 0, 0, 1));
    expect(strict.stderr).toBe("axptr-sim: check failed: 0 failed, 0 missing, 1 obsolete\n");
    // --update never deletes it.
    expect(cli(["check", "--update", "s"], { cwd: dir }).code).toBe(0);
    expect(existsSync(join(dir, "s", "99-gone.trace"))).toBe(true);
    rmSync(join(dir, "s", "99-gone.trace"));
  });

  it("checks each scenario and golden once, however often the paths reach it", () => {
    writeFileSync(join(dir, "s", "99-gone.trace"), "scenario  gone\n");
    const r = cli(["check", `./${SEED_YAML}`, "s", "./s/", SEED_YAML], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [`ok   ./${SEED_YAML}`, `ok   ${MIGRATE_YAML}`, "obsolete s/99-gone.trace: its scenario is gone (delete it; --strict fails on it)", "", summary(2, 0, 0, 1), ""].join("\n"),
    );
    rmSync(join(dir, "s", "99-gone.trace"));
  });
});

describe("axptr-sim check: failed expectations", () => {
  it("--update leaves the golden of a scenario whose expectation fails untouched, and says why", () => {
    const dir = fresh(true);
    const golden = read(dir, MIGRATE_TRACE);
    edit(dir, MIGRATE_YAML, 'expect: { ok: "abcd" }', 'expect: { ok: "abce" }');
    const up = cli(["check", "--update", "s"], { cwd: dir });
    expect(up.code).toBe(1);
    expect(up.stdout).toContain(`\nunchanged ${SEED_TRACE}\nnot updated ${MIGRATE_TRACE}: an expectation of ${MIGRATE_YAML} failed (fix it first: a golden records a trace whose expectations are met)\n`);
    expect(read(dir, MIGRATE_TRACE)).toBe(golden);
    // Nor is a missing golden created for it.
    rmSync(join(dir, MIGRATE_TRACE));
    const missing = cli(["check", "--update", MIGRATE_YAML], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(`\nnot created ${MIGRATE_TRACE}: an expectation of ${MIGRATE_YAML} failed (fix it first: a golden records a trace whose expectations are met)\n`);
    expect(existsSync(join(dir, MIGRATE_TRACE))).toBe(false);
  });

  it("fails a scenario whose golden matches when one of its expectations fails", () => {
    const dir = fresh();
    edit(dir, MIGRATE_YAML, 'expect: { ok: "abcd" }', 'expect: { ok: "abce" }');
    // A golden that records the failed expectation (written by hand: --update refuses to) matches; the check still fails.
    const traced = cli(["run", "--no-color", `${MIGRATE}.yaml`], { cwd: join(dir, "s") });
    expect(traced.code).toBe(1);
    writeFileSync(join(dir, MIGRATE_TRACE), traced.stdout);
    cli(["check", "--update", SEED_YAML], { cwd: dir });
    const before = snapshot(dir);
    const r = cli(["check", "s"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        `ok   ${SEED_YAML}`,
        `FAIL ${MIGRATE_YAML}: 1 expectation failed`,
        '  expectation failed: main#1 get_as_str: expected ok "abce", got ok "abcd"',
        `  fix the expectation in ${MIGRATE_YAML}, or the behaviour it describes (npx axptr-sim run ${MIGRATE_YAML})`,
        "",
        summary(1, 1, 0, 0),
        "",
      ].join("\n"),
    );
    expect(r.stderr).toBe("axptr-sim: check failed: 1 failed, 0 missing\n");
    expect(snapshot(dir)).toEqual(before);
  });

  it("reports a failed whole-run expectation", () => {
    const dir = fresh(true);
    edit(dir, SEED_YAML, "outcome: completed", "outcome: panic");
    const r = cli(["check", SEED_YAML], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL ${SEED_YAML}: `);
    expect(r.stdout).toContain("  expectation failed: run: outcome panic, got outcome completed\n");
  });

  it("names the hazards reported when a hazard expectation fails, not the outcome", () => {
    const dir = fresh(true);
    edit(dir, MIGRATE_YAML, /hazards: \[[^\]]*\]/, "hazards: [flag-cleared-early]");
    const r = cli(["check", MIGRATE_YAML], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("  expectation failed: run: hazard flag-cleared-early, got hazard migrated-in-access\n");
    edit(dir, SEED_YAML, "hazards: []", "hazards: [stranded-flag]");
    const none = cli(["check", SEED_YAML], { cwd: dir });
    expect(none.stdout).toContain("  expectation failed: run: hazard stranded-flag, got no hazard\n");
  });
});

describe("axptr-sim check: reporters", () => {
  /** Tags balance and attribute values are quoted; returns the testcase elements. */
  function parseJunit(xml: string): { name: string; failure?: string; body?: string }[] {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    const stack: string[] = [];
    const tag = /<(\/?)([A-Za-z]+)((?:\s+[a-z]+="[^"<]*")*)\s*(\/?)>/g;
    let last = xml.indexOf("\n") + 1;
    for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
      if (m.index < last) continue;
      expect(xml.slice(last, m.index)).not.toMatch(/[<>]/);
      last = tag.lastIndex;
      if (m[1]) expect(stack.pop()).toBe(m[2]);
      else if (!m[4]) stack.push(m[2] as string);
    }
    expect(xml.slice(last).trim()).toBe("");
    expect(stack).toEqual([]);
    const cases = [...xml.matchAll(/<testcase ([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)];
    return cases.map((c) => {
      const name = /(?:^|\s)name="([^"]*)"/.exec(c[1] as string)?.[1] as string;
      const f = /<failure message="([^"]*)"[^>]*?(?:\/>|>([\s\S]*?)<\/failure>)/.exec(c[3] ?? "");
      return f ? { name, failure: f[1] as string, body: f[2] ?? "" } : { name };
    });
  }

  it("--reporter junit --output writes XML naming the failing case", () => {
    const dir = fresh(true);
    edit(dir, MIGRATE_YAML, /"ab"/, '"a&"');
    const r = cli(["check", "--reporter", "junit", "--output", "report.xml", "s"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL ${MIGRATE_YAML}: `);
    const xml = read(dir, "report.xml");
    expect(xml).toMatch(/<testsuites name="axptr-sim check" tests="2" failures="1">/);
    const cases = parseJunit(xml);
    expect(cases.map((c) => c.name)).toEqual([SEED_YAML, MIGRATE_YAML]);
    expect(cases[0]).toEqual({ name: SEED_YAML });
    expect(cases[1]?.failure).toMatch(new RegExp(`^trace differs from ${MIGRATE_TRACE} at event \\d+ \\(thread main, step 1\\); 1 expectation failed$`));
    expect(cases[1]?.body).toContain(`--- ${MIGRATE_TRACE} (golden)\n+++ ${MIGRATE_TRACE} (now)\n@@ `);
    expect(cases[1]?.body).toContain("ok &quot;a&amp;cd&quot;");
    expect(cases[1]?.body).not.toMatch(/&(?!amp;|lt;|gt;|quot;)/);
  });

  it("--reporter junit writes a passing report too, making the folders --output needs", () => {
    const dir = fresh(true);
    const ok = cli(["check", "--reporter", "junit", "--output", "reports/ci/report.xml", "s"], { cwd: dir });
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    const cases = parseJunit(read(dir, "reports/ci/report.xml"));
    expect(cases).toEqual([{ name: SEED_YAML }, { name: MIGRATE_YAML }]);
    // A folder that cannot be made (a file in its way) is the user's problem (exit 2), not an internal error.
    writeFileSync(join(dir, "blocked"), "");
    const blocked = cli(["check", "--reporter", "junit", "--output", "blocked/report.xml", "s"], { cwd: dir });
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toBe("axptr-sim: --output blocked/report.xml: cannot make its folder blocked: a file is in the way\n");
  });

  it("--reporter junit without --output is a usage error", () => {
    const dir = fresh(true);
    const before = snapshot(dir);
    const r = cli(["check", "--reporter", "junit", "s"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("axptr-sim: --reporter junit needs --output FILE\n");
    expect(snapshot(dir)).toEqual(before);
  });

  it("marks each failure for GitHub Actions on its scenario file", () => {
    const dir = fresh(true);
    edit(dir, SEED_YAML, /hello,/g, "HELLO,");
    rmSync(join(dir, MIGRATE_TRACE));
    const r = cli(["check", "s"], { cwd: dir, env: { GITHUB_ACTIONS: "true" } });
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n").filter((l) => l.startsWith("::"));
    expect(lines).toEqual([
      `::error file=${SEED_YAML},line=27,title=axptr-sim check::trace differs from ${SEED_TRACE} at event 12 (thread main, step 1)`,
      `::error file=${MIGRATE_YAML},line=1,title=axptr-sim check::no golden trace ${MIGRATE_TRACE}`,
    ]);
    // Not without GITHUB_ACTIONS.
    expect(cli(["check", "s"], { cwd: dir }).stdout).not.toContain("::error");
  });

  it("colours nothing in a golden, even with FORCE_COLOR", () => {
    const dir = fresh();
    const r = cli(["check", "--update", "s"], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("\u001b[");
    expect(read(dir, SEED_TRACE)).not.toContain("\u001b");
    expect(read(dir, SEED_TRACE)).toBe(readFileSync(join(ROOT, "scenarios", `${SEED}.trace`), "utf8"));
  });
});

describe("axptr-sim check: bad input", () => {
  it("a nonexistent path is exit 2", () => {
    const dir = fresh(true);
    const r = cli(["check", "s", "nope"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("axptr-sim: nope: no such file or folder\n");
  });

  it("an invalid scenario in the folder is reported at its line, the others are checked, then exit 2", () => {
    const dir = fresh(true);
    writeFileSync(join(dir, "s", "10-bad.yaml"), "name: bad\nmachine:\n  cpuz: 2\n");
    const before = snapshot(dir);
    const r = cli(["check", "s"], { cwd: dir });
    expect(r.stdout).toBe(
      [`ok   ${SEED_YAML}`, `ok   ${MIGRATE_YAML}`, "INVALID s/10-bad.yaml: not checked (its problems are on standard error)", "", `${summary(2, 0, 0, 0)}, 1 invalid`, ""].join("\n"),
    );
    expect(r.stderr).toBe('s/10-bad.yaml:3:3: machine.cpuz: unknown key "cpuz" (did you mean "cpus"?)\n');
    expect(r.code).toBe(2);
    expect(snapshot(dir)).toEqual(before);
    // With --update, the valid scenarios' goldens are written, and none for the invalid one.
    rmSync(join(dir, SEED_TRACE));
    const up = cli(["check", "--update", "s"], { cwd: dir });
    expect(up.code).toBe(2);
    expect(up.stdout).toContain(`\ncreated ${SEED_TRACE}\nunchanged ${MIGRATE_TRACE}\n`);
    expect(existsSync(join(dir, "s", "10-bad.trace"))).toBe(false);
    // The JUnit report counts it as an error, with its problem lines.
    const junit = cli(["check", "--reporter", "junit", "--output", "junit.xml", "s"], { cwd: dir });
    expect(junit.code).toBe(2);
    const xml = read(dir, "junit.xml");
    expect(xml).toContain('<testsuite name="axptr-sim check" tests="3" failures="0" errors="1" skipped="0">');
    expect(xml).toContain(
      '    <testcase classname="axptr-sim.check" name="s/10-bad.yaml" file="s/10-bad.yaml">\n      <error message="invalid scenario" type="invalid">s/10-bad.yaml:3:3: machine.cpuz: unknown key &quot;cpuz&quot; (did you mean &quot;cpus&quot;?)</error>\n    </testcase>\n',
    );
    // A failure elsewhere is still reported (exit 2 wins over 1).
    edit(dir, SEED_YAML, "outcome: completed", "outcome: panic");
    const both = cli(["check", "s"], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('s/10-bad.yaml:3:3: machine.cpuz: unknown key "cpuz" (did you mean "cpus"?)\naxptr-sim: check failed: 1 failed, 0 missing\n');
  });
});

describe("axptr-sim check: the bundled scenarios", () => {
  it("pass their own check", () => {
    // One case per scenario, and one more per scenario with races: its .outcomes golden (explore.md section 7).
    const files = readdirSync(join(ROOT, "scenarios"));
    const n = files.filter((f) => /\.ya?ml$/.test(f)).length + files.filter((f) => f.endsWith(".outcomes")).length;
    expect(n).toBeGreaterThan(0);
    const r = cli(["check", "scenarios"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith(`\n${summary(n, 0, 0, 0)}\n`)).toBe(true);
    expect(r.stdout.split("\n").filter((l) => l.startsWith("ok   scenarios/")).length).toBe(n);
  });

  it("is also the default folder", () => {
    const r = cli(["check"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(cli(["check", "scenarios"]).stdout);
  });
});

describe("axptr-sim check: guidance on mistakes", () => {
  it("refuses --output without --reporter junit, and - (standard input), with exit 2", () => {
    const dir = fresh(true);
    const out = cli(["check", "--output", "r.xml", "s"], { cwd: dir });
    expect(out.code).toBe(2);
    expect(out.stderr).toBe("axptr-sim: --output is where the junit reporter writes: add --reporter junit\n");
    expect(existsSync(join(dir, "r.xml"))).toBe(false);
    const stdin = cli(["check", "-"], { cwd: dir });
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toBe("axptr-sim: check reads scenario files and writes goldens beside them: give files or folders, not - (standard input)\n");
  });

  it("says that scenarios/ is only the default folder when it is missing", () => {
    const dir = mkdtempSync(join(tmpdir(), "axptr-check-empty-"));
    dirs.push(dir);
    const r = cli(["check"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "axptr-sim: scenarios: no such file or folder (scenarios/ is where check looks when given no path: name the scenario files or folders to check)\n",
    );
  });

  it("marks an invalid scenario on its own line in GitHub Actions", () => {
    const dir = fresh(true);
    writeFileSync(join(dir, "s", "bad.yaml"), "name: bad\nmemory:\n  - { start: 0x10000, pages: 1, perms: r }\n");
    const r = cli(["check", "s"], { cwd: dir, env: { GITHUB_ACTIONS: "true" } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(
      [
        `ok   ${SEED_YAML}`,
        `ok   ${MIGRATE_YAML}`,
        "INVALID s/bad.yaml: not checked (its problems are on standard error)",
        "",
        `${summary(2, 0, 0, 0)}, 1 invalid`,
        '::error file=s/bad.yaml,line=3,col=33,title=axptr-sim check::s/bad.yaml:3:33: memory.0.perms: unknown key "perms" (did you mean "perm"?)',
        "",
      ].join("\n"),
    );
    expect(r.stderr).toBe('s/bad.yaml:3:33: memory.0.perms: unknown key "perms" (did you mean "perm"?)\n');
  });
});

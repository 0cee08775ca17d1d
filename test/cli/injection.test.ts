// Names and file names that try to take over a terminal or a CI log: escape
// sequences (clear the screen, set the title, conceal words), bidi overrides,
// newlines followed by GitHub Actions workflow commands. Every output that
// reaches a terminal or a log prints them escaped (src/scenario/printable.ts);
// ordinary names, non-ASCII letters included, print as they are.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function fresh(): string {
  const dir = mkdtempSync(join(tmpdir(), "axptr-inject-"));
  dirs.push(dir);
  return dir;
}

/** Any character a terminal or a log would obey, except the newlines that end lines. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** A line GitHub's runner reads as a workflow command (it trims leading blanks first). */
const COMMAND = /^\s*(::|##\[)/m;

function expectSafe(what: string, text: string): void {
  expect(UNSAFE.exec(text)?.[0], what).toBeUndefined();
  expect(COMMAND.exec(text)?.[0], `${what}: ${text.split("\n").find((l) => COMMAND.test(l))}`).toBeUndefined();
}

// Every name a scenario holds, hostile: the scenario, two threads (one switched in by `run`), an area, `by` labels, an expected value.
const HOSTILE = String.raw`name: "\e]0;pwned\a\e[2J\u202Eseen\n::error file=x.yaml,line=1::forged"
machine: { cpus: 1, strategy: per-thread-flag }
memory:
  - name: "buf\e[8m\n::stop-commands::tok"
    start: 0x10000
    pages: 2
    perm: r
    populate: false
    present: [0x10000]
    contents:
      - { at: 0x10ffa, str: "hello," }
      - { at: 0x11000, str: " world\0" }
  - { name: arg, start: 0x20000, pages: 1, perm: r, contents: [{ at: 0x20000, str: "-v\0" }] }
threads:
  - name: "main\e[8m\u2066"
    steps:
      - { op: get_as_str, ptr: 0x10ffa, expect: { ok: "hello,\u202E world\u0085" } }
  - name: "::error file=t.yaml::thread"
    steps:
      - { op: get_as_str, ptr: 0x20000, expect: { ok: "-v" } }
events:
  - when: { thread: "main\e[8m\u2066", step: 1, at: before-read, index: 2 }
    do: { run: { thread: "::error file=t.yaml::thread", step: { op: get_as_str, ptr: 0x20000 } } }
    by: "sched\e[2J\n::warning::by"
races:
  - { name: munmap, do: { unmap: { start: 0x11000, pages: 1 } }, by: "thread2\u202E\n##[error]by" }
`;

/** A file name of its own: an escape sequence, a bidi override, a newline and a workflow command. */
const FILE = "s\u001b[2J\u202e\n::error file=f.yaml::name.yaml";

describe("hostile names in every output that reaches a terminal or a log", () => {
  const dir = fresh();
  mkdirSync(join(dir, "s"));
  writeFileSync(join(dir, "s", FILE), HOSTILE);
  const file = join("s", FILE);

  it("run (text, --quiet, in colour): escaped, and exact where it shows a name", () => {
    const r = cli(["run", file], { cwd: dir });
    expect(r.code).toBe(1);
    expectSafe("run", r.stdout);
    expectSafe("run's stderr", r.stderr);
    expect(r.stdout.split("\n").slice(0, 2)).toEqual([
      "scenario  \\u001b]0;pwned\\u0007\\u001b[2J\\u202eseen\\n::error file=x.yaml,line=1::forged",
      "file      s/s\\u001b[2J\\u202e\\n::error file=f.yaml::name.yaml",
    ]);
    expect(r.stdout).toContain('  ✗ main\\u001b[8m\\u2066#1 get_as_str ptr=0x10ffa → ok "hello, world"  (expected ok "hello,\\u202e world\\u0085")\n');
    expect(r.stdout).toContain("  ✓ \\u003a:error file=t.yaml::thread#1 get_as_str ptr=0x20000 → ok \"-v\"  (expected ok \"-v\")\n");
    expect(r.stdout).toContain("⇄ thread ::error file=t.yaml::thread switched in on cpu0 by sched\\u001b[2J\\n::warning::by: get_as_str ptr=0x20000");
    expectSafe("run --quiet", cli(["run", "--quiet", file], { cwd: dir }).stdout);
    const coloured = cli(["run", file], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
    expect(coloured.stdout).toContain("\u001b[");
    expectSafe("run in colour, its own colours left out", coloured.stdout.replace(/\u001b\[[0-9;]*m/g, ""));
  });

  it("run --replay: a token whose %XX decode to control characters prints them escaped in the unfired line", () => {
    // A pair the run cannot place is refused unless --allow-unfired (issue 21, point 7): the refusal is escaped too.
    const refused = cli(["run", file, "--replay", "munmap@ma%1B%5D0%3Bx%07%0A%3A%3Aerror%3A%3Ain#1:before-step"], { cwd: dir });
    expect(refused.code).toBe(2);
    expectSafe("run --replay refused", refused.stderr);
    const r = cli(["run", file, "--replay", "munmap@ma%1B%5D0%3Bx%07%0A%3A%3Aerror%3A%3Ain#1:before-step", "--allow-unfired"], { cwd: dir });
    expectSafe("run --replay", r.stdout);
    expect(r.stdout).toContain(
      'unfired   race munmap (ma\\u001b]0;x\\u0007\\n::error::in#1 at before-step) never fired: the scenario has no thread named "ma\\u001b]0;x\\u0007\\n::error::in"\n',
    );
  });

  it("explore (and its race's by label in run --replay), compare, validate", () => {
    const ex = cli(["explore", file], { cwd: dir });
    expect(ex.code).toBe(0);
    expectSafe("explore", ex.stdout);
    expect(ex.stdout.split("\n")[0]).toBe("explore   \\u001b]0;pwned\\u0007\\u001b[2J\\u202eseen\\n::error file=x.yaml,line=1::forged");
    const replay = cli(["run", file, "--replay", "munmap@main%1B%5B8m%E2%81%A6#1:before-step"], { cwd: dir });
    expectSafe("run --replay", replay.stdout);
    expect(replay.stdout).toContain("⚡ race munmap injected by thread2\\u202e\\n##\\u005berror]by: ");
    for (const args of [["compare", file], ["validate", file]]) {
      const r = cli(args, { cwd: dir });
      expectSafe(args[0] as string, r.stdout + r.stderr);
    }
    expect(cli(["validate", file], { cwd: dir }).stdout).toBe(
      "s/s\\u001b[2J\\u202e\\n::error file=f.yaml::name.yaml: valid (\\u001b]0;pwned\\u0007\\u001b[2J\\u202eseen\\n::error file=x.yaml,line=1::forged)\n",
    );
  });

  it("check (in words and in GitHub Actions), its goldens (.trace, .outcomes) and its JUnit report", () => {
    const env = { GITHUB_ACTIONS: "true" };
    const missing = cli(["check", "s", "--reporter", "junit", "--output", "j.xml"], { cwd: dir, env });
    expect(missing.code).toBe(1);
    expectSafe("check's stderr", missing.stderr);
    // The annotations check writes on purpose are the only workflow commands.
    const own = missing.stdout.split("\n").filter((l) => l.startsWith("::error file="));
    expect(own.length).toBeGreaterThan(0);
    expectSafe("check, its own annotations left out", missing.stdout.split("\n").filter((l) => !l.startsWith("::error file=")).join("\n"));
    for (const l of own) expect(l).toMatch(/^::error file=[^\n]*::[^\n]*$/);
    expect(missing.stdout).toContain("MISSING s/s\\u001b[2J\\u202e\\n::error file=f.yaml::name.yaml: no golden trace s/s\\u001b[2J\\u202e\\n::error file=f.yaml::name.trace\n");
    expectSafe("JUnit", readFileSync(join(dir, "j.xml"), "utf8"));
    // The golden of a failing expectation is not written; one that passes is, with the names escaped.
    const passing = HOSTILE.replace(/expect: \{ ok: [^}]*\} \}/, "}");
    mkdirSync(join(dir, "p"));
    writeFileSync(join(dir, "p", FILE), passing);
    const up = cli(["check", "--update", "p"], { cwd: dir });
    expectSafe("check --update", up.stdout + up.stderr);
    const goldens = readdirSync(join(dir, "p")).filter((n) => !n.endsWith(".yaml"));
    expect(goldens.sort()).toEqual(["s\u001b[2J\u202e\n::error file=f.yaml::name.outcomes", "s\u001b[2J\u202e\n::error file=f.yaml::name.trace"]);
    for (const g of goldens) expectSafe(g, readFileSync(join(dir, "p", g), "utf8"));
  });

  it("messages: a problem, a usage mistake, a file that cannot be written", () => {
    writeFileSync(join(dir, "s", "bad\u001b[2J\n::error::x.yaml"), "name: x\ncolour: red\n");
    const bad = cli(["validate", join("s", "bad\u001b[2J\n::error::x.yaml")], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("s/bad\\u001b[2J\\n::error::x.yaml:2:1: colour: unknown key \"colour\" (allowed here: name, description, machine, memory, threads, locks, events, races, explore, expect)\n");
    const usage = cli(["run", file, "--replay", "nope\u001b[2J\n::error::x"], { cwd: dir });
    expect(usage.code).toBe(2);
    expectSafe("a usage mistake", usage.stderr);
    const out = cli(["report", file, "-o", "no\u001b[2J\n::error::such/r.html"], { cwd: dir });
    expect(out.stderr).toBe("axptr-sim: cannot write no\\u001b[2J\\n::error::such/r.html: no such folder\n");
    expect(out.code).toBe(2);
    const unknown = cli(["run", "--bogus\n::error::x", file], { cwd: dir });
    expect(unknown.code).toBe(2);
    expectSafe("commander's own message", unknown.stderr);
  });

  it("ordinary names print as they are, non-ASCII letters included", () => {
    const plain = "name: Ñandú 工作 scan\nmemory: [{ name: données, start: 0x10000, pages: 1, perm: r, contents: [{ at: 0x10000, str: \"hi\\0\" }] }]\nthreads:\n  - name: kworker/0:1\n    steps: [{ op: get_as_str, ptr: 0x10000 }]\n";
    const r = cli(["run", "-"], { input: plain });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("scenario  Ñandú 工作 scan");
    expect(r.stdout).toContain("    kworker/0:1#1 get_as_str ptr=0x10000 → ok \"hi\"\n");
  });
});

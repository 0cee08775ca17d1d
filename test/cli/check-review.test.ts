// check --review: on a terminal, each golden that differs or is missing, its diff, and a key to accept, reject or skip it (issue 21, point 12).
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { HAS_SCRIPT, pty, type Key } from "../helpers/pty.js";

const tmp = mkdtempSync(join(tmpdir(), "axptr-check-review-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const PROMPT = "accept (a) / reject (r) / skip (s) / accept all remaining (A) / quit (q)? ";
/** check's progress line on the terminal's standard error, before the review (how many frames depends on the clock), and its clearing. */
const PROGRESS = /^(\r\x1b\[2Kcheck \[[# ]{24}\] \d \/ 3 scenarios)+\r\x1b\[2K/;

let n = 0;
/**
 * A folder of three scenarios whose goldens were written, then: a.trace changed by hand (one line),
 * b.trace removed (a new golden), c.outcomes changed by hand (one line). `golden` holds what check writes.
 */
function project() {
  const dir = join(tmp, `case-${++n}`);
  mkdirSync(dir);
  copyFileSync("scenarios/01-seed-string-across-lazy-page.yaml", join(dir, "a.yaml"));
  copyFileSync("scenarios/01-seed-string-across-lazy-page.yaml", join(dir, "b.yaml"));
  copyFileSync("test/fixtures/explore/seed-races.yaml", join(dir, "c.yaml"));
  expect(cli(["check", "--update", dir]).code).toBe(0);
  const read = (f: string) => readFileSync(join(dir, f), "utf8");
  const golden = { a: read("a.trace"), b: read("b.trace"), c: read("c.outcomes") };
  const edited = { a: golden.a.replace("faults    1 (1 resolved)", "faults    2 (1 resolved)"), c: golden.c.replace("3 classes: no violations", "2 classes: no violations") };
  writeFileSync(join(dir, "a.trace"), edited.a);
  rmSync(join(dir, "b.trace"));
  writeFileSync(join(dir, "c.outcomes"), edited.c);
  const path = (f: string) => join(dir, f);
  const lines = (text: string, from: number, to: number) => text.split("\n").slice(from - 1, to);
  const screens = {
    a:
      [
        "",
        `[1/3] ${path("a.yaml")}: trace differs from ${path("a.trace")} at line 25`,
        `  --- ${path("a.trace")} (golden)`,
        `  +++ ${path("a.trace")} (now)`,
        "  @@ -22,6 +22,6 @@",
        ...lines(golden.a, 22, 24).map((l) => `   ${l}`),
        "  -faults    2 (1 resolved) in 12 events",
        "  +faults    1 (1 resolved) in 12 events",
        ...lines(golden.a, 26, 27).map((l) => `   ${l}`),
      ].join("\n") + `\n${PROMPT}`,
    b:
      [
        "",
        `[2/3] ${path("b.yaml")}: no golden trace ${path("b.trace")} yet`,
        `  --- ${path("b.trace")} (none yet)`,
        `  +++ ${path("b.trace")} (now)`,
        `  @@ -0,0 +1,27 @@`,
        ...lines(golden.b, 1, 27).map((l) => `  +${l}`),
      ].join("\n") + `\n${PROMPT}`,
    c:
      [
        "",
        `[3/3] ${path("c.yaml")} (outcomes): outcomes differ from ${path("c.outcomes")} at line 4`,
        `  --- ${path("c.outcomes")} (golden)`,
        `  +++ ${path("c.outcomes")} (now)`,
        "  @@ -1,7 +1,7 @@",
        ...lines(golden.c, 1, 3).map((l) => `   ${l}`),
        "  -result    43 schedules, 2 classes: no violations",
        "  +result    43 schedules, 3 classes: no violations",
        ...lines(golden.c, 5, 7).map((l) => `   ${l}`),
      ].join("\n") + `\n${PROMPT}`,
  };
  /** The report's rows of c.outcomes still differing. */
  const cFails = [
    `FAIL ${path("c.yaml")} (outcomes): outcomes differ from ${path("c.outcomes")} at line 4`,
    ...screens.c.split("\n").slice(2, -1),
    `  if the change is intended: npx axptr-sim check --update ${path("c.yaml")}`,
  ];
  return { dir, path, read, golden, edited, screens, cFails };
}

/** The review on a terminal, each key typed at the prompt; the progress line before it checked and taken off. */
async function review(dir: string, keys: string[], extra: string[] = []) {
  const r = await pty(["check", "--review", dir, ...extra], { keys: keys.map((send): Key => ({ after: PROMPT, send })) });
  expect(r.screen).toMatch(PROGRESS);
  return { code: r.code, screen: r.screen.replace(PROGRESS, "") };
}

const HEAD = "check --review: 3 goldens to review (2 changed, 1 new)\n";

describe.skipIf(!HAS_SCRIPT)("check --review on a terminal", () => {
  it("a accepts (written as --update would), r rejects and s skips (left as they were, still failing)", async () => {
    const p = project();
    const r = await review(p.dir, ["a", "r", "s"]);
    expect(r.code).toBe(1);
    expect(r.screen).toBe(
      HEAD +
        `${p.screens.a}a\n${p.screens.b}r\n${p.screens.c}s\n\n` +
        [
          `ok   ${p.path("a.yaml")}`,
          `MISSING ${p.path("b.yaml")}: no golden trace ${p.path("b.trace")}`,
          `  create it with: npx axptr-sim check --update ${p.path("b.yaml")}`,
          `ok   ${p.path("c.yaml")}`,
          ...p.cFails,
          "",
          `updated ${p.path("a.trace")}`,
          "",
          "check: 2 passed, 1 failed, 1 missing, 0 obsolete",
          "review: 1 accepted, 1 rejected, 1 skipped",
          "axptr-sim: check failed: 1 failed, 1 missing",
          "",
        ].join("\n"),
    );
    expect(p.read("a.trace")).toBe(p.golden.a);
    expect(existsSync(p.path("b.trace"))).toBe(false);
    expect(p.read("c.outcomes")).toBe(p.edited.c);
  });

  it("A accepts this golden and every one after it (a new one created); the check then passes", async () => {
    const p = project();
    const r = await review(p.dir, ["r", "A"]);
    expect(r.code).toBe(1);
    expect(r.screen).toBe(
      HEAD +
        `${p.screens.a}r\n${p.screens.b}A\n\n` +
        [
          `FAIL ${p.path("a.yaml")}: trace differs from ${p.path("a.trace")} at line 25`,
          ...p.screens.a.split("\n").slice(2, -1),
          `  if the change is intended: npx axptr-sim check --update ${p.path("a.yaml")}`,
          `ok   ${p.path("b.yaml")}`,
          `ok   ${p.path("c.yaml")}`,
          `ok   ${p.path("c.yaml")} (outcomes)`,
          "",
          `created ${p.path("b.trace")}`,
          `updated ${p.path("c.outcomes")}`,
          "",
          "check: 3 passed, 1 failed, 0 missing, 0 obsolete",
          "review: 2 accepted, 1 rejected, 0 skipped",
          "axptr-sim: check failed: 1 failed, 0 missing",
          "",
        ].join("\n"),
    );
    expect([p.read("a.trace"), p.read("b.trace"), p.read("c.outcomes")]).toEqual([p.edited.a, p.golden.b, p.golden.c]);
    const all = await review(p.dir, ["A"]);
    expect(all.code).toBe(0);
    expect(all.screen.endsWith(`\nupdated ${p.path("a.trace")}\n\ncheck: 4 passed, 0 failed, 0 missing, 0 obsolete\nreview: 1 accepted, 0 rejected, 0 skipped\n`)).toBe(true);
    expect(cli(["check", p.dir]).code).toBe(0);
  });

  it("q writes what was accepted and skips the rest; a key it does not know says which it takes", async () => {
    const p = project();
    const r = await review(p.dir, ["x", "a", "q"]);
    expect(r.code).toBe(1);
    const hint = "\n  a: accept, r: reject, s: skip, A: accept this and all remaining, q: quit (the rest skipped)\n" + PROMPT;
    expect(r.screen.startsWith(`${HEAD}${p.screens.a}${hint}a\n${p.screens.b}q\n\nok   ${p.path("a.yaml")}\nMISSING ${p.path("b.yaml")}`)).toBe(true);
    expect(r.screen.endsWith(`\nupdated ${p.path("a.trace")}\n\ncheck: 2 passed, 1 failed, 1 missing, 0 obsolete\nreview: 1 accepted, 0 rejected, 2 skipped\naxptr-sim: check failed: 1 failed, 1 missing\n`)).toBe(true);
    expect([p.read("a.trace"), existsSync(p.path("b.trace")), p.read("c.outcomes")]).toEqual([p.golden.a, false, p.edited.c]);
  });

  it("a read-only golden is not accepted (as --update refuses it): said on its screen and at a", async () => {
    const p = project();
    chmodSync(p.path("a.trace"), 0o444);
    const r = await review(p.dir, ["a", "s", "q"]);
    const ro = `${p.path("a.trace")} is read-only (mode 0444): check does not replace it (make it writable, chmod u+w, if it should change)`;
    const screen = p.screens.a.replace(`\n${PROMPT}`, `\n  read-only: ${ro}\n${PROMPT}`);
    expect(r.screen.startsWith(`${HEAD}${screen}a\n  not accepted: ${ro}\n${PROMPT}s\n${p.screens.b}q\n\n`)).toBe(true);
    expect(r.screen.endsWith("review: 0 accepted, 0 rejected, 3 skipped\naxptr-sim: check failed: 2 failed, 1 missing\n")).toBe(true);
    expect(p.read("a.trace")).toBe(p.edited.a);
  });

  it("with colour: the diff green and red, the position bold", async () => {
    const p = project();
    const r = await pty(["check", "--review", p.dir], { env: { NO_COLOR: undefined }, keys: [{ after: PROMPT, send: "q" }] });
    const screen = r.screen.replace(PROGRESS, "");
    expect(screen.startsWith(`${HEAD}\n\x1b[1m[1/3]\x1b[22m ${p.path("a.yaml")}: trace differs from ${p.path("a.trace")} at line 25\n  \x1b[31m--- ${p.path("a.trace")} (golden)\x1b[39m\n  \x1b[32m+++ ${p.path("a.trace")} (now)\x1b[39m\n`)).toBe(true);
    expect(screen).toContain("\n  \x1b[31m-faults    2 (1 resolved) in 12 events\x1b[39m\n  \x1b[32m+faults    1 (1 resolved) in 12 events\x1b[39m\n");
  });

  it("nothing to review: the report, and says so", async () => {
    const p = project();
    expect(cli(["check", "--update", p.dir]).code).toBe(0);
    const r = await pty(["check", "--review", p.dir]);
    expect(r.code).toBe(0);
    expect(r.screen.replace(PROGRESS, "")).toBe(
      `ok   ${p.path("a.yaml")}\nok   ${p.path("b.yaml")}\nok   ${p.path("c.yaml")}\nok   ${p.path("c.yaml")} (outcomes)\n\ncheck: 4 passed, 0 failed, 0 missing, 0 obsolete\nreview: no golden differs or is missing: nothing to review\n`,
    );
  });
});

describe("check --review without a terminal", () => {
  it("is refused (exit 2), saying to use --accept or --update, and writes nothing", () => {
    const p = project();
    const r = cli(["check", "--review", p.dir]);
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "axptr-sim: --review asks about each golden on a terminal, and standard input and output are not both one: name the goldens to write with --accept PATH (repeatable), or write them all with --update\n",
    });
    expect([p.read("a.trace"), existsSync(p.path("b.trace")), p.read("c.outcomes")]).toEqual([p.edited.a, false, p.edited.c]);
  });

  it("is refused with --update or --accept (exit 2)", () => {
    const p = project();
    expect(cli(["check", "--review", "--update", p.dir])).toEqual({ code: 2, stdout: "", stderr: "axptr-sim: --review asks about each golden, --update writes them all: give one of the two\n" });
    expect(cli(["check", "--review", "--accept", p.path("a.yaml"), p.dir])).toEqual({
      code: 2,
      stdout: "",
      stderr: "axptr-sim: --review asks about each golden, --accept names those to write: give one of the two\n",
    });
    expect(p.read("a.trace")).toBe(p.edited.a);
  });
});

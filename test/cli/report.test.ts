// `report` and `run --format mermaid` as users run them: what is written, where, and what is never overwritten.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderReport } from "../../src/render/report/index.js";
import { cli } from "../helpers/cli.js";
import { run } from "../sim/helpers.js";

const SEED = "scenarios/01-seed-string-across-lazy-page.yaml";
const MIGRATION = "scenarios/24-migration-then-lazy-fault-panics.yaml";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "axptr-report-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("report", () => {
  it("writes one self-contained HTML file: a section per scenario, no script, nothing from the network", () => {
    const out = join(dir, "report.html");
    const r = cli(["report", SEED, MIGRATION, "-o", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`axptr-sim: wrote ${out} (2 scenarios)\n`);
    const html = readFileSync(out, "utf8");
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="generator" content="axptr-sim report">\n')).toBe(true);
    expect(html.match(/<section class="scenario"/g)).toHaveLength(2);
    expect(html.match(/<svg [^>]*class="memory-map"/g)).toHaveLength(2);
    expect(html.match(/<svg [^>]*class="timeline"/g)).toHaveLength(2);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|src=|href="(?!#)/i);
    // The only URL is the SVG namespace, which nothing fetches.
    expect([...html.matchAll(/https?:\/\/[^\s"']+/g)].map((m) => m[0]).every((u) => u === "http://www.w3.org/2000/svg")).toBe(true);
    expect(readdirSync(dir)).toEqual(["report.html"]);
  });

  it("is byte-identical on every run, and the same as `-o -` on standard output", () => {
    const out = join(dir, "a.html");
    expect(cli(["report", MIGRATION, "-o", out]).code).toBe(0);
    const again = cli(["report", MIGRATION, "-o", "-"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe("");
    expect(again.stdout).toBe(readFileSync(out, "utf8"));
  });

  it("replaces an earlier report, but never a file it did not write (unless --force)", () => {
    const out = join(dir, "notes.html");
    writeFileSync(out, "<p>my notes</p>\n");
    const refused = cli(["report", SEED, "-o", out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`axptr-sim: ${out} exists and is not an axptr-sim report: not overwritten (choose another -o, or add --force)\n`);
    expect(readFileSync(out, "utf8")).toBe("<p>my notes</p>\n");
    expect(cli(["report", SEED, "-o", out, "--force"]).code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("seed example");
    expect(cli(["report", MIGRATION, "-o", out]).code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("after migrating mid-scan");
    expect(readdirSync(dir)).toEqual(["notes.html"]);
  });

  it("says what is wrong with -o: missing, a folder, a folder that does not exist", () => {
    const missing = cli(["report", SEED]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("axptr-sim: required option '-o, --output <file>' not specified");
    mkdirSync(join(dir, "sub"));
    expect(cli(["report", SEED, "-o", join(dir, "sub")]).stderr).toBe(`axptr-sim: ${join(dir, "sub")} is a folder: -o names the HTML file to write\n`);
    const nowhere = cli(["report", SEED, "-o", join(dir, "no", "r.html")]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toBe(`axptr-sim: cannot write ${join(dir, "no", "r.html")}: no such folder\n`);
  });

  it("reports a bad scenario as every command does, writing nothing", () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "name: x\nmachine: { cpus: 0 }\n");
    const r = cli(["report", bad, "-o", join(dir, "r.html")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^.*bad\.yaml:2:\d+: machine\.cpus: .*\n$/);
    expect(readdirSync(dir)).toEqual(["bad.yaml"]);
  });

  it("escapes everything a scenario says: a name, description, thread or by label cannot add markup", () => {
    const t = run(`name: '<script>alert(1)</script> & "q"'
description: "</pre><img src=x>"
memory: [{ name: "<b>", start: 0x10000, pages: 1, perm: r }]
threads: [{ name: "<i>", steps: [{ op: get, ptr: 0x10000, type: u8 }] }]
events:
  - { when: { thread: "<i>", step: 1, at: before-step }, do: { frames: 1 }, by: "<svg onload=x>" }
`);
    const html = renderReport([{ file: "<f>.yaml", trace: t }], { color: false });
    expect(html).not.toMatch(/<script|<img|<b>|<i>|<svg onload|<f>/);
    expect(html).toContain("<h2>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;</h2>");
  });

  it("leaves room for sections of other commands (the exploration's classes) after the pictures", () => {
    const html = renderReport([{ file: "x.yaml", trace: run("name: x\nthreads: []\n"), sections: [{ id: "explore", title: "Exploration", html: "<p>classes</p>" }] }], { color: false });
    expect(html).toMatch(/<h3 id="s1-timeline">.*<h3 id="s1-explore">Exploration<\/h3>\n<p>classes<\/p>\n<h3 id="s1-steps">/s);
  });
});

describe("report of a file with races", () => {
  const RACES = "scenarios/39-races-seed-munmap-evict.yaml";

  it("adds a Races section after the pictures, only for the files with races, with a timeline per class", () => {
    const r = cli(["report", SEED, RACES, "-o", "-"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout.match(/<h3 id="s\d-races">Races<\/h3>/g)).toEqual(['<h3 id="s2-races">Races</h3>']);
    expect(r.stdout).toMatch(/<h3 id="s2-timeline">.*<h3 id="s2-races">Races<\/h3>\n<div class="races">\n<p class="races-summary">369 schedules, 3 classes: .*<h3 id="s2-steps">/s);
    expect(r.stdout.match(/<figure class="timeline witness">/g)).toHaveLength(3);
    expect(r.stdout).toContain(`<code class="replay">axptr-sim run ${RACES} --replay &#39;munmap@main#1:before-read[6]&#39;</code>`);
    // Byte-identical again.
    expect(cli(["report", SEED, RACES, "-o", "-"]).stdout).toBe(r.stdout);
  });

  it("explores under --strategy when given, and names it in the replay commands", () => {
    const r = cli(["report", RACES, "--strategy", "none", "-o", "-"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<p class="races-summary">141 schedules, 2 classes: <span class="badge bad">✗ 1 class violating (97 schedules)</span>');
    expect(r.stdout).toContain(`axptr-sim run ${RACES} --strategy none --replay &#39;&#39;`);
  });

  it("refuses an exploration over --max-schedules as explore does: one line, exit 2, nothing written", () => {
    const out = join(dir, "r.html");
    const r = cli(["report", SEED, RACES, "--max-schedules", "100", "-o", out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `axptr-sim: ${RACES}: the exploration of its races would run 369 schedules, over --max-schedules 100; narrow it with at: or during: on the races, a lower explore.depth (now 2), or raise --max-schedules\n`,
    );
    expect(readdirSync(dir)).toEqual([]);
    expect(cli(["report", RACES, "--max-schedules", "369", "-o", "-"]).code).toBe(0);
    const bad = cli(["report", RACES, "--max-schedules", "lots", "-o", "-"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('axptr-sim: --max-schedules "lots": expected a positive whole number\n');
  });
});

describe("run --format mermaid", () => {
  it("prints one diagram per file, in Markdown fences with --fences", () => {
    const r = cli(["run", "--format", "mermaid", "--fences", SEED, MIGRATION]);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^```mermaid\nsequenceDiagram\n/gm)).toHaveLength(2);
    expect(r.stdout.match(/^```$/gm)).toHaveLength(2);
    const plain = cli(["run", "--format", "mermaid", SEED]);
    expect(plain.stdout.startsWith("sequenceDiagram\n  %% scenarios/01-seed-string-across-lazy-page.yaml\n")).toBe(true);
  });

  it("refuses --fences without --format mermaid", () => {
    const r = cli(["run", "--fences", SEED]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("axptr-sim: --fences wraps Mermaid diagrams in code fences: add --format mermaid\n");
  });
});

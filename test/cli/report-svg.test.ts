// `report FILE --svg timeline|memory [-o OUT.svg]`: one picture alone, for a slide (issue 21 point 13).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderMemoryMap } from "../../src/render/svg/memory-map.js";
import { standaloneSvg } from "../../src/render/svg/standalone.js";
import { renderTimeline } from "../../src/render/svg/timeline.js";
import { cli, ROOT } from "../helpers/cli.js";
import { run } from "../sim/helpers.js";

const SEED = "scenarios/01-seed-string-across-lazy-page.yaml";
const RACES = "scenarios/41-races-migration-two-cpus.yaml";
const NAME = "seed example: a string that runs onto a page not mapped yet";
const seed = () => run(readFileSync(join(ROOT, SEED), "utf8"));
const timeline = standaloneSvg(renderTimeline(seed()), `state timeline of ${NAME}`);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "axptr-svg-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("report --svg", () => {
  it("prints one standalone picture on standard output without -o, and with -o -", () => {
    const r = cli(["report", SEED, "--svg", "timeline"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(timeline);
    expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!-- generator: axptr-sim report, a picture alone -->\n<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 944 202" role="img"')).toBe(true);
    expect(cli(["report", SEED, "--svg", "timeline", "-o", "-"]).stdout).toBe(timeline);
    const memory = cli(["report", SEED, "--svg", "memory"]);
    expect(memory.code).toBe(0);
    expect(memory.stdout).toBe(standaloneSvg(renderMemoryMap(seed()) ?? "", `memory map of ${NAME}`));
  });

  it("draws the run under --strategy, as the report does", () => {
    const r = cli(["report", SEED, "--svg", "timeline", "--strategy", "none"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(standaloneSvg(renderTimeline(run(readFileSync(join(ROOT, SEED), "utf8"), { strategy: "none" })), `state timeline of ${NAME}`));
    expect(r.stdout).toContain('class="lanelabel">cpu0: no state<');
  });

  it("draws a file with races as its race-free run (the HTML report's Races section is not a picture)", () => {
    const r = cli(["report", RACES, "--svg", "timeline"]);
    expect(r.code).toBe(0);
    const yaml = readFileSync(join(ROOT, RACES), "utf8");
    expect(r.stdout).toBe(standaloneSvg(renderTimeline(run(yaml)), `state timeline of ${run(yaml).scenario.name}`));
    expect(r.stdout).not.toContain('class="mark injected race"');
  });

  it("writes -o as report writes its HTML: atomically, replacing an earlier picture, never another file unless --force", () => {
    const out = join(dir, "timeline.svg");
    const r = cli(["report", SEED, "--svg", "timeline", "-o", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`axptr-sim: wrote ${out} (the state timeline of ${SEED})\n`);
    expect(readFileSync(out, "utf8")).toBe(timeline);
    // An earlier picture is replaced, whichever it was.
    expect(cli(["report", SEED, "--svg", "memory", "-o", out]).code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain('class="memory-map"');
    expect(readdirSync(dir)).toEqual(["timeline.svg"]);

    const mine = join(dir, "mine.svg");
    writeFileSync(mine, "<svg>my drawing</svg>\n");
    const refused = cli(["report", SEED, "--svg", "timeline", "-o", mine]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`axptr-sim: ${mine} exists and is not a picture of axptr-sim report --svg: not overwritten (choose another -o, or add --force)\n`);
    expect(readFileSync(mine, "utf8")).toBe("<svg>my drawing</svg>\n");
    expect(cli(["report", SEED, "--svg", "timeline", "-o", mine, "--force"]).code).toBe(0);
    expect(readFileSync(mine, "utf8")).toBe(timeline);

    // An HTML report is not a picture, and a picture is not an HTML report: neither replaces the other without --force.
    const html = join(dir, "r.html");
    expect(cli(["report", SEED, "-o", html]).code).toBe(0);
    expect(cli(["report", SEED, "--svg", "timeline", "-o", html]).stderr).toBe(`axptr-sim: ${html} exists and is not a picture of axptr-sim report --svg: not overwritten (choose another -o, or add --force)\n`);
    expect(cli(["report", SEED, "-o", out]).stderr).toBe(`axptr-sim: ${out} exists and is not an axptr-sim report: not overwritten (choose another -o, or add --force)\n`);
    expect(readdirSync(dir).sort()).toEqual(["mine.svg", "r.html", "timeline.svg"]);
  });

  it("says what is wrong with -o: a folder, a link, a folder that does not exist", () => {
    mkdirSync(join(dir, "sub"));
    const folder = cli(["report", SEED, "--svg", "memory", "-o", join(dir, "sub")]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe(`axptr-sim: ${join(dir, "sub")} is a folder: -o names the SVG file to write\n`);
    symlinkSync("elsewhere.svg", join(dir, "link.svg"));
    expect(cli(["report", SEED, "--svg", "memory", "-o", join(dir, "link.svg"), "--force"]).stderr).toBe(
      `axptr-sim: ${join(dir, "link.svg")} is a symbolic link to elsewhere.svg: report never writes through a link, nor replaces one, even with --force (choose another -o)\n`,
    );
    const nowhere = cli(["report", SEED, "--svg", "memory", "-o", join(dir, "no", "m.svg")]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toBe(`axptr-sim: cannot write ${join(dir, "no", "m.svg")}: no such folder\n`);
    expect(readdirSync(dir).sort()).toEqual(["link.svg", "sub"]);
  });

  it("refuses a picture it does not know, listing the choices", () => {
    const r = cli(["report", SEED, "--svg", "steps"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "axptr-sim: option '--svg <picture>' argument 'steps' is invalid. Allowed choices are timeline, memory.\n(axptr-sim --help lists the commands; axptr-sim help COMMAND shows its options)\n",
    );
  });

  it("refuses what a picture alone would ignore: several files, --max-schedules, --force without a file", () => {
    const out = join(dir, "t.svg");
    const two = cli(["report", SEED, RACES, "--svg", "timeline", "-o", out]);
    expect(two.code).toBe(2);
    expect(two.stderr).toBe("axptr-sim: --svg draws one picture of one scenario: give one file (2 given)\n");
    const max = cli(["report", RACES, "--svg", "timeline", "--max-schedules", "10", "-o", out]);
    expect(max.code).toBe(2);
    expect(max.stderr).toBe("axptr-sim: --max-schedules limits the exploration of the races, which only the HTML report shows: --svg draws the run alone (leave out --max-schedules)\n");
    const force = cli(["report", SEED, "--svg", "timeline", "--force"]);
    expect(force.code).toBe(2);
    expect(force.stdout).toBe("");
    expect(force.stderr).toBe("axptr-sim: --force lets -o replace a file: without -o FILE, --svg writes to standard output (leave out --force, or add -o FILE)\n");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("still needs -o for the HTML report, and says how to get a picture instead", () => {
    const r = cli(["report", SEED]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "axptr-sim: required option '-o, --output <file>' not specified: the HTML file to write (- for standard output), or --svg timeline|memory for one picture\n",
    );
  });

  it("escapes what the scenario says, as everywhere: a name cannot add markup to the picture", () => {
    const yaml = `name: '</title><script>alert(1)</script> & "q"'\nmemory: [{ name: "<b>", start: 0x10000, pages: 1, perm: r }]\nthreads: [{ name: "<i>", steps: [{ op: get, ptr: 0x10000, type: u8 }] }]\n`;
    for (const picture of ["timeline", "memory"]) {
      const r = cli(["report", "-", "--svg", picture], { input: yaml });
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(/<script|<b>|<i>|<\/title><script/);
      expect(r.stdout).toContain("<title>" + (picture === "timeline" ? "state timeline" : "memory map") + " of &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;</title>");
    }
  });
});

// check shows a progress line on a terminal while it works and explores (issue 21, point 12), and nothing elsewhere.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { HAS_SCRIPT, pty } from "../helpers/pty.js";

const tmp = mkdtempSync(join(tmpdir(), "axptr-check-progress-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CLEAR = "\r\x1b[2K";

describe.skipIf(!HAS_SCRIPT)("check's progress line", () => {
  it("on a terminal: scenarios done, then the states of a long exploration, cleared before the report", async () => {
    // One scenario whose exploration takes about a second (122,925 schedules, thousands of states).
    const dir = join(tmp, "big");
    mkdirSync(dir);
    copyFileSync("bench/explore-big.yaml", join(dir, "big.yaml"));
    expect(cli(["check", "--update", dir]).code).toBe(0);
    const file = join(dir, "big.yaml");
    const report = `ok   ${file}\nok   ${file} (outcomes)\n\ncheck: 2 passed, 0 failed, 0 missing, 0 obsolete\n`;

    const plain = cli(["check", dir]);
    expect(plain).toEqual({ code: 0, stdout: report, stderr: "" });

    const r = await pty(["check", dir]);
    expect(r.code).toBe(0);
    const end = r.screen.lastIndexOf(CLEAR);
    expect(r.screen.slice(end + CLEAR.length)).toBe(report);
    const frames = r.screen.slice(0, end).split(CLEAR);
    expect(frames[0]).toBe("");
    expect(frames[1]).toBe("check [                        ] 0 / 1 scenarios");
    const exploring = frames.slice(2);
    expect(exploring.length).toBeGreaterThan(0);
    for (const f of exploring) expect(f).toMatch(new RegExp(`^explore ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: [\\d,]+ states, [\\d,]+ schedules covered(, [\\d,]+ states/s)?$`));
  });

  it("with many files (worker threads), the scenarios done, and the same report", async () => {
    const r = await pty(["check", "scenarios"]);
    const plain = cli(["check", "scenarios"]);
    expect(plain.stderr).toBe("");
    expect(r.code).toBe(0);
    const end = r.screen.lastIndexOf(CLEAR);
    expect(r.screen.slice(end + CLEAR.length)).toBe(plain.stdout);
    const frames = r.screen.slice(0, end).split(CLEAR).slice(1);
    const total = plain.stdout.split("\n").filter((l) => l.startsWith("ok ")).length - plain.stdout.split("\n").filter((l) => l.endsWith("(outcomes)")).length;
    expect(frames[0]).toBe(`check [                        ] 0 / ${total} scenarios`);
    for (const f of frames) expect(f).toMatch(new RegExp(`^check \\[#* *\\] \\d+ / ${total} scenarios$|^explore scenarios/`));
  });
});

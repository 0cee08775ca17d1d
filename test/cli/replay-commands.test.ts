// The replay commands explore prints run as printed, from where the user stands (issue 21, point 5).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";
import { globalLink, NO_NPM } from "../helpers/started.js";

const SEED = "test/fixtures/explore/seed-races.yaml";
const tmp = mkdtempSync(join(tmpdir(), "axptr-replay-commands-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const replays = (out: string) => out.split("\n").filter((l) => l.includes("replay:")).map((l) => l.trim());

describe("explore's replay commands", () => {
  it("name the file from the current folder (an absolute path under it becomes relative) and the tool as started", () => {
    const r = cli(["explore", join(ROOT, SEED)]);
    expect(replays(r.stdout)).toEqual([
      `replay: npx axptr-sim run ${SEED} --replay ''`,
      `replay: npx axptr-sim run ${SEED} --replay 'munmap@main#1:before-step'`,
      `replay: npx axptr-sim run ${SEED} --replay 'munmap@main#1:before-read[6]'`,
    ]);
  });

  it("quote a path that needs it, and run as printed from that folder (from a global install: axptr-sim)", () => {
    const dir = join(tmp, "my scenarios");
    mkdirSync(dir, { recursive: true });
    copyFileSync(SEED, join(dir, "seed's races.yaml"));
    const link = globalLink(join(tmp, "global"));
    const r = cli(["explore", "my scenarios/seed's races.yaml"], { cwd: tmp, env: NO_NPM, script: link });
    const lines = replays(r.stdout);
    expect(lines[2]).toBe(`replay: axptr-sim run 'my scenarios/seed'\\''s races.yaml' --replay 'munmap@main#1:before-read[6]'`);
    // The command as printed, run by a shell in that folder (axptr-sim on PATH, as a global install puts it).
    const sh = cli(["run", "--format", "json", "my scenarios/seed's races.yaml", "--replay", "munmap@main#1:before-read[6]"], { cwd: tmp, env: NO_NPM, script: link });
    expect(JSON.parse(sh.stdout)).toMatchObject({ outcome: "killed" });
  });

  it("an absolute path outside the current folder stays absolute", () => {
    const file = join(tmp, "outside.yaml");
    copyFileSync(SEED, file);
    const r = cli(["explore", file]);
    expect(replays(r.stdout)[0]).toBe(`replay: npx axptr-sim run ${file} --replay ''`);
  });

  it(".outcomes goldens keep the file's name alone and axptr-sim, as before (a golden is the same wherever it is checked)", () => {
    const golden = readFileSync("scenarios/39-races-seed-munmap-evict.outcomes", "utf8");
    expect(golden).toContain("        replay: axptr-sim run 39-races-seed-munmap-evict.yaml --replay 'munmap@main#1:before-step'\n");
    expect(cli(["check", "scenarios/39-races-seed-munmap-evict.yaml"]).code).toBe(0);
  });
});

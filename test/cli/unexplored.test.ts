// run and compare on a file with races say, on every format, that they did not explore them (issue 21, point 1).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { globalLink, NO_NPM } from "../helpers/started.js";

const tmp = mkdtempSync(join(tmpdir(), "axptr-unexplored-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SEED = "test/fixtures/explore/seed-races.yaml";
const PLAIN = "scenarios/01-seed-string-across-lazy-page.yaml";
const LINE = (command: string) =>
  `axptr-sim: ${SEED} has 2 races (munmap, evict) that ${command} does not explore: it ran as if none fires; to run every way they can fire: npx axptr-sim explore ${SEED}\n`;
const FIELD = { count: 2, names: ["munmap", "evict"], explore: `npx axptr-sim explore ${SEED}` };

describe("run on a file with races", () => {
  it("text: standard output is the race-free trace as before, and one line on standard error says what was not explored", () => {
    const r = cli(["run", SEED, "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(LINE("run"));
    expect(r.stdout).toContain(`    main#1 get_as_str ptr=0x10ffa → ok "hello, world"\n`);
  });

  it("mermaid: the same line on standard error", () => {
    const r = cli(["run", SEED, "--format", "mermaid"]);
    expect(r.stderr).toBe(LINE("run"));
  });

  it("json and ndjson: the document ends with unexplored_races, and standard error stays empty", () => {
    const j = cli(["run", SEED, "--format", "json"]);
    expect(j.stderr).toBe("");
    const doc = JSON.parse(j.stdout) as Record<string, unknown>;
    expect(Object.keys(doc).at(-1)).toBe("unexplored_races");
    expect(doc.unexplored_races).toEqual(FIELD);
    const n = cli(["run", SEED, "--format", "ndjson"]);
    expect(n.stderr).toBe("");
    const last = JSON.parse(n.stdout.trimEnd().split("\n").at(-1) ?? "null") as Record<string, unknown>;
    expect(last.unexplored_races).toEqual(FIELD);
  });

  it("says nothing for a file without races, nor for a replay (which runs the schedule asked for)", () => {
    const plain = cli(["run", PLAIN, "--format", "json"]);
    expect(plain.stderr).toBe("");
    expect(plain.stdout).not.toContain("unexplored_races");
    expect(cli(["run", PLAIN]).stderr).toBe("");
    const replay = cli(["run", SEED, "--replay", "munmap@main#1:before-step"]);
    expect(replay.stderr).toBe("");
  });

  it("names the invocation a global install uses when started from one", () => {
    // A global install starts from the link on PATH, named axptr-sim, outside any node_modules; npm's variables unset.
    const r = cli(["run", SEED, "--quiet"], { env: NO_NPM, script: globalLink(tmp) });
    expect(r.stderr).toBe(LINE("run").replace("npx axptr-sim", "axptr-sim"));
  });
});

describe("compare on a file with races", () => {
  it("text: a line on standard error; json: unexplored_races at the end", () => {
    const t = cli(["compare", SEED]);
    expect(t.code).toBe(0);
    expect(t.stderr).toBe(LINE("compare"));
    const j = cli(["compare", SEED, "--format", "json"]);
    expect(j.stderr).toBe("");
    expect((JSON.parse(j.stdout) as Record<string, unknown>).unexplored_races).toEqual(FIELD);
  });
});

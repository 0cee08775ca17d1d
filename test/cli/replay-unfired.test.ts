// A replay token that no longer fits its file is refused, unless --allow-unfired (issue 21, point 7).
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const SEED = "test/fixtures/explore/seed-races.yaml";

describe("run --replay with a pair the run never reaches", () => {
  it("exits 2 naming the pair that cannot be placed, and runs nothing", () => {
    const r = cli(["run", SEED, "--replay", "evict@main#1:page-fault[1]+munmap@main#3:before-step"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `axptr-sim: ${SEED}: --replay 'evict@main#1:page-fault[1]+munmap@main#3:before-step': the pair munmap@main#3:before-step cannot be placed: thread "main" has no step 3; the token no longer fits the file (was it made from an older version?); --allow-unfired runs it with that race unfired\n`,
    );
  });

  it("a thread that is gone is refused too", () => {
    const r = cli(["run", SEED, "--replay", "munmap@worker#1:before-step", "--format", "json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the pair munmap@worker#1:before-step cannot be placed: ");
  });

  it("--allow-unfired runs it as explore.md says: that race unfired, exit as run does", () => {
    const r = cli(["run", SEED, "--replay", "munmap@main#3:before-step", "--allow-unfired"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`unfired   race munmap (main#3 at before-step) never fired: thread "main" has no step 3\n`);
  });

  it("every witness explore gives still replays (each of its pairs is reached)", () => {
    const r = cli(["explore", SEED, "--depth", "2", "--format", "json"]);
    const witnesses = (JSON.parse(r.stdout) as { classes: { witness: string }[] }).classes.map((c) => c.witness);
    expect(witnesses.length).toBeGreaterThan(2);
    for (const w of witnesses) expect(cli(["run", SEED, "--replay", w]).code, w).toBe(0);
  });

  it("--allow-unfired without --replay is refused, as an option nothing uses", () => {
    const r = cli(["run", SEED, "--allow-unfired"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("axptr-sim: --allow-unfired is about the pairs of a --replay token: add --replay TOKEN, or leave it out\n");
  });
});

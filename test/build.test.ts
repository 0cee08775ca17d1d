// The bundle scripts/build.mjs makes, as users run it.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "./helpers/cli.js";

const PRELOAD = join(ROOT, "test/fixtures/preload/count-env.cjs");
const SEED = "scenarios/01-seed-string-across-lazy-page.yaml";

describe("the bundled yaml library", () => {
  it("reads its debug switch once, not for every token (each read of process.env is a call into C++)", () => {
    const r = cli(["validate", SEED], { env: { NODE_OPTIONS: `--require ${PRELOAD}` } });
    expect(r.code).toBe(0);
    // The library as published reads it once per token: 218 times for this file.
    expect(r.stderr).toBe("LOG_TOKENS read 1 times\n");
  });

  it("still honours the switch when it is set", () => {
    const r = cli(["validate", SEED], { env: { LOG_TOKENS: "1" } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('| "name"');
    expect(r.stdout.endsWith("scenarios/01-seed-string-across-lazy-page.yaml: valid (seed example: a string that runs onto a page not mapped yet)\n")).toBe(true);
  });
});

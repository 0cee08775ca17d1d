// check says what went wrong and what to do next (issue 21, points 3, 4 and 6).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "axptr-check-speaks-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
/** A fresh folder under tmp with the given files. */
function folder(files: Record<string, string> = {}): string {
  const dir = join(tmp, `case-${++n}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("check of a folder with no scenarios", () => {
  it("fails (exit 1) and says so, as test runners do on no tests found", () => {
    const dir = folder({ "notes.txt": "not a scenario\n" });
    const r = cli(["check", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`NO SCENARIOS in ${dir}: no file named NAME.yaml or NAME.yml (--pass-with-no-scenarios passes anyway)\n\ncheck: 0 passed, 0 failed, 0 missing, 0 obsolete\n`);
    expect(r.stderr).toBe("axptr-sim: check failed: no scenarios found\n");
  });

  it("passes with --pass-with-no-scenarios", () => {
    const dir = folder();
    const r = cli(["check", dir, "--pass-with-no-scenarios"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("\ncheck: 0 passed, 0 failed, 0 missing, 0 obsolete\n");
    expect(r.stderr).toBe("");
  });
});

// explore --merge prints as explore does, explains a violation on standard error, and refuses options it would ignore (issue 21, point 2).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const SEED = "test/fixtures/explore/seed-races.yaml";
const MIGRATION = "test/fixtures/explore/migration-forbidden.yaml";
const tmp = mkdtempSync(join(tmpdir(), "axptr-merge-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function shards(file: string, n: number, extra: string[] = []): string[] {
  return Array.from({ length: n }, (_, i) => {
    const path = join(tmp, `${file.replace(/\W/g, "_")}${extra.join("")}-${i + 1}.json`);
    const r = cli(["explore", file, "--format", "json", "--shard", `${i + 1}/${n}`, ...extra]);
    writeFileSync(path, r.stdout);
    return path;
  });
}

const MIGRATION_VIOLATIONS = `axptr-sim: ${MIGRATION}: 2 classes (13 schedules) violate the file's explore settings:
  class 2: 9 schedules, outcome panic, hazards migrated-in-access (violates never: panic, hazards: forbidden); replay: npx axptr-sim run ${MIGRATION} --strategy percpu-flag --replay 'migrate@main#1:flag-set'
  class 3: 4 schedules, outcome completed, hazards migrated-in-access (violates hazards: forbidden); replay: npx axptr-sim run ${MIGRATION} --strategy percpu-flag --replay 'migrate@main#1:before-read[5]'
`;

describe("explore --merge", () => {
  it("prints text by default: explore's text for the same strategy, byte for byte", () => {
    const files = shards(SEED, 3, ["--depth", "2"]);
    const merged = cli(["explore", "--merge", ...files]);
    expect(merged.code).toBe(0);
    expect(merged.stderr).toBe("");
    const whole = cli(["explore", SEED, "--depth", "2", "--strategy", "percpu-flag"]);
    expect(merged.stdout).toBe(whole.stdout);
    expect(merged.stdout).toMatch(/^result {4}\d+ schedules, 3 classes: no violations$/m);
  });

  it("--strategy all shards merge into explore's text of --strategy all", () => {
    const files = shards(SEED, 2, ["--strategy", "all"]);
    const merged = cli(["explore", "--merge", ...files]);
    const whole = cli(["explore", SEED, "--strategy", "all"]);
    expect(merged.stdout).toBe(whole.stdout);
  });

  it("a violation: exit 1, the classes marked in text (with the settings of the file the shards name), and explained on standard error in text and in JSON", () => {
    const files = shards(MIGRATION, 2);
    const text = cli(["explore", "--merge", ...files]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^✗ {2}2\. 9 {2}\(52\.9%\) {2}panic {2}main#1 panic: .* {2}hazards: migrated-in-access {2}VIOLATES never: panic, hazards: forbidden$/m);
    expect(text.stderr).toBe(MIGRATION_VIOLATIONS);
    const json = cli(["explore", "--merge", "--format", "json", ...files]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ format: "axptr-sim-explore/1", violations: 13 });
    expect(json.stderr).toBe(MIGRATION_VIOLATIONS);
  });

  it("without the scenario file (another folder), a violating class says only that it violates the file's settings", () => {
    const files = shards(MIGRATION, 2);
    const text = cli(["explore", "--merge", ...files], { cwd: tmp });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^✗ {2}2\. 9 {2}\(52\.9%\) {2}panic {2}main#1 panic: .* {2}VIOLATES explore settings$/m);
    // Standard error names no setting either: the JSON does not carry them.
    expect(text.stderr).toBe(MIGRATION_VIOLATIONS.replace(" (violates never: panic, hazards: forbidden)", "").replace(" (violates hazards: forbidden)", ""));
    expect(text.stderr).not.toContain("(violates");
  });

  it("refuses the options a merge does not use (exit 2), naming them", () => {
    const files = shards(SEED, 2);
    const r = cli(["explore", "--merge", "--depth", "2", "--workers", "1", ...files]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("axptr-sim: explore --merge: --depth, --workers are not used by a merge (give them to each shard's explore); --merge takes --format and --no-color\n");
    const one = cli(["explore", "--merge", "--shard", "1/2", ...files]);
    expect(one.stderr).toBe("axptr-sim: explore --merge: --shard is not used by a merge (give it to each shard's explore); --merge takes --format and --no-color\n");
  });
});

describe("an option a format ignores", () => {
  it("run --quiet with --format json is refused (exit 2), as --fences without Mermaid is", () => {
    const r = cli(["run", "scenarios/01-seed-string-across-lazy-page.yaml", "--quiet", "--format", "json"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("axptr-sim: --quiet shortens the text trace: --format json does not use it (leave out --quiet, or use --format text)\n");
  });
});

// Issue 21's points where they meet machine.kernel (kernels.md section 1): the unexplored-races line and
// field repeat the --kernel given, and a merge of kernel shards prints and replays as explore does.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const PIPE = "scenarios/62-syscall-pipe-read-under-mutex.yaml";
const MIGRATION = "test/fixtures/explore/migration-forbidden.yaml";
const tmp = mkdtempSync(join(tmpdir(), "axptr-speak-kernels-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function shards(file: string, extra: string[]): string[] {
  return [1, 2].map((i) => {
    const path = join(tmp, `${extra.join("_")}-${i}.json`);
    writeFileSync(path, cli(["explore", file, "--format", "json", "--shard", `${i}/2`, ...extra]).stdout);
    return path;
  });
}

const unexplored = (command: string, kernel: string) =>
  `axptr-sim: ${PIPE} has 1 race (munmap) that ${command} does not explore: it ran as if none fires; to run every way it can fire: npx axptr-sim explore ${PIPE} --kernel ${kernel}\n`;

describe("unexplored races under a kernel", () => {
  it("compare --kernel all: the line on stderr and the JSON field explore --kernel all", () => {
    const text = cli(["compare", PIPE, "--kernel", "all"]);
    expect(text.code).toBe(0);
    expect(text.stderr).toBe(unexplored("compare", "all"));
    const json = cli(["compare", PIPE, "--kernel", "all", "--format", "json"]);
    expect(json.stderr).toBe("");
    const doc = JSON.parse(json.stdout) as { machine: unknown; unexplored_races: unknown };
    expect(doc.machine).toEqual({ kernel: "all" });
    expect(doc.unexplored_races).toEqual({ count: 1, names: ["munmap"], explore: `npx axptr-sim explore ${PIPE} --kernel all` });
  });

  it("run --kernel NAME: the explore command repeats it", () => {
    const r = cli(["run", PIPE, "--kernel", "axptr-0.1"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(unexplored("run", "axptr-0.1"));
  });
});

describe("explore --merge of kernel shards", () => {
  it("--kernel starry-2025-04: explore's text byte for byte, replays naming the kernel and no --strategy (exit 1, explained on stderr)", () => {
    const merged = cli(["explore", "--merge", ...shards(MIGRATION, ["--kernel", "starry-2025-04"])]);
    expect(merged.code).toBe(1);
    expect(merged.stdout).toBe(cli(["explore", MIGRATION, "--kernel", "starry-2025-04"]).stdout);
    expect(merged.stderr).toBe(
      `axptr-sim: ${MIGRATION}: 1 class (2 schedules) violates the file's explore settings:\n` +
        `  class 2: 2 schedules, outcome panic, hazards migrated-in-access (violates never: panic, hazards: forbidden); replay: npx axptr-sim run ${MIGRATION} --kernel starry-2025-04 --replay 'migrate@main#1:page-check[1]'\n`,
    );
  });

  it("--kernel all: one line per kernel, as explore --kernel all prints them", () => {
    const merged = cli(["explore", "--merge", ...shards(MIGRATION, ["--kernel", "all"])]);
    expect(merged.code).toBe(1);
    expect(merged.stdout).toBe(cli(["explore", MIGRATION, "--kernel", "all"]).stdout);
    expect(merged.stderr.split("\n")[0]).toBe(`axptr-sim: ${MIGRATION} under axptr-doc: 2 classes (13 schedules) violate the file's explore settings:`);
    expect(merged.stderr).toContain(`replay: npx axptr-sim run ${MIGRATION} --kernel starry-2025-04 --replay 'migrate@main#1:page-check[1]'\n`);
  });

  it("shards of two kernels are not one exploration; --kernel is refused as the other explore options are", () => {
    const [one, two] = shards(MIGRATION, ["--kernel", "starry-2025-04"]) as [string, string];
    const doc = JSON.parse(readFileSync(two, "utf8")) as { machine: { kernel: string } };
    doc.machine.kernel = "starry-2025-07";
    const other = join(tmp, "other-kernel.json");
    writeFileSync(other, JSON.stringify(doc));
    const mixed = cli(["explore", "--merge", one, other]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toBe(`axptr-sim: explore --merge: ${other} is a shard of another exploration than ${one} (scenario, machine, strategy or depth differ)\n`);
    const refused = cli(["explore", "--merge", "--kernel", "all", one, two]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe("axptr-sim: explore --merge: --kernel is not used by a merge (give it to each shard's explore); --merge takes --format and --no-color\n");
  });
});

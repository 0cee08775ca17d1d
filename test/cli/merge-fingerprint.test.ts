// Issue 17, "Merges that lie": shards of two versions of one scenario (one
// race narrowed between them) merged to 204 schedules where the truths are
// 369 and 39. Each shard now carries a fingerprint, and a merge refuses shards
// whose fingerprints differ.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const SEED = readFileSync(new URL("../fixtures/explore/seed-races.yaml", import.meta.url), "utf8");
const tmp = mkdtempSync(join(tmpdir(), "axptr-merge-fingerprint-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The scenario file, as a CI job's checkout holds it: the first version, then with the evict race narrowed to page faults. */
const SCENARIO = join(tmp, "races.yaml");
const V1 = SEED;
const V2 = SEED.replace("by: kswapd }", "by: kswapd, at: [page-fault] }");

const explore = (args: string[]) => cli(["explore", SCENARIO, "--format", "json", ...args]);

/** Writes the scenario as `version`, explores shard I/N of it into `name`; returns its path. */
function shardOf(version: string, name: string, spec: string, extra: string[] = []): string {
  writeFileSync(SCENARIO, version);
  const r = explore(["--shard", spec, ...extra]);
  expect(r.stderr).toBe("");
  // Under --strategy all, none panics where the file says never: [panic] (exit 1).
  expect([0, 1]).toContain(r.code);
  const file = join(tmp, name);
  writeFileSync(file, r.stdout);
  return file;
}
function wholeOf(version: string, extra: string[] = []): string {
  writeFileSync(SCENARIO, version);
  return explore(extra).stdout;
}
const merge = (...files: string[]) => cli(["explore", "--merge", "--format", "json", ...files]);
/** A shard file with one edit of its JSON (each document of an array, or the one). */
function edited(file: string, name: string, edit: (doc: Record<string, unknown>, i: number) => void): string {
  const parsed = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown> | Record<string, unknown>[];
  (Array.isArray(parsed) ? parsed : [parsed]).forEach(edit);
  const out = join(tmp, name);
  writeFileSync(out, JSON.stringify(parsed, null, 2) + "\n");
  return out;
}

const differ = (where: string, first: string) =>
  `axptr-sim: explore --merge: ${where} was explored from another version of the scenario file than ${first} (fingerprints differ where scenario, machine, depth and N agree: the file changed between the shard jobs); explore every shard from one version of the file\n`;
const mixed = (without: string, other: string) =>
  `axptr-sim: explore --merge: ${without} has no fingerprint and ${other} has one: ${without} was written by an axptr-sim from before shard fingerprints (or edited), and cannot be shown to come from the same file; explore every shard with one version of axptr-sim\n`;

describe("explore --merge of shards of two versions of one scenario", () => {
  const depth = ["--depth", "2"];
  const old1 = shardOf(V1, "old-1.json", "1/2", depth);
  const old2 = shardOf(V1, "old-2.json", "2/2", depth);
  const new1 = shardOf(V2, "new-1.json", "1/2", depth);
  const new2 = shardOf(V2, "new-2.json", "2/2", depth);

  it("the truths: 369 schedules before the race was narrowed, 39 after", () => {
    expect((JSON.parse(wholeOf(V1, depth)) as { schedules: number }).schedules).toBe(369);
    expect((JSON.parse(wholeOf(V2, depth)) as { schedules: number }).schedules).toBe(39);
  });

  it("refuses shard 1 of the old version with shard 2 of the new (once 204 schedules): exit 2, one line naming both, nothing on stdout", () => {
    expect(merge(old1, new2)).toEqual({ code: 2, stdout: "", stderr: differ(new2, old1) });
    expect(merge(new2, old1)).toEqual({ code: 2, stdout: "", stderr: differ(old1, new2) });
    // In text too: the refusal comes before any output.
    expect(cli(["explore", "--merge", new1, old2])).toEqual({ code: 2, stdout: "", stderr: differ(old2, new1) });
  });

  it("merges the shards of one version into exactly its unsharded exploration", () => {
    const old = merge(old2, old1);
    expect(old.code).toBe(0);
    expect(old.stderr).toBe("");
    expect(old.stdout).toBe(wholeOf(V1, depth));
    const now = merge(new1, new2);
    expect(now.stdout).toBe(wholeOf(V2, depth));
    const fields = (text: string) => {
      const { schedules, classes, violations } = JSON.parse(text) as Record<string, unknown>;
      return { schedules, classes, violations };
    };
    expect(fields(now.stdout)).toEqual(fields(wholeOf(V2, depth)));
    expect(fields(now.stdout).schedules).toBe(39);
    expect(JSON.parse(now.stdout)).not.toHaveProperty("fingerprint");
  });

  it("keeps the more specific message where another N or setting differs too", () => {
    const new2of3 = shardOf(V2, "new-2-of-3.json", "2/3", depth);
    expect(merge(old1, new2of3)).toEqual({ code: 2, stdout: "", stderr: `axptr-sim: explore --merge: ${new2of3} is shard 2/3, ${old1} is one of 2: shards of one exploration share N\n` });
    const shallow = shardOf(V2, "new-2-depth-1.json", "2/2");
    expect(merge(old1, shallow)).toEqual({
      code: 2,
      stdout: "",
      stderr: `axptr-sim: explore --merge: ${shallow} is a shard of another exploration than ${old1} (scenario, machine, strategy or depth differ)\n`,
    });
  });

  it("refuses a mix of shards with a fingerprint and without", () => {
    const bare = edited(old2, "old-2-bare.json", (d) => delete d.fingerprint);
    expect(merge(old1, bare)).toEqual({ code: 2, stdout: "", stderr: mixed(bare, old1) });
    expect(merge(bare, old1)).toEqual({ code: 2, stdout: "", stderr: mixed(bare, old1) });
  });

  it("merges documents from before fingerprints (none has one) on the older checks, as before", () => {
    const bare1 = edited(old1, "bare-1.json", (d) => delete d.fingerprint);
    const bare2 = edited(old2, "bare-2.json", (d) => delete d.fingerprint);
    expect(merge(bare1, bare2)).toEqual({ code: 0, stdout: wholeOf(V1, depth), stderr: "" });
    expect(merge(bare1, bare1)).toEqual({ code: 2, stdout: "", stderr: `axptr-sim: explore --merge: ${bare1} and ${bare1} are both shard 1/2\n` });
  });

  it("refuses a malformed fingerprint with the schema's message, naming the key", () => {
    const md5 = edited(old2, "old-2-md5.json", (d) => (d.fingerprint = "md5:d41d8cd98f00b204e9800998ecf8427e"));
    expect(merge(old1, md5)).toEqual({
      code: 2,
      stdout: "",
      stderr: `axptr-sim: explore --merge: ${md5}: fingerprint: Invalid string: must match pattern /^sha256:[0-9a-f]{64}$/ (not a document explore --format json writes)\n`,
    });
  });
});

describe("explore --merge of --strategy all shards", () => {
  const all = ["--strategy", "all"];
  const old1 = shardOf(V1, "all-old-1.json", "1/2", all);
  const old2 = shardOf(V1, "all-old-2.json", "2/2", all);
  const new2 = shardOf(V2, "all-new-2.json", "2/2", all);

  it("merge into exactly the unsharded --strategy all (none's violation explained on stderr, exit 1)", () => {
    const r = merge(old1, old2);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/under none: .* violate/);
    expect(r.stdout).toBe(wholeOf(V1, all));
  });

  it("are compared document by document, each with its own strategy's fingerprint", () => {
    expect(merge(old1, new2)).toEqual({ code: 2, stdout: "", stderr: differ(`${new2}[0]`, `${old1}[0]`) });
    // Only the fourth strategy's document differs: it is the one named.
    const fourth = edited(old2, "all-old-2-fourth.json", (d, i) => {
      if (i === 3) d.fingerprint = `sha256:${"0".repeat(64)}`;
    });
    expect(merge(old1, fourth)).toEqual({ code: 2, stdout: "", stderr: differ(`${fourth}[3]`, `${old1}[3]`) });
  });
});

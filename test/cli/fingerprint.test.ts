// A shard's fingerprint (issue 17, "Merges that lie"): what was explored, the
// same for every shard of one exploration, different when anything explored differs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { shardFingerprint, type Explored } from "../../src/cli/fingerprint.js";
import { cli } from "../helpers/cli.js";

const SEED = "test/fixtures/explore/seed-races.yaml";
const tmp = mkdtempSync(join(tmpdir(), "axptr-fingerprint-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FP = /^sha256:[0-9a-f]{64}$/;

describe("shardFingerprint", () => {
  const bytes = new TextEncoder().encode("name: x\n");
  const base: Explored = { depth: 2, strategy: "percpu-flag", kernel: undefined, shards: 4 };

  it("is sha256: and 64 hex digits, the same every time for the same input", () => {
    expect(shardFingerprint(bytes, base)).toMatch(FP);
    expect(shardFingerprint(new TextEncoder().encode("name: x\n"), { ...base })).toBe(shardFingerprint(bytes, base));
  });

  it("differs when the file's bytes, the depth, the strategy, the kernel or N differ", () => {
    const of = shardFingerprint(bytes, base);
    const others = [
      shardFingerprint(new TextEncoder().encode("name: x \n"), base),
      shardFingerprint(new TextEncoder().encode("\uFEFFname: x\n"), base),
      shardFingerprint(new TextEncoder().encode("name: x\r\n"), base),
      shardFingerprint(bytes, { ...base, depth: 3 }),
      shardFingerprint(bytes, { ...base, strategy: "per-thread-flag" }),
      shardFingerprint(bytes, { ...base, kernel: "axptr-doc" }),
      shardFingerprint(bytes, { ...base, kernel: "axptr-0.1" }),
      shardFingerprint(bytes, { ...base, shards: 5 }),
    ];
    for (const o of others) expect(o).toMatch(FP);
    expect(new Set([of, ...others]).size).toBe(others.length + 1);
  });
});

type Doc = Record<string, unknown> & { shard: unknown; fingerprint?: string };
const json = (args: string[], input?: string): Doc | Doc[] => {
  const r = cli(["explore", ...args, "--format", "json"], input === undefined ? {} : { input });
  expect(r.stderr).toBe("");
  expect([0, 1]).toContain(r.code);
  return JSON.parse(r.stdout) as Doc | Doc[];
};
const one = (args: string[], input?: string) => json(args, input) as Doc;

describe("explore --shard I/N --format json", () => {
  it("carries the fingerprint right after shard, the same for every I and every run", () => {
    const docs = [1, 2, 3].map((i) => one([SEED, "--depth", "2", "--shard", `${i}/3`]));
    expect(Object.keys(docs[0] ?? {}).slice(4, 7)).toEqual(["shard", "fingerprint", "schedules"]);
    const fp = docs[0]?.fingerprint;
    expect(fp).toMatch(FP);
    for (const d of docs) expect(d.fingerprint).toBe(fp);
    expect(one([SEED, "--depth", "2", "--shard", "2/3"]).fingerprint).toBe(fp);
    // The bytes explored, as shardFingerprint hashes them.
    expect(fp).toBe(shardFingerprint(readFileSync(SEED), { depth: 2, strategy: "percpu-flag", kernel: undefined, shards: 3 }));
  });

  it("hashes the settings in effect: --depth or --strategy equal to the file's own change nothing; the file's path is not in it", () => {
    const fp = one([SEED, "--shard", "1/2"]).fingerprint;
    expect(one([SEED, "--shard", "1/2", "--depth", "1", "--strategy", "percpu-flag"]).fingerprint).toBe(fp);
    const copy = join(tmp, "copy.yaml");
    writeFileSync(copy, readFileSync(SEED));
    expect(one([copy, "--shard", "2/2"]).fingerprint).toBe(fp);
    // Standard input: the bytes read.
    expect(one(["-", "--shard", "2/2"], readFileSync(SEED, "utf8")).fingerprint).toBe(fp);
  });

  it("differs with the file's bytes, the depth, the strategy, the kernel or N", () => {
    const changed = join(tmp, "changed.yaml");
    writeFileSync(changed, readFileSync(SEED, "utf8") + "# a comment\n");
    const prints = [
      one([SEED, "--shard", "1/2"]),
      one([changed, "--shard", "1/2"]),
      one([SEED, "--shard", "1/2", "--depth", "2"]),
      one([SEED, "--shard", "1/2", "--strategy", "nesting-counter"]),
      one([SEED, "--shard", "1/2", "--kernel", "axptr-doc"]),
      one([SEED, "--shard", "1/3"]),
    ].map((d) => d.fingerprint);
    expect(new Set(prints).size).toBe(prints.length);
  });

  it("--strategy all and --kernel all: each document carries the fingerprint of its own strategy and kernel", () => {
    const all = json([SEED, "--shard", "1/2", "--strategy", "all"]) as Doc[];
    expect(all).toHaveLength(5);
    const strategies = ["none", "percpu-flag", "per-thread-flag", "nesting-counter", "exception-table"] as const;
    expect(all.map((d) => d.fingerprint)).toEqual(strategies.map((strategy) => shardFingerprint(readFileSync(SEED), { depth: 1, strategy, kernel: undefined, shards: 2 })));
    const kernels = json([SEED, "--shard", "2/2", "--kernel", "all"]) as Doc[];
    expect(new Set(kernels.map((d) => d.fingerprint)).size).toBe(6);
  });

  it("a whole exploration carries none (its bytes are as they were), nor does a shard's text", () => {
    expect(one([SEED])).not.toHaveProperty("fingerprint");
    expect((json([SEED, "--strategy", "all"]) as Doc[]).some((d) => "fingerprint" in d)).toBe(false);
    expect(cli(["explore", SEED, "--shard", "1/2"]).stdout).not.toContain("sha256");
  });
});

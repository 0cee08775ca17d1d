// mergeShards and the shards' fingerprints (issue 17, "Merges that lie"):
// equal ones merge, differing ones are refused after every older check, and
// documents from before fingerprints merge on those checks alone.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { explore } from "../../src/explore/explore.js";
import { mergeShards } from "../../src/explore/merge.js";
import { exploreJson, withFingerprint } from "../../src/render/explore-json.js";
import type { Json } from "../../src/render/json.js";
import { loadScenario, type Scenario } from "../../src/scenario/validate.js";
import type { StrategyName } from "../../src/sim/simulate.js";

const SEED = readFileSync(new URL("../fixtures/explore/seed-races.yaml", import.meta.url), "utf8");

function load(text: string): Scenario {
  const r = loadScenario(text, "seed.yaml");
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

const s = load(SEED);
const OLD = `sha256:${"a".repeat(64)}`;
const NEW = `sha256:${"b".repeat(64)}`;

type Doc = { [k: string]: Json };
function shard(i: number, n: number, o: { fingerprint?: string; strategy?: StrategyName; depth?: number } = {}): Doc {
  const doc = exploreJson(explore(s, { depth: o.depth ?? 2, strategy: o.strategy ?? "percpu-flag", shard: { index: i, count: n } }), "seed.yaml");
  return o.fingerprint === undefined ? doc : withFingerprint(doc, o.fingerprint);
}
const merge = (...docs: Doc[]) => mergeShards(docs.map((doc, i) => ({ doc, where: String.fromCharCode(97 + i) })));
/** The message a merge is refused with, whole (or "merged"). */
function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return "merged";
}
const whole = exploreJson(explore(s, { depth: 2, strategy: "percpu-flag" }), "seed.yaml");

const DIFFER = (where: string, first: string) =>
  `${where} was explored from another version of the scenario file than ${first} (fingerprints differ where scenario, machine, depth and N agree: the file changed between the shard jobs); explore every shard from one version of the file`;
const MIXED = (without: string, other: string) =>
  `${without} has no fingerprint and ${other} has one: ${without} was written by an axptr-sim from before shard fingerprints (or edited), and cannot be shown to come from the same file; explore every shard with one version of axptr-sim`;

describe("mergeShards and fingerprints", () => {
  it("shards with one fingerprint merge into exactly the whole exploration, which carries none", () => {
    const merged = merge(shard(2, 3, { fingerprint: OLD }), shard(1, 3, { fingerprint: OLD }), shard(3, 3, { fingerprint: OLD }));
    expect(merged).not.toHaveProperty("fingerprint");
    expect(JSON.stringify(merged)).toBe(JSON.stringify(whole));
  });

  it("shards with none (written before fingerprints) merge on the other checks, as before", () => {
    expect(JSON.stringify(merge(shard(1, 2), shard(2, 2)))).toBe(JSON.stringify(whole));
    expect(refusal(() => merge(shard(1, 2), shard(1, 2)))).toBe("b and a are both shard 1/2");
  });

  it("refuses shards whose fingerprints differ, naming both", () => {
    expect(refusal(() => merge(shard(1, 2, { fingerprint: OLD }), shard(2, 2, { fingerprint: NEW })))).toBe(DIFFER("b", "a"));
    expect(refusal(() => merge(shard(1, 3, { fingerprint: OLD }), shard(2, 3, { fingerprint: OLD }), shard(3, 3, { fingerprint: NEW })))).toBe(DIFFER("c", "a"));
  });

  it("refuses a mix of shards with a fingerprint and without, naming the one without first", () => {
    expect(refusal(() => merge(shard(1, 2, { fingerprint: OLD }), shard(2, 2)))).toBe(MIXED("b", "a"));
    expect(refusal(() => merge(shard(1, 2), shard(2, 2, { fingerprint: OLD })))).toBe(MIXED("a", "b"));
  });

  it("keeps the older, more specific message where one applies too: another N, exploration, a repeated or missing shard", () => {
    expect(refusal(() => merge(shard(1, 2, { fingerprint: OLD }), shard(2, 3, { fingerprint: NEW })))).toBe("b is shard 2/3, a is one of 2: shards of one exploration share N");
    expect(refusal(() => merge(shard(1, 2, { fingerprint: OLD }), shard(2, 2, { strategy: "none", fingerprint: NEW })))).toBe(
      "b is a shard of another exploration than a (scenario, machine, strategy or depth differ)",
    );
    expect(refusal(() => merge(shard(1, 2, { fingerprint: OLD }), shard(2, 2, { depth: 1 })))).toBe("b is a shard of another exploration than a (scenario, machine, strategy or depth differ)");
    expect(refusal(() => merge(shard(1, 2, { fingerprint: OLD }), shard(1, 2, { fingerprint: NEW })))).toBe("b and a are both shard 1/2");
    expect(refusal(() => merge(shard(1, 3, { fingerprint: OLD }), shard(2, 3, { fingerprint: NEW })))).toBe("shard 3/3 missing: merging needs all 3");
  });

  it("refuses a malformed fingerprint with the schema's message, naming the key", () => {
    expect(refusal(() => merge(shard(1, 2, { fingerprint: OLD }), shard(2, 2, { fingerprint: `md5:${"0".repeat(32)}` })))).toBe(
      "b: fingerprint: Invalid string: must match pattern /^sha256:[0-9a-f]{64}$/ (not a document explore --format json writes)",
    );
  });
});

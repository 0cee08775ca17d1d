// Inputs meant to exhaust time or memory, which `validate` must refuse
// plainly (exit 2) and quickly. One list for both users:
// test/scenario/invalid-corpus.test.ts checks the exact messages (with a
// guard against hangs only: a loaded machine makes timed tests flaky), and
// `npm run bench` measures the time each takes against its target.

/** Files of test/fixtures/invalid/ made to exhaust time or memory. */
export const HOSTILE_FILES = [
  "alias-bomb.yaml",
  "alias-cycle.yaml",
  "deep-flow.yaml",
  "deep-block.yaml",
  "proto-key.yaml",
  "constructor-key.yaml",
  "number-2-pow-64.yaml",
  "number-above-u64.yaml",
  "hex-string-2-pow-64.yaml",
  "number-400-digits.yaml",
  "number-text-backtracking.yaml",
];

const blockMaps = (levels) => "name: x\n" + Array.from({ length: levels }, (_, i) => " ".repeat(i) + "a:\n").join("");

/** Made on the spot (too large to keep in the repository), by file name. */
export const HOSTILE_MADE = {
  "big.yaml": "name: big\ndescription: " + "a".repeat(50 * 1024 * 1024) + "\n",
  "deep-map.yaml": "name: x\nmachine: " + "{a: ".repeat(10_000) + "1" + "}".repeat(10_000) + "\n",
  "deep-block-map.yaml": blockMaps(10_000),
  "deep-block-map-1000.yaml": blockMaps(1_000),
  "same-area.yaml": "name: x\nmemory:\n" + "  - { start: 0x10000, pages: 1, perm: r }\n".repeat(12_000),
  "many-keys.yaml": "name: x\n" + Array.from({ length: 50_000 }, (_, i) => `k${i}: 1\n`).join(""),
  "many-aliases.yaml": "name: x\na: &a 1\nb: [" + Array(120_000).fill("*a").join(", ") + "]\n",
  "long-number-text.yaml": `name: x\nmachine:\n  budget: "${"9".repeat(100_000)}x"\n`,
  "long-number.yaml": `name: x\nmachine:\n  budget: ${"9".repeat(400_000)}\n`,
};

/** The time target of each, start-up included: 2 s, and 5 s for the three that report the first 100 of many problems. */
export function hostileLimitMs(name) {
  return ["same-area.yaml", "many-keys.yaml", "many-aliases.yaml"].includes(name) ? 5000 : 2000;
}

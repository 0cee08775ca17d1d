// The library's checked calls (src/api/), timed in this process: prints one
// JSON line for bench/run.mjs. A [k] of 100 million digits is refused before
// it is read; a scenario that loadScenario did not return is checked in full
// (the costliest bundled one), one that it returned is not checked again.
import { readdirSync, readFileSync } from "node:fs";
import { loadScenario, parseToken } from "../dist/index.js";

const load = (f) => {
  const r = loadScenario(readFileSync(`scenarios/${f}`, "utf8"), f);
  if (!r.ok) throw new Error(`${f} does not load`);
  return r.scenario;
};
const ms = (f, runs = 1) => {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) f();
  return Number(process.hrtime.bigint() - t0) / 1e6 / runs;
};

const s = load("39-races-seed-munmap-evict.yaml");
const token = `munmap@main#1:before-read[${"1".repeat(100_000_000)}]`;
let refused = false;
const hugeK = ms(() => (refused = !parseToken(s, token).ok));

// The full check of a copy, per call, on each bundled scenario (after a warm-up): the largest figure.
let worst = { file: "", ms: 0, trusted: 0 };
for (const f of readdirSync("scenarios").filter((f) => f.endsWith(".yaml"))) {
  const loaded = load(f);
  const copy = structuredClone(loaded);
  ms(() => parseToken(copy, ""), 5);
  const full = ms(() => parseToken(copy, ""), 20);
  if (full > worst.ms) worst = { file: f, ms: full, trusted: ms(() => parseToken(loaded, ""), 20) };
}
console.log(JSON.stringify({ hugeK, refused, worst }));

// `npm run bench`: the speed and memory targets of the issues, measured on
// this machine. Prints each figure beside its target; exits 1 if one is missed.
// Times are wall clock (the targets); CPU times are printed beside them, the
// steadier figure on a machine busy with other work.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { HOSTILE_FILES, HOSTILE_MADE, hostileLimitMs } from "./hostile.mjs";

const node = process.execPath;
const tmp = mkdtempSync(join(tmpdir(), "axptr-bench-"));
const bin = "bin/axptr-sim.js";

/** Median wall time of `runs` runs; with `rss`, the peak memory and the median CPU time (user + system, every thread). */
function time(args, { rss = false, runs = 1, env = {}, ok = [0, 1] } = {}) {
  const samples = [];
  const cpu = [];
  let peak = 0;
  let status;
  for (let i = 0; i < runs; i++) {
    const rssFile = join(tmp, "rss");
    const argv = rss ? ["--import", "./bench/rss.mjs", ...args] : args;
    const t0 = process.hrtime.bigint();
    const r = spawnSync(node, argv, { env: { ...process.env, ...env, AXPTR_BENCH_RSS: rss ? rssFile : "" }, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (!ok.includes(r.status)) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    status = r.status;
    samples.push(ms);
    if (rss) {
      const m = JSON.parse(readFileSync(rssFile, "utf8"));
      peak = Math.max(peak, m.rss);
      cpu.push(m.cpuMs);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { ms: median(samples), cpu: cpu.length > 0 ? median(cpu) : NaN, peak, status };
}

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

/**
 * Two commands run in turn, `runs` times each: this machine's speed drifts
 * over seconds, and a pair run back to back sees the same drift. Medians of
 * each side's wall and CPU time, of the pairs' ratios, and each side's peak.
 */
function alternate(a, b, runs, opts = {}) {
  const pairs = [];
  for (let i = 0; i < runs; i++) pairs.push([time(a, { ...opts, ...(opts.a ?? {}) }), time(b, { ...opts, ...(opts.b ?? {}) })]);
  const side = (k) => ({
    ms: median(pairs.map((p) => p[k].ms)),
    cpu: median(pairs.map((p) => p[k].cpu)),
    peak: Math.max(...pairs.map((p) => p[k].peak)),
    status: pairs[0][k].status,
  });
  return { a: side(0), b: side(1), ratio: median(pairs.map(([x, y]) => y.ms / x.ms)), cpuRatio: median(pairs.map(([x, y]) => y.cpu / x.cpu)), ratios: pairs.map(([x, y]) => y.ms / x.ms) };
}

const results = [];
function report(name, value, target, ok) {
  results.push(ok);
  console.log(`${ok ? "ok  " : "MISS"} ${name}: ${value} (target ${target})`);
}

// 4. explore: 122,925 schedules at depth 2, against one plain run of the same file in this bench run (issue 20: <= 3x).
const exploreBig = "bench/explore-big.yaml";
const bigExplore = alternate([bin, "run", exploreBig], [bin, "explore", "--format", "json", exploreBig], 3, { rss: true });
report(
  "explore bench/explore-big.yaml (122,925 schedules, depth 2)",
  `${bigExplore.b.ms.toFixed(0)} ms = ${bigExplore.ratio.toFixed(1)}x one plain run (${bigExplore.a.ms.toFixed(0)} ms; CPU ${bigExplore.cpuRatio.toFixed(1)}x), peak ${mb(bigExplore.b.peak)}`,
  "<= 3x",
  bigExplore.ratio <= 3,
);

// 5. explore by states (issue 20): openat copying a path (a get_as_str of BYTES bytes, PATH_MAX 4,096, over two lazy
// pages) while another thread may unmap the second page, evict the first, or write one NUL into the path.
function pathScenario(bytes) {
  const file = join(tmp, `path-${bytes}.yaml`);
  const start = 0x10100;
  writeFileSync(
    file,
    `name: openat with a ${bytes}-byte path
memory:
  - { start: 0x10000, pages: 2, perm: r, populate: false, contents: [ { at: 0x${start.toString(16)}, fill: 0x61, len: ${bytes - 1} } ] }
threads:
  - { name: main, steps: [ { op: get_as_str, ptr: 0x${start.toString(16)} } ] }
races:
  - { name: munmap, do: { unmap: { start: 0x11000, pages: 1 } } }
  - { name: evict, do: { evict: { start: 0x10000, pages: 1 } } }
  - { name: write, do: { write: { at: 0x${(start + Math.floor(bytes / 2)).toString(16)}, bytes: [0] } } }
`,
  );
  return file;
}
const pathRuns = {};
for (const [bytes, depth] of [
  [1000, 2],
  [2000, 2],
  [4000, 2],
  [4000, 3],
]) {
  const file = pathScenario(bytes);
  const r = alternate([bin, "run", file], [bin, "explore", "--format", "json", "--depth", String(depth), "--max-schedules", "1000000000000", file], 3, { rss: true });
  const doc = JSON.parse(spawnSync(node, [bin, "explore", "--format", "json", "--depth", String(depth), "--max-schedules", "1000000000000", file], { encoding: "utf8", maxBuffer: 1 << 28 }).stdout);
  pathRuns[`${bytes}/${depth}`] = r;
  const line = `${doc.schedules.toLocaleString("en-US")} schedules, ${doc.states.toLocaleString("en-US")} states: ${(r.b.ms / 1000).toFixed(2)} s = ${r.ratio.toFixed(1)}x one plain run (${r.a.ms.toFixed(0)} ms; CPU ${r.cpuRatio.toFixed(1)}x), peak ${mb(r.b.peak)}`;
  if (bytes === 4000) report(`explore a ${bytes}-byte path, three races, depth ${depth}`, line, "<= 10x, < 1 GB", r.ratio <= 10 && r.b.peak < 1024 * MiB);
  else console.log(`     explore a ${bytes}-byte path, three races, depth ${depth}: ${line}`);
}
// Linear in the path's length at a fixed depth: the exploration's own time (over the plain run's) per 1,000 bytes.
const own = (k) => pathRuns[k].b.ms - pathRuns[k].a.ms;
console.log(`     depth 2, time beyond one plain run per 1,000 bytes: ${[1000, 2000, 4000].map((b) => `${b} bytes ${(own(`${b}/2`) / (b / 1000)).toFixed(0)} ms`).join(", ")}`);

rmSync(tmp, { recursive: true, force: true });

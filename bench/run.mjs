// `npm run bench`: the speed and memory targets of the issues, measured on
// this machine. Prints each figure beside its target; exits 1 if one is missed.
// Times are wall clock (the targets); CPU times are printed beside them, the
// steadier figure on a machine busy with other work.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { HOSTILE_FILES, HOSTILE_MADE, hostileLimitMs } from "./hostile.mjs";
import { checkSplit, manyScenarios } from "./check-split.mjs";

// One section alone: AXPTR_BENCH_ONLY=check-split runs section 3b only (check beside two processes), on
// AXPTR_BENCH_COPIES folders of 1,000 scenarios (default 10) for AXPTR_BENCH_ROUNDS rounds (default 5).
if (process.env.AXPTR_BENCH_ONLY === "check-split") {
  const copies = Number(process.env.AXPTR_BENCH_COPIES ?? 10);
  const alone = mkdtempSync(join(tmpdir(), "axptr-bench-check-"));
  const many = join(alone, "many");
  manyScenarios(many, "bin/axptr-sim.js", copies);
  const ok = await checkSplit("bin/axptr-sim.js", many, Array.from({ length: copies }, (_, i) => join(many, `d${i}`)), { rounds: Number(process.env.AXPTR_BENCH_ROUNDS ?? 5) });
  rmSync(alone, { recursive: true, force: true });
  process.exit(ok ? 0 : 1);
}

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

// 1. get_as_str over a 64 MiB string on 16,384 lazy pages (issue 13: <= 3x the floor in every format, <= 300 MB).
const MiB = 1024 * 1024;
function stringScenario(mib) {
  const pages = (mib * MiB) / 4096;
  const file = join(tmp, `string-${mib}.yaml`);
  writeFileSync(file, `name: ${mib} MiB string over ${pages} lazy pages
machine: { budget: 1000000000 }
memory:
  - start: 0x1000000
    pages: ${pages + 1}
    perm: r
    populate: false
    contents:
      - { at: 0x1000000, fill: 0x41, len: ${mib * MiB} }
threads:
  - name: main
    steps:
      - op: get_as_str
        ptr: 0x1000000
`);
  return file;
}
const big = stringScenario(64);
time([bin, "run", "--quiet", big]); // warm the file cache
const floor = time(["bench/baseline-scan.mjs"], { runs: 3, rss: true });
console.log(`     bare Node fill+scan of the same pages (the floor): ${floor.ms.toFixed(0)} ms wall, ${floor.cpu.toFixed(0)} ms CPU, ${mb(floor.peak)}`);
for (const [label, args] of [
  ["text, 81,943 event lines", ["run"]],
  ["--quiet", ["run", "--quiet"]],
  ["--format json", ["run", "--format", "json"]],
  ["--format ndjson", ["run", "--format", "ndjson"]],
  ["--format mermaid", ["run", "--format", "mermaid"]],
  ["report -o FILE", ["report", "-o", join(tmp, "report.html")]],
]) {
  // Each format in turn with the floor, three times: the ratios are those of runs made side by side.
  const { a: base, b: sim, ratio, cpuRatio } = alternate(["bench/baseline-scan.mjs"], [bin, ...args, big], 3, { rss: true });
  // Issue 13's bar is for the trace formats; the pictures keep the first release's.
  const picture = label.includes("mermaid") || label.startsWith("report");
  const [limit, memory] = picture ? [10, 400] : [3, 300];
  report(
    `64 MiB get_as_str, ${args[0] === "run" ? "run " : ""}${label}`,
    `${sim.ms.toFixed(0)} ms = ${ratio.toFixed(2)}x the floor beside it (${base.ms.toFixed(0)} ms; CPU ${sim.cpu.toFixed(0)} ms = ${cpuRatio.toFixed(2)}x)`,
    `<= ${limit}x`,
    ratio <= limit,
  );
  report(`64 MiB get_as_str, ${args[0] === "run" ? "run " : ""}${label}, peak memory`, mb(sim.peak), `<= ${memory} MB`, sim.peak <= memory * MiB);
}

// Growth: the same scan at 16, 64 and 256 MiB (4 KiB pages), time and memory per MiB.
const points = [16, 64, 256].map((mib) => ({ mib, ...time([bin, "run", "--format", "json", stringScenario(mib)], { runs: 1, rss: true }) }));
for (const p of points) console.log(`     growth, ${p.mib} MiB (json): ${p.ms.toFixed(0)} ms wall, ${p.cpu.toFixed(0)} ms CPU, ${mb(p.peak)}`);
const [, p64, p256] = points;
// Linear: four times the bytes costs at most 4x (plus a quarter for noise) over the fixed start-up.
report("growth 64 → 256 MiB, CPU time", `${(p256.cpu / p64.cpu).toFixed(2)}x for 4x the bytes`, "<= 5x", p256.cpu <= 5 * p64.cpu);
report("growth 64 → 256 MiB, peak memory", `${(p256.peak / p64.peak).toFixed(2)}x for 4x the bytes`, "<= 5x", p256.peak <= 5 * p64.peak);

// 2. A one-step scenario, start-up included, against `node -e 0`.
const one = join(tmp, "one-step.yaml");
writeFileSync(one, `name: one step
memory:
  - { start: 0x10000, pages: 1, perm: r, contents: [{ at: 0x10000, str: "hi\\0" }] }
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: 0x10000, expect: { ok: "hi" } }
`);
const { a: bare, b: run1 } = alternate(["-e", "0"], [bin, "run", one], 21);
report("one-step run", `${run1.ms.toFixed(1)} ms vs node -e 0 ${bare.ms.toFixed(1)} ms = ${(run1.ms / bare.ms).toFixed(2)}x`, "<= 2x", run1.ms <= 2 * bare.ms);

// 3. check: 10,000 small scenarios (the 1,000 ten times), on every core against one thread.
const dir = join(tmp, "many");
// The same files (and goldens) check-split.mjs makes.
manyScenarios(dir, bin);
const output = (env) => spawnSync(node, [bin, "check", dir], { env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 1 << 30 }).stdout;
const same = output({ AXPTR_SIM_CHECK_THREADS: "1" }) === output({});
report("check of 10,000 scenarios: output on every core", same ? "byte-identical to one thread" : "DIFFERS from one thread", "identical", same);
// One thread and every core in turn, five times.
const pair = alternate([bin, "check", dir], [bin, "check", dir], 5, { rss: true, a: { env: { AXPTR_SIM_CHECK_THREADS: "1" } } });
// Printed, not a target: issue 21 replaced the 0.6x one (out of reach on 2 cores, see below) by 3b's.
console.log(
  `     check of 10,000 scenarios on every core: ${(pair.b.ms / 1000).toFixed(2)} s against one thread's ${(pair.a.ms / 1000).toFixed(2)} s: median of 5 pairs ${pair.ratio.toFixed(2)}x ` +
    `(pairs ${pair.ratios.map((r) => r.toFixed(2)).join(" ")}; CPU ${(pair.b.cpu / 1000).toFixed(2)} s against ${(pair.a.cpu / 1000).toFixed(2)} s)`,
);
const [oneMs, oneCpu, everyCpu] = [pair.a.ms, pair.a.cpu, pair.b.cpu];
// Why the figure is what it is: one thread already keeps V8's compiler and garbage collector busy on other cores.
const cores = availableParallelism();
console.log(
  `     one thread keeps ${(oneCpu / oneMs).toFixed(2)} cores busy; the same CPU time spread over ${cores} cores would take ` +
    `${(oneCpu / oneMs / cores).toFixed(2)}x its time, before the second isolate's own compiling (CPU +${((everyCpu - oneCpu) / 1000).toFixed(2)} s)`,
);

// 3b. check on every core against the same files split across two independent one-thread processes started
// together (issue 21: within 10%), side by side, in alternating order (bench/check-split.mjs).
await checkSplit(bin, dir, Array.from({ length: 10 }, (_, copy) => join(dir, `d${copy}`)), { rounds: 5, report });

// 4. Issue 8's resource cases: each finishes, or is refused (exit 2), within 10 s and 1 GB.
const cases = {
  "twelve 256 MiB fills in one area": `name: twelve fills
memory:
  - start: 0x100000000
    size: 0xc0000000
    perm: r
    populate: false
    contents:
${Array.from({ length: 12 }, (_, i) => `      - { at: 0x${(0x100000000 + i * 0x10000000).toString(16)}, fill: 0x41, len: 0x10000000 }`).join("\n")}
threads: [{ name: main, steps: [{ op: get_as_str, ptr: 0x100000000 }] }]
`,
  "unmap of one page at every before-read beside 65,536 filled pages": `name: unmap at every read
memory:
  - { start: 0x10000000, pages: 65536, perm: r, contents: [{ at: 0x10000000, fill: 0x41, len: 0x10000000 }] }
  - { start: 0x40000000, pages: 1, perm: r }
threads: [{ name: main, steps: [{ op: get_as_str, ptr: 0x10000000 }] }]
events: [{ when: { step: 1, at: before-read }, do: { unmap: { start: 0x40000000, pages: 1 } }, repeat: true }]
`,
  "map and write of a 256 MiB fill at every page check": `name: big actions at every page check
memory:
  - { start: 0x10000000, pages: 65536, perm: rw, contents: [{ at: 0x10000000, fill: 0x42, len: 0x10000000 }] }
threads: [{ name: main, steps: [{ op: get_as_str, ptr: 0x10000000 }] }]
events:
  - { when: { step: 1, at: page-check }, do: { write: { at: 0x10000000, fill: 0x41, len: 0x10000000 } }, repeat: true }
  - { when: { step: 1, at: page-check }, do: { map: { start: 0x50000000, size: 0x10000000, perm: r, contents: [{ at: 0x50000000, fill: 0x43, len: 0x10000000 }] } }, repeat: true }
`,
  "zero-sized elements, len 99,999,990": `name: zero-sized
memory: [{ start: 0x10000, pages: 1, perm: r }]
threads: [{ name: main, steps: [{ op: get_as_slice, ptr: 0x10000, type: { size: 0, align: 1 }, len: 99999990, use: read }] }]
`,
  "get_as_str over 3 x 256 MiB, largest budget, 64 KiB pages": `name: too long a string
machine: { budget: 0xffffffffffffffff, page_size: 65536 }
memory:
  - start: 0x10000000
    size: 0x30010000
    perm: r
    contents:
      - { at: 0x10000000, fill: 0x41, len: 0x10000000 }
      - { at: 0x20000000, fill: 0x42, len: 0x10000000 }
      - { at: 0x30000000, fill: 0x43, len: 0x10000000 }
threads: [{ name: main, steps: [{ op: get_as_str, ptr: 0x10000000 }] }]
`,
  "evict of the whole address space over a 64 GiB eager area": `name: evict everything
memory: [{ start: 0x100000000, size: 0x1000000000, perm: rw }]
threads: [{ name: main, steps: [{ op: get, ptr: 0x100000000, type: u8, use: read }] }]
events: [{ when: { step: 1, at: before-step }, do: { evict: { start: 0x1000, size: 0x7ffffffff000 } } }]
`,
  "64 CPUs, a lazy get_as_slice of 499,000 pages": `name: 64 CPUs
machine: { cpus: 64 }
memory: [{ start: 0x100000000, pages: 499000, perm: r, populate: false }]
threads: [{ name: main, steps: [{ op: get_as_slice, ptr: 0x100000000, len: 2043904000 }] }]
`,
};
for (const [label, text] of Object.entries(cases)) {
  const file = join(tmp, "case.yaml");
  writeFileSync(file, text);
  for (const format of label.startsWith("64 CPUs") ? ["text", "json"] : ["text"]) {
    const r = time([bin, "run", "--format", format, file], { rss: true, ok: [0, 1, 2] });
    report(`${label} (${format}, exit ${r.status})`, `${(r.ms / 1000).toFixed(2)} s, ${mb(r.peak)}`, "<= 10 s, <= 1 GB", r.ms <= 10_000 && r.peak <= 1024 * MiB);
  }
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

// 6. Issue 17: a valid 7-line file, a 64 MiB scan with one race allowed only at before-step (2 schedules):
// explore, check and report of it within 10 s and 1 GB each (it was 5.4 GB and a V8 abort).
{
  const dir = join(tmp, "scan-race");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "scan.yaml");
  writeFileSync(file, `name: 64 MiB scan, one race
machine: { budget: 1000000000 }
memory:
  - { start: 0x1000000, pages: 16385, perm: r, populate: false, contents: [ { at: 0x1000000, fill: 0x41, len: 67108864 } ] }
threads: [ { name: main, steps: [ { op: get_as_str, ptr: 0x1000000 } ] } ]
races: [ { name: zap, do: { evict: { start: 0x1000000, pages: 1 } }, at: [before-step] } ]
`);
  for (const [label, args] of [
    ["explore", [bin, "explore", file]],
    ["check", [bin, "check", dir]],
    ["report", [bin, "report", file, "-o", join(tmp, "scan-race.html")]],
  ]) {
    const r = time(args, { rss: true, ok: [0, 1] });
    report(`64 MiB scan with a before-step race, ${label} (exit ${r.status})`, `${(r.ms / 1000).toFixed(2)} s, ${mb(r.peak)}`, "<= 10 s, <= 1 GB", r.ms <= 10_000 && r.peak <= 1024 * MiB);
  }
}

// 7. Issue 17: eleven races, each writing one byte of a 1 MiB buffer that a get_as_slice reads: 12 classes whose
// witnesses hold 1 MiB values (it was 3.5 GB; then 15 s and 851 MB while each value's key was a 3 MB string).
{
  const file = join(tmp, "eleven-mib.yaml");
  const races = Array.from({ length: 11 }, (_, i) => `  - { name: w${i}, do: { write: { at: 0x${(0x100000 + i * 4096).toString(16)}, bytes: [${i + 1}] } }, at: [before-step] }`).join("\n");
  writeFileSync(file, `name: eleven classes of 1 MiB values
memory:
  - { start: 0x100000, pages: 256, perm: rw, contents: [ { at: 0x100000, fill: 0x41, len: 0x100000 } ] }
threads:
  - { name: main, steps: [ { op: get_as_slice, ptr: 0x100000, type: u8, len: 0x100000, use: read } ] }
races:
${races}
explore: { depth: 1 }
`);
  for (const format of ["text", "json"]) {
    const r = time([bin, "explore", "--format", format, file], { rss: true, ok: [0, 1] });
    report(`12 classes of 1 MiB values, explore --format ${format} (exit ${r.status})`, `${(r.ms / 1000).toFixed(2)} s, ${mb(r.peak)}`, "<= 10 s, <= 1 GB", r.ms <= 10_000 && r.peak <= 1024 * MiB);
  }
}

// Endless inputs (issue 8): read only up to the 512 KiB limit, refused at once (exit 2), in bounded memory.
for (const [label, line] of [
  ["validate /dev/zero", `"$NODE" --import ./bench/rss.mjs ${bin} validate /dev/zero`],
  ["validate /dev/urandom", `"$NODE" --import ./bench/rss.mjs ${bin} validate /dev/urandom`],
  ["3 GB on a pipe into validate -", `head -c 3000000000 /dev/zero | "$NODE" --import ./bench/rss.mjs ${bin} validate -`],
]) {
  const rssFile = join(tmp, "rss");
  const t0 = process.hrtime.bigint();
  const r = spawnSync("bash", ["-c", `${line}; exit \${PIPESTATUS[-1]}`], { env: { ...process.env, NODE: node, AXPTR_BENCH_RSS: rssFile }, stdio: ["ignore", "ignore", "pipe"] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  // rss.mjs writes {rss, cpuMs} (the format changed with the CPU figures).
  const peak = JSON.parse(readFileSync(rssFile, "utf8")).rss;
  report(`${label}: refused (exit ${r.status})`, `${ms.toFixed(0)} ms, peak ${(peak / 2 ** 20).toFixed(0)} MB`, "exit 2, < 10 s, < 1 GB", r.status === 2 && ms < 10_000 && peak < 2 ** 30);
}

// Hostile inputs (bench/hostile.mjs, whose messages the tests check): each refused (exit 2) within its target, start-up included.
for (const [name, file] of [
  ...HOSTILE_FILES.map((n) => [n, join("test/fixtures/invalid", n)]),
  ...Object.entries(HOSTILE_MADE).map(([n, text]) => {
    const f = join(tmp, n);
    writeFileSync(f, text);
    return [n, f];
  }),
]) {
  const r = time([bin, "validate", file], { runs: 3, ok: [0, 1, 2] });
  const limit = hostileLimitMs(name);
  report(`validate ${name}: refused (exit ${r.status})`, `${r.ms.toFixed(0)} ms`, `exit 2, <= ${limit / 1000} s`, r.status === 2 && r.ms <= limit);
}

// The library's checked calls (issue 17, the library): a huge [k] refused at once; the full check of a scenario loadScenario did not return, cheap.
{
  const r = spawnSync(node, ["bench/library.mjs"], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`bench/library.mjs exited ${r.status}: ${r.stderr}`);
  const { hugeK, refused, worst } = JSON.parse(r.stdout);
  report("library: parseToken of a [k] of 100,000,000 digits", `${refused ? "refused" : "read"} in ${hugeK.toFixed(0)} ms`, "refused, <= 1 s", refused && hugeK <= 1000);
  report(`library: checking a scenario not from loadScenario (${worst.file}, the costliest bundled)`, `${worst.ms.toFixed(2)} ms a call (one loadScenario returned: ${worst.trusted.toFixed(4)} ms)`, "<= 10 ms", worst.ms <= 10);
}

rmSync(tmp, { recursive: true, force: true });
process.exitCode = results.every(Boolean) ? 0 : 1;

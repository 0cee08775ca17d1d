// `npm run bench`: the speed and memory targets of the issues, measured on
// this machine. Prints each figure beside its target; exits 1 if one is missed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const node = process.execPath;
const tmp = mkdtempSync(join(tmpdir(), "axptr-bench-"));
const bin = "bin/axptr-sim.js";

function time(args, { rss = false, runs = 1, env = {} } = {}) {
  const samples = [];
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    const rssFile = join(tmp, "rss");
    const argv = rss ? ["--import", "./bench/rss.mjs", ...args] : args;
    const t0 = process.hrtime.bigint();
    const r = spawnSync(node, argv, { env: { ...process.env, ...env, AXPTR_BENCH_RSS: rss ? rssFile : "" }, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    samples.push(ms);
    if (rss) peak = Math.max(peak, Number(readFileSync(rssFile, "utf8")));
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)], peak };
}

const results = [];
function report(name, value, target, ok) {
  results.push(ok);
  console.log(`${ok ? "ok  " : "MISS"} ${name}: ${value} (target ${target})`);
}

// 1. get_as_str over a 64 MiB string on 16,384 lazy pages.
const MiB64 = 64 * 1024 * 1024;
const big = join(tmp, "big-string.yaml");
writeFileSync(big, `name: 64 MiB string over 16,384 lazy pages
memory:
  - start: 0x1000000
    pages: 16385
    perm: r
    populate: false
    contents:
      - { at: 0x1000000, fill: 0x41, len: ${MiB64} }
threads:
  - name: main
    steps:
      - op: get_as_str
        ptr: 0x1000000
`);
time([bin, "run", "--quiet", big]); // warm the file cache
const base = time(["bench/baseline-scan.mjs"], { runs: 5, rss: true });
console.log(`     bare Node fill+scan of the same pages: ${base.ms.toFixed(0)} ms, ${(base.peak / 2 ** 20).toFixed(0)} MB`);
for (const [label, args] of [
  ["run (text, 81,943 event lines)", []],
  ["run --quiet", ["--quiet"]],
  ["run --format json", ["--format", "json"]],
  ["run --format ndjson", ["--format", "ndjson"]],
  ["run --format mermaid", ["--format", "mermaid"]],
  ["report -o FILE", ["-o", join(tmp, "report.html")]],
]) {
  const command = label.startsWith("report") ? ["report"] : ["run"];
  const sim = time([bin, ...command, ...args, big], { runs: 3, rss: true });
  report(`64 MiB get_as_str, ${label}`, `${sim.ms.toFixed(0)} ms = ${(sim.ms / base.ms).toFixed(2)}x bare`, "<= 10x", sim.ms <= 10 * base.ms);
  report(`64 MiB get_as_str, ${label}, peak memory`, `${(sim.peak / 2 ** 20).toFixed(0)} MB`, "< 400 MB", sim.peak < 400 * 2 ** 20);
}

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
const bare = time(["-e", "0"], { runs: 21 });
const run1 = time([bin, "run", one], { runs: 21 });
report("one-step run", `${run1.ms.toFixed(1)} ms vs node -e 0 ${bare.ms.toFixed(1)} ms = ${(run1.ms / bare.ms).toFixed(2)}x`, "<= 2x", run1.ms <= 2 * bare.ms);

// 3. check: 1,000 small scenarios in one process.
const dir = join(tmp, "many");
mkdirSync(dir);
for (let i = 0; i < 1000; i++) {
  const page = 0x10000 + i * 0x2000;
  writeFileSync(join(dir, `s${String(i).padStart(4, "0")}.yaml`), `name: scenario ${i}
memory:
  - start: ${page}
    pages: 2
    perm: r
    populate: false
    present: [${page}]
    contents:
      - { at: ${page + 0xffa}, str: "hello," }
      - { at: ${page + 0x1000}, str: " world ${i}\\0" }
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: ${page + 0xffa}, expect: { ok: "hello, world ${i}" } }
`);
}
time([bin, "check", "--update", dir]);
const check = time([bin, "check", dir], { runs: 3 });
report("check of 1,000 scenarios", `${(check.ms / 1000).toFixed(2)} s`, "< 10 s", check.ms < 10_000);

rmSync(tmp, { recursive: true, force: true });
process.exitCode = results.every(Boolean) ? 0 : 1;

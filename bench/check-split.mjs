// The check section of `npm run bench` (issue 21): `check` on every core
// against the same files split across two independent one-thread `check`
// processes started together (what a user could do by hand), side by side.
// Target: every core within 10% of the pair's wall time. Run alone with
// `node bench/check-split.mjs` (after `node scripts/build.mjs`).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const node = process.execPath;
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

/** `copies` folders of 1,000 small scenarios each (section 3's files), and their goldens. */
export function manyScenarios(dir, bin, copies = 10) {
  mkdirSync(dir, { recursive: true });
  for (let copy = 0; copy < copies; copy++) {
    const sub = join(dir, `d${copy}`);
    mkdirSync(sub);
    for (let i = 0; i < 1000; i++) {
      const page = 0x10000 + i * 0x2000;
      writeFileSync(join(sub, `s${String(i).padStart(4, "0")}.yaml`), `name: scenario ${i}
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
  }
  spawnSync(node, [bin, "check", "--update", dir], { stdio: "ignore" });
}

/** Starts the commands together; resolves with the wall time until the last one ends. */
function together(commands) {
  const t0 = process.hrtime.bigint();
  return Promise.all(
    commands.map(
      ({ args, env }) =>
        new Promise((resolve, reject) => {
          const child = spawn(node, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
          let err = "";
          child.stderr.on("data", (d) => (err += d));
          child.on("error", reject);
          child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(" ")} exited ${code}: ${err}`))));
        }),
    ),
  ).then(() => Number(process.hrtime.bigint() - t0) / 1e6);
}

/**
 * `check DIR` on every core, and `check` of each half of DIR's folders in two
 * one-thread processes started together, in turn `rounds` times (the machine
 * is shared: each pair sees the same load). Medians, and the pairs' ratios.
 */
export async function checkSplit(bin, dir, folders, { rounds = 5, report = defaultReport } = {}) {
  const half = Math.ceil(folders.length / 2);
  const one = { AXPTR_SIM_CHECK_THREADS: "1" };
  const every = [{ args: [bin, "check", dir], env: {} }];
  const split = [
    { args: [bin, "check", ...folders.slice(0, half)], env: one },
    { args: [bin, "check", ...folders.slice(half)], env: one },
  ];
  const pairs = [];
  for (let i = 0; i < rounds; i++) {
    // Which side goes first alternates too, so neither always meets the other's leftovers (the file cache, a busy neighbour).
    if (i % 2 === 0) pairs.push({ every: await together(every), split: await together(split) });
    else {
      const s = await together(split);
      pairs.push({ every: await together(every), split: s });
    }
  }
  const ratios = pairs.map((p) => p.every / p.split);
  const ratio = median(ratios);
  report(
    `check of ${folders.length * 1000} scenarios on every core, beside two one-thread processes on half the files each`,
    `${(median(pairs.map((p) => p.every)) / 1000).toFixed(2)} s against the pair's ${(median(pairs.map((p) => p.split)) / 1000).toFixed(2)} s: ` +
      `median of ${rounds} rounds ${ratio.toFixed(2)}x (rounds ${ratios.map((r) => r.toFixed(2)).join(" ")})`,
    "<= 1.10x",
    ratio <= 1.1,
  );
  return ratio <= 1.1;
}

function defaultReport(name, value, target, ok) {
  console.log(`${ok ? "ok  " : "MISS"} ${name}: ${value} (target ${target})`);
}

// Alone: `node bench/check-split.mjs [COPIES] [ROUNDS]` (10 folders of 1,000, 5 rounds).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const copies = Number(process.argv[2] ?? 10);
  const rounds = Number(process.argv[3] ?? 5);
  const tmp = mkdtempSync(join(tmpdir(), "axptr-bench-check-"));
  const dir = join(tmp, "many");
  manyScenarios(dir, "bin/axptr-sim.js", copies);
  const ok = await checkSplit("bin/axptr-sim.js", dir, Array.from({ length: copies }, (_, i) => join(dir, `d${i}`)), { rounds });
  rmSync(tmp, { recursive: true, force: true });
  process.exitCode = ok ? 0 : 1;
}

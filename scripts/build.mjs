// Builds what users run: dist/axptr-sim.cjs (the whole CLI bundled and
// minified: loading commander, yaml, zod and chalk as separate modules costs
// more start-up time than a simulation), dist/launch.js (starts it from V8's
// code cache) and dist/axptr-sim.cache (that cache, made by a warm-up run).
// The library (the package root, src/index.ts) is a separate entry,
// dist/index.js, importing its dependencies: the CLI's cold path never loads it.
// With --types, also the library's declarations (dist/types/), by tsc from the
// source (slower: `npm run build` and `npm pack` do it, the test set-up does not).
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const { version } = JSON.parse(readFileSync("package.json", "utf8"));

// zod re-exports every translation of its messages (260 KB); only English is used.
const englishOnlyZod = {
  name: "english-only-zod",
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes("/zod/") ? { path: fileURLToPath(new URL("zod-locales.js", import.meta.url)) } : undefined,
    );
  },
};

// The yaml library reads process.env on every token (see yaml-process.cjs): it gets a snapshot of its two switches.
const yamlProcessOnce = {
  name: "yaml-process-once",
  setup(b) {
    b.onResolve({ filter: /^(node:)?process$/ }, (args) =>
      args.importer.includes("/yaml/dist/") ? { path: fileURLToPath(new URL("yaml-process.cjs", import.meta.url)) } : undefined,
    );
  },
};

const common = { bundle: true, platform: "node", target: "node20", legalComments: "none", logLevel: "warning" };
// Built beside dist/, then renamed in file by file: a CLI started while a build runs never finds dist/ half-made.
const out = `dist.${process.pid}.tmp`;
rmSync(out, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: ["src/cli/main.ts"],
  outfile: `${out}/axptr-sim.cjs`,
  format: "cjs",
  minify: true,
  plugins: [englishOnlyZod, yamlProcessOnce],
  define: { AXPTR_SIM_VERSION: JSON.stringify(version) },
});
await build({ ...common, entryPoints: ["src/cli/launch.ts"], outfile: `${out}/launch.js`, format: "esm" });
await build({ ...common, entryPoints: ["src/index.ts"], outfile: `${out}/index.js`, format: "esm", packages: "external" });
// The exploration's worker threads run this bundle (src/explore/workers.ts).
await build({ ...common, entryPoints: ["src/explore/worker.ts"], outfile: `${out}/explore-worker.cjs`, format: "cjs", minify: true });

// Warm-up: validate and run a small scenario, then keep the compiled code.
const warmup = `name: warm-up
memory:
  - { start: 0x10000, pages: 2, perm: r, populate: false, present: [0x10000], contents: [{ at: 0x10ffa, str: "hello," }, { at: 0x11000, str: " world\\0" }] }
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: 0x10ffa, expect: { ok: "hello, world" } }
`;
mkdirSync("dist", { recursive: true });
for (const name of readdirSync(out)) renameSync(`${out}/${name}`, `dist/${name}`);
rmSync(out, { recursive: true, force: true });

// The cache of the previous build goes first: V8 checks a cache against its script by the source's length only,
// so a bundle changed in place (620 → 944) would run the old cache's compiled code, and the warm-up would keep it.
rmSync("dist/axptr-sim.cache", { force: true });
// The warm-up runs where users run it (the cache keeps the script's file name), writing the cache beside it.
const r = spawnSync(process.execPath, ["dist/launch.js", "run", "-"], {
  input: warmup,
  env: { ...process.env, AXPTR_SIM_WRITE_CODE_CACHE: "1", NO_COLOR: "1" },
  encoding: "utf8",
});
if (r.status !== 0) {
  console.error(`build: the warm-up run failed (exit ${r.status}):\n${r.stderr}`);
  process.exit(1);
}

if (process.argv.includes("--types")) {
  rmSync("dist/types", { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const t = spawnSync(process.execPath, [tsc, "-p", "tsconfig.lib.json"], { stdio: "inherit" });
  if (t.status !== 0) {
    console.error("build: tsc could not emit the library's declarations");
    process.exit(1);
  }
}

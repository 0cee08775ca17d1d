// Starts the bundled CLI from V8's code cache when it is there: compiling the
// bundle is most of a short run's start-up time. The cache is written at build
// time only (see scripts/build.mjs), never while a user runs the tool.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { isMainThread } from "node:worker_threads";

const here = dirname(fileURLToPath(import.meta.url));
const bundle = join(here, "axptr-sim.cjs");
const cache = join(here, "axptr-sim.cache");

const cachedData = existsSync(cache) ? readFileSync(cache) : undefined;
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, "utf8")}\n})`, {
  filename: bundle,
  ...(cachedData ? { cachedData } : {}),
});
const mod: { exports: { main?: (argv: readonly string[]) => Promise<number> } } = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(mod.exports, createRequire(bundle), mod, bundle, here);
const main = mod.exports.main;
if (!main) throw new Error(`${bundle} does not export main`);
// A worker thread of `check` (src/cli/commands/check-parallel.ts) starts here too, for the cache; the bundle then starts its work.
// Exit codes are set through exitCode, so output written to a pipe is flushed first.
if (isMainThread) process.exitCode = await main(process.argv.slice(2));
if (isMainThread && process.env.AXPTR_SIM_WRITE_CODE_CACHE === "1") {
  // Beside the target, then renamed: a CLI started meanwhile reads the old cache or the new one, never half of one.
  const tmp = `${cache}.${process.pid}.tmp`;
  writeFileSync(tmp, script.createCachedData());
  renameSync(tmp, cache);
}

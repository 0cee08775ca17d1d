// Bundles the CLI into one file: loading commander, yaml, zod and chalk as
// separate modules costs more start-up time than the whole simulation.
import { readFileSync } from "node:fs";
import { build } from "esbuild";

const { version } = JSON.parse(readFileSync("package.json", "utf8"));

await build({
  entryPoints: ["src/cli/bin.ts"],
  outfile: "dist/axptr-sim.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  legalComments: "none",
  // commander is CommonJS: give the bundle a require for its node: built-ins.
  banner: { js: "import { createRequire as __axptrRequire } from \"node:module\"; const require = __axptrRequire(import.meta.url);" },
  logLevel: "warning",
  define: { AXPTR_SIM_VERSION: JSON.stringify(version) },
});

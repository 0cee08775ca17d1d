// The package as a new user gets it: `npm pack`, the tarball installed into
// an empty project with no network (the dependencies come from the npm cache
// that `npm ci` filled, pinned by a lockfile made from this repository's),
// then the CLI through npx, the library from JavaScript (docs/library.md's
// examples, as written) and from strict TypeScript.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "./helpers/cli.js";

const library = readFileSync(join(ROOT, "docs/library.md"), "utf8");
const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
const TARBALL = `axptr-sim-${version}.tgz`;
const SEED = "node_modules/axptr-sim/scenarios/01-seed-string-across-lazy-page.yaml";

let dir = "";
let project = "";
let packed: SpawnSyncReturns<string>;
let installed: SpawnSyncReturns<string>;

function run(cmd: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };
  // `npm test` runs us with npm's own settings in the environment: the child npm must start clean.
  for (const k of Object.keys(env)) if (k.startsWith("npm_") && !k.startsWith("npm_config_")) delete env[k];
  delete env.npm_config_prefix;
  return spawnSync(cmd, args, { cwd, env, encoding: "utf8", timeout: 120_000 });
}

/** A lockfile for a project that depends on the tarball: the runtime packages pinned as this repository pins them. */
function lockfile(): string {
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dev?: boolean; dependencies?: Record<string, string> }>;
  };
  const runtime = Object.fromEntries(Object.entries(lock.packages).filter(([k, v]) => k.startsWith("node_modules/") && v.dev !== true));
  const dependencies = lock.packages[""]?.dependencies ?? {};
  return JSON.stringify({
    name: "consumer",
    version: "1.0.0",
    lockfileVersion: 3,
    requires: true,
    packages: {
      "": { name: "consumer", version: "1.0.0", dependencies: { "axptr-sim": `file:../${TARBALL}` } },
      "node_modules/axptr-sim": { version, resolved: `file:../${TARBALL}`, license: "MIT", dependencies, bin: { "axptr-sim": "bin/axptr-sim.js" }, engines: { node: ">=20" } },
      ...runtime,
    },
  });
}

/** docs/library.md's examples (simulating, exploring), each with the output it shows. */
function libraryExamples(): { code: string; output: string }[] {
  const section = library;
  const examples = [...section.matchAll(/```js\n([\s\S]*?)```\n\nprints\n\n```\n([\s\S]*?)```/g)].map((m) => ({ code: m[1] ?? "", output: m[2] ?? "" }));
  // Every js block has its output: none is left untested.
  if (examples.length === 0 || examples.length !== section.split("```js\n").length - 1) throw new Error("docs/library.md: an example without its output");
  return examples;
}

const STRICT_TS = `import { explore, exploreJson, loadScenario, parseToken, renderJson, simulate, traceJsonSchema, ExploreDocument, TraceDocument, type EventKind, type ExploreResult, type Problem, type StrategyName, type Trace } from "axptr-sim";

const loaded = loadScenario("name: empty\\n", "empty.yaml");
if (!loaded.ok) {
  const problems: readonly Problem[] = loaded.problems;
  throw new Error(problems.map((p) => \`\${p.file}:\${p.line}:\${p.col}\`).join("\\n"));
}
const strategy: StrategyName = "per-thread-flag";
const trace: Trace = simulate(loaded.scenario, { strategy });
const kinds: EventKind[] = trace.events.map((e) => e.kind);
const pageSize: bigint = loaded.scenario.machine.page_size;
const parsed = TraceDocument.parse(JSON.parse(renderJson([{ trace, file: "empty.yaml" }])));
const outcome: "completed" | "panic" | "killed" | "deadlock" | "step-limit" | "livelock" = parsed.outcome;
// @ts-expect-error: not a strategy
simulate(loaded.scenario, { strategy: "per-cpu-flag" });
const explored: ExploreResult = explore(loaded.scenario, { depth: 1, strategy, shard: { index: 1, count: 2 } });
const witnesses: string[] = explored.classes.map((c) => c.witness);
const token = parseToken(loaded.scenario, "race@main#1:before-step");
const why: string = token.ok ? String(token.schedule.length) : token.message;
const shard: { index: number; count: number } | null = ExploreDocument.parse(exploreJson(explored, "empty.yaml")).shard;
export const seen = [kinds, pageSize, outcome, traceJsonSchema(), witnesses, why, shard];
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "axptr-sim-package-"));
  project = join(dir, "consumer");
  mkdirSync(project);
  // Scripts run: prepack builds everything and takes `prepare` out of the tarball's package.json.
  packed = run("npm", ["pack", "--pack-destination", dir], ROOT);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "module", dependencies: { "axptr-sim": `file:../${TARBALL}` } }, null, 2));
  writeFileSync(join(project, "package-lock.json"), lockfile());
  installed = run("npm", ["install", "--offline", "--no-audit", "--no-fund"], project);
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the packed tarball, installed into an empty project", () => {
  it("packs (building first), leaving package.json as it was", () => {
    expect(packed.status, packed.stderr).toBe(0);
    expect(readdirSync(dir)).toContain(TARBALL);
    expect(readFileSync(join(ROOT, "package.json"), "utf8")).toContain('"prepare": "node scripts/build.mjs"');
  });

  it("installs offline with no warning, and carries no install-time script", () => {
    expect(installed.status, installed.stderr).toBe(0);
    expect(installed.stderr).not.toMatch(/warn|script|prepare/i);
    const manifest = JSON.parse(readFileSync(join(project, "node_modules/axptr-sim/package.json"), "utf8")) as { scripts?: Record<string, string> };
    for (const hook of ["preinstall", "install", "postinstall", "prepare"]) expect(manifest.scripts?.[hook], hook).toBeUndefined();
  });

  it("runs the CLI through npx on a bundled scenario, as in the repository", () => {
    const r = run("npx", ["--offline", "axptr-sim", "run", SEED], project);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(cli(["run", SEED.replace("node_modules/axptr-sim/", "")]).stdout.replace("file      scenarios/", "file      node_modules/axptr-sim/scenarios/"));
  }, 60_000);

  it("runs docs/library.md's examples as written, each printing what it shows", () => {
    const examples = libraryExamples();
    expect(examples.length).toBe(3);
    examples.forEach(({ code, output }, i) => {
      writeFileSync(join(project, `example-${i + 1}.mjs`), code);
      const r = run(process.execPath, [`example-${i + 1}.mjs`], project);
      expect(r.stderr, `example ${i + 1}`).toBe("");
      expect(r.status, `example ${i + 1}`).toBe(0);
      expect(r.stdout, `example ${i + 1}`).toBe(output);
    });
  }, 60_000);

  it("type-checks a strict TypeScript user (moduleResolution nodenext, no skipLibCheck)", () => {
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", noEmit: true, skipLibCheck: false, types: [] }, files: ["use.ts"] }),
    );
    writeFileSync(join(project, "use.ts"), STRICT_TS);
    const tsc = createRequire(join(ROOT, "package.json")).resolve("typescript/bin/tsc");
    const r = run(process.execPath, [tsc, "-p", "tsconfig.json"], project);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  }, 120_000);
});

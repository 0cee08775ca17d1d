// The package as a new user gets it: `npm pack`, the tarball installed into
// an empty project with no network (the dependencies come from the npm cache
// that `npm ci` filled, pinned by a lockfile made from this repository's),
// then the CLI through npx, the library from JavaScript (docs/library.md's
// examples, as written) and from strict TypeScript.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "./helpers/cli.js";
import { readDoc, section } from "./helpers/docs.js";

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

/** A lockfile for a project that depends on the tarball (as a devDependency: `dev`): the runtime packages pinned as this repository pins them. */
function lockfile(dev = false): string {
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dev?: boolean; dependencies?: Record<string, string> }>;
  };
  const runtime = Object.fromEntries(
    Object.entries(lock.packages)
      .filter(([k, v]) => k.startsWith("node_modules/") && v.dev !== true)
      .map(([k, v]) => [k, dev ? { ...v, dev: true } : v]),
  );
  const dependencies = lock.packages[""]?.dependencies ?? {};
  return JSON.stringify({
    name: "consumer",
    version: "1.0.0",
    lockfileVersion: 3,
    requires: true,
    packages: {
      "": { name: "consumer", version: "1.0.0", [dev ? "devDependencies" : "dependencies"]: { "axptr-sim": `file:../${TARBALL}` } },
      "node_modules/axptr-sim": { version, resolved: `file:../${TARBALL}`, license: "MIT", dependencies, bin: { "axptr-sim": "bin/axptr-sim.js" }, engines: { node: ">=20" }, ...(dev ? { dev: true } : {}) },
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

// ---- docs/ci.md's GitHub Actions recipes, as written ------------------------------------

interface WorkflowStep {
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
  if?: string;
}
interface Workflow {
  name: string;
  on: unknown;
  permissions: unknown;
  jobs: Record<string, { "runs-on": string; needs?: string; strategy?: { matrix: Record<string, unknown[]> }; steps: WorkflowStep[] }>;
}

/** The workflows of docs/ci.md's recipes, by the file each names in its first line. */
function recipes(): Map<string, Workflow> {
  const text = section(readDoc("docs/ci.md"), "## GitHub Actions recipes");
  const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
  return new Map(blocks.map((b) => [/^# \.github\/workflows\/(\S+)\n/.exec(b)?.[1] ?? "(unnamed)", parse(b) as Workflow]));
}

/** What GitHub's runner does with a `run:` step: bash -eo pipefail, the matrix's values put in. */
function runStep(command: string, matrix: Record<string, unknown>, cwd: string): SpawnSyncReturns<string> {
  const script = command.replace(/\$\{\{ matrix\.(\w+) \}\}/g, (_, k: string) => String(matrix[k]));
  expect(script, "every expression of the recipe is a matrix value").not.toContain("${{");
  const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
    cwd,
    encoding: "utf8",
    timeout: 120_000,
    // The runner's environment; offline: the dependencies come from the npm cache, as above.
    env: { ...cleanEnv(), CI: "true", GITHUB_ACTIONS: "true", npm_config_offline: "true" },
  });
  return r;
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };
  for (const k of Object.keys(env)) if (k.startsWith("npm_") && !k.startsWith("npm_config_")) delete env[k];
  delete env.npm_config_prefix;
  delete env.FORCE_COLOR;
  return env;
}

/** Runs one job's `run:` steps in order, as its runner would; each must exit as `expected` says (0 by default). */
function runJob(job: Workflow["jobs"][string], matrix: Record<string, unknown>, cwd: string, expected: (run: string) => number = () => 0): SpawnSyncReturns<string>[] {
  return job.steps
    .filter((s): s is WorkflowStep & { run: string } => s.run !== undefined)
    .map((s) => {
      const r = runStep(s.run, matrix, cwd);
      expect(r.status, `${s.run}\n${r.stdout}${r.stderr}`).toBe(expected(s.run));
      return r;
    });
}

/** The scenario a user with a race that panics under strategy none would explore (docs/library.md's). */
const VIOLATING = `name: the seed string while kswapd may evict its second page
machine: { strategy: none }
memory:
  - { start: 0x10000, pages: 2, perm: r, populate: false, present: [0x10000, 0x11000], contents: [{ at: 0x10ffa, str: "hello," }, { at: 0x11000, str: " world\\0" }] }
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: 0x10ffa }
races:
  - { name: evict, do: { evict: { start: 0x11000, pages: 1 } }, by: kswapd }
explore:
  never: [panic]
`;

describe("docs/ci.md's GitHub Actions recipes", () => {
  const workflows = recipes();
  let ci = "";

  beforeAll(() => {
    // A user's repository: axptr-sim as a devDependency with its lockfile, and scenarios with their goldens.
    ci = join(dir, "ci-project");
    mkdirSync(join(ci, "scenarios"), { recursive: true });
    writeFileSync(join(ci, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true, devDependencies: { "axptr-sim": `file:../${TARBALL}` } }, null, 2));
    writeFileSync(join(ci, "package-lock.json"), lockfile(true));
    for (const name of ["01-seed-string-across-lazy-page", "42-races-nested-and-interrupt"])
      for (const ext of [".yaml", ".trace", ".outcomes"]) if (existsSync(join(ROOT, "scenarios", name + ext))) copyFileSync(join(ROOT, "scenarios", name + ext), join(ci, "scenarios", name + ext));
  });

  it("are the two workflows, each parsed by a YAML parser", () => {
    expect([...workflows.keys()]).toEqual(["scenarios.yml", "explore.yml"]);
  });

  it.each([...workflows.entries()])("%s: read-only token, current actions, the current Node LTS (26) with npm's cache, then npm ci", (_, wf) => {
    expect(wf.on).toEqual(["push", "pull_request"]);
    expect(wf.permissions).toEqual({ contents: "read" });
    for (const [name, job] of Object.entries(wf.jobs)) {
      expect(job["runs-on"], name).toBe("ubuntu-latest");
      expect(job.steps.slice(0, 3), name).toEqual([{ uses: "actions/checkout@v7" }, { uses: "actions/setup-node@v7", with: { "node-version": 26, cache: "npm" } }, { run: "npm ci" }]);
      for (const s of job.steps) if (s.uses !== undefined) expect(["actions/checkout@v7", "actions/setup-node@v7", "actions/upload-artifact@v7", "actions/download-artifact@v8"], `${name}: ${s.uses}`).toContain(s.uses);
    }
  });

  it("golden traces: every command passes in the project and writes the JUnit report; a drifted golden fails it, with an annotation", () => {
    const job = workflows.get("scenarios.yml")?.jobs["golden-traces"];
    if (!job) throw new Error("no golden-traces job");
    const [install, check] = runJob(job, {}, ci);
    expect(install?.stderr).not.toMatch(/ERR!/);
    expect(check?.stdout.trim().split("\n").at(-1)).toBe("check: 3 passed, 0 failed, 0 missing, 0 obsolete (CI: goldens are written only with --update)");
    const junit = readFileSync(join(ci, "axptr-sim.junit.xml"), "utf8");
    expect(junit.split("\n")[1]).toBe('<testsuites name="axptr-sim check" tests="3" failures="0">');

    const golden = join(ci, "scenarios/01-seed-string-across-lazy-page.trace");
    const before = readFileSync(golden, "utf8");
    writeFileSync(golden, before.replace("handler: resolved", "handler: unhandled"));
    try {
      const [, failed] = runJob(job, {}, ci, (run) => (run.startsWith("npx axptr-sim check") ? 1 : 0));
      expect(failed?.stdout).toContain("::error file=scenarios/01-seed-string-across-lazy-page.yaml");
      expect(readFileSync(join(ci, "axptr-sim.junit.xml"), "utf8").split("\n")[1]).toBe('<testsuites name="axptr-sim check" tests="3" failures="1">');
    } finally {
      writeFileSync(golden, before);
    }
  }, 120_000);

  it("explore in shards: four shard jobs and the merge give exactly the unsharded exploration of the user's scenario", () => {
    const wf = workflows.get("explore.yml");
    if (!wf?.jobs.shard || !wf.jobs.merge) throw new Error("no shard and merge jobs");
    expect(wf.jobs.merge.needs).toBe("shard");
    copyFileSync(join(ROOT, "scenarios/39-races-seed-munmap-evict.yaml"), join(ci, "scenarios/races.yaml"));
    for (const shard of wf.jobs.shard.strategy?.matrix.shard ?? []) runJob(wf.jobs.shard, { shard }, ci);
    const [, merge] = runJob(wf.jobs.merge, {}, ci);
    expect(merge?.stderr).toBe("");
    const whole = cli(["explore", "scenarios/races.yaml", "--depth", "2", "--format", "json"], { cwd: ci });
    expect(whole.code).toBe(0);
    expect(JSON.parse(readFileSync(join(ci, "explore.json"), "utf8"))).toEqual(JSON.parse(whole.stdout));
  }, 120_000);

  it("explore in shards: a violation lets the shard jobs pass and fails the merge, saying why on standard error", () => {
    const wf = workflows.get("explore.yml");
    if (!wf?.jobs.shard || !wf.jobs.merge) throw new Error("no shard and merge jobs");
    writeFileSync(join(ci, "scenarios/races.yaml"), VIOLATING);
    for (const shard of wf.jobs.shard.strategy?.matrix.shard ?? []) runJob(wf.jobs.shard, { shard }, ci);
    const [, merge] = runJob(wf.jobs.merge, {}, ci, (run) => (run.includes("--merge") ? 1 : 0));
    expect(merge?.stderr).toMatch(/violates never: panic/);
    expect(merge?.stderr).toContain("npx axptr-sim run scenarios/races.yaml");
  }, 120_000);
});

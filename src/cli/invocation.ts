// How the user started the tool, so the commands it suggests (a replay, an
// update, an exploration) run as written from where they stand (issue 21, points 4 and 5).
import { basename, isAbsolute, relative } from "node:path";

/** What the process saw: its script path (argv[1]) and the environment npm sets for what it starts. */
export interface Started {
  script: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * The command words that start this tool again: `axptr-sim` when it was started from
 * a global install on PATH (its script is the link `…/bin/axptr-sim`, outside any
 * node_modules), else `npx axptr-sim`: through npx, an npm script or a devDependency
 * (npm sets npm_command or npm_lifecycle_event, and the script is under node_modules/.bin),
 * or `node bin/axptr-sim.js` in a clone, whose README form is `npx axptr-sim`.
 */
export function invocationOf(s: Started): string {
  const viaNpm = isSet(s.env.npm_command) || isSet(s.env.npm_lifecycle_event) || isSet(s.env.npm_execpath);
  const script = s.script ?? "";
  const underNodeModules = script.split(/[\\/]/).includes("node_modules");
  if (!viaNpm && !underNodeModules && basename(script) === "axptr-sim") return "axptr-sim";
  return "npx axptr-sim";
}

function isSet(v: string | undefined): boolean {
  return v !== undefined && v !== "";
}

let cached: string | undefined;

/** This process's invocation (computed once). */
export function invocation(): string {
  cached ??= invocationOf({ script: process.argv[1], env: process.env });
  return cached;
}

/** A path as a command typed here names it: an absolute path under the current folder becomes relative; others stay as given. */
export function pathFromHere(path: string, cwd = process.cwd()): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

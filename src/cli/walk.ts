// Which files check reads: scenario files named on the command line, or
// found in folders (recursively, in name order), and the goldens beside them.
// Whatever cannot be looked at is a problem of its own (exit 2), never a crash.
import { existsSync, readdirSync, statSync, type Dirent } from "node:fs";
import { basename, dirname, join, normalize } from "node:path";
import type { Problem } from "../scenario/problems.js";
import { UsageError } from "./errors.js";
import { fileProblem, isLink, linkTarget, reasonOf } from "./files.js";

/** Scenario files, found in folders or named: `.yaml` or `.yml`, in any case (`UPPER.YAML`'s golden is `UPPER.trace`). */
export const SCENARIO = /\.ya?ml$/i;

/** Scenario files under the paths (folders recursively, sorted), the .trace files seen in those folders, and what could not be looked at. */
export function collect(paths: readonly string[], same: (path: string) => string, defaultFolder: string): { scenarios: string[]; traces: string[]; problems: Problem[] } {
  const scenarios: string[] = [];
  const traces: string[] = [];
  const problems: Problem[] = [];
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      problems.push(fileProblem(dir, `cannot read this folder: ${reasonOf(e)}`));
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const name = entry.name;
      if (name === "node_modules" || name.startsWith(".")) continue;
      const p = join(dir, name);
      // A link to a folder is not followed (as find does): `ln -s . self` cannot make the walk endless.
      if (entry.isDirectory()) walk(p);
      else if (name.endsWith(".trace") || name.endsWith(".outcomes")) traces.push(p);
      else if (SCENARIO.test(name)) {
        // The folder's listing already says a regular file is one; a link (or a file system that does not say) is looked at.
        const kind = entry.isFile() ? "file" : scenarioKind(p);
        if (kind === "file") scenarios.push(p);
        else problems.push(fileProblem(p, kind));
      }
    }
  };
  for (const p of paths) {
    if (p === "-") throw new UsageError("check reads scenario files and writes goldens beside them: give files or folders, not - (standard input)");
    if (!existsSync(p) && !isLink(p))
      throw new UsageError(`${p}: no such file or folder${p === defaultFolder ? ` (${defaultFolder}/ is where check looks when given no path: name the scenario files or folders to check)` : ""}`);
    if (isFolder(p)) {
      walk(p);
      continue;
    }
    // The golden of NAME.yaml is NAME.trace: a scenario with another name would be its own golden.
    if (!SCENARIO.test(p)) throw new UsageError(`${p}: check takes scenario files named NAME.yaml or NAME.yml (their golden is NAME.trace beside them): rename it, or use run`);
    const kind = scenarioKind(p);
    if (kind === "file") scenarios.push(p);
    else problems.push(fileProblem(p, kind));
  }
  return { scenarios: unique(scenarios, same), traces: unique(traces, same), problems };
}

/** "file" for a regular file (or a link to one: the user put the link there), else why it is no scenario file. */
function scenarioKind(path: string): "file" | string {
  try {
    const st = statSync(path);
    if (st.isFile()) return "file";
    if (st.isDirectory()) return "is a folder, not a scenario file";
    return "is not a regular file (a device, pipe or socket): check reads scenario files only";
  } catch (e) {
    if (isLink(path)) {
      const to = linkTarget(path);
      return (e as NodeJS.ErrnoException).code === "ENOENT" ? `is a symbolic link to ${to}, which does not exist` : `is a symbolic link to ${to}, which cannot be read: ${reasonOf(e)}`;
    }
    return `cannot read it: ${reasonOf(e)}`;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Each file once, however often the paths reach it (`s s`, `s ./s/a.yaml`, a link to s), spelt as first reached. */
function unique(paths: readonly string[], same: (path: string) => string): string[] {
  const seen = new Map<string, string>();
  for (const p of paths) if (!seen.has(same(p))) seen.set(same(p), p);
  return [...seen.values()];
}

/** Identity of a path within one check: its folder's device and inode, and its name (folders looked up once). */
export function identities(): (path: string) => string {
  const folders = new Map<string, string>();
  return (path) => {
    const folder = normalize(dirname(path));
    let id = folders.get(folder);
    if (id === undefined) {
      try {
        const st = statSync(folder);
        id = `${st.dev}:${st.ino}`;
      } catch {
        id = folder;
      }
      folders.set(folder, id);
    }
    return `${id}/${basename(path)}`;
  };
}

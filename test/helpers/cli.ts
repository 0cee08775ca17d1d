// Spawns the built CLI as users run it.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = fileURLToPath(new URL("../../bin/axptr-sim.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A user without root's right to read and write everything (nobody), when the tests run as root; else no change. */
export function unprivileged(): { uid?: number; gid?: number } {
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
}

export function cli(
  args: readonly string[],
  opts: { input?: string; cwd?: string; env?: Record<string, string | undefined>; uid?: number; gid?: number; script?: string } = {},
): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, CI: undefined, GITHUB_ACTIONS: undefined, ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  // `script`: another path to the CLI (a link named as a global install's is), for what depends on how it was started.
  const r = spawnSync(process.execPath, [opts.script ?? BIN, ...args], {
    encoding: "utf8",
    input: opts.input ?? "",
    cwd: opts.cwd ?? ROOT,
    env: env as NodeJS.ProcessEnv,
    timeout: 15_000,
    maxBuffer: 256 * 1024 * 1024,
    ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
    ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

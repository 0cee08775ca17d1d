// Runs the built CLI on a pseudo-terminal (util-linux `script`), as a user at a
// terminal does: standard input, output and error are one terminal. Keys are
// typed one by one, each once the screen shows what it answers.
import { spawn, spawnSync } from "node:child_process";
import { BIN, ROOT } from "./cli.js";

/** Whether util-linux `script` is here to give the CLI a terminal (it is on Linux CI; macOS's `script` takes other options). */
export const HAS_SCRIPT = (() => {
  const r = spawnSync("script", ["--version"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.includes("util-linux");
})();

export interface Key {
  /** Typed once the screen (since the previous key) shows this. */
  after: string;
  send: string;
}

export interface PtyResult {
  code: number | null;
  /** Everything the terminal was sent (standard output and error, and what it echoed), with the terminal's \r\n as \n. */
  screen: string;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function pty(args: readonly string[], opts: { cwd?: string; env?: Record<string, string | undefined>; keys?: readonly Key[]; timeoutMs?: number } = {}): Promise<PtyResult> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, CI: undefined, GITHUB_ACTIONS: undefined, TERM: "xterm", ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: opts.cwd ?? ROOT, env: env as NodeJS.ProcessEnv, stdio: ["pipe", "pipe", "pipe"] });
  const keys = [...(opts.keys ?? [])];
  let raw = "";
  let from = 0;
  const type = () => {
    while (keys.length > 0) {
      const k = keys[0] as Key;
      const at = raw.indexOf(k.after, from);
      if (at < 0) return;
      from = at + k.after.length;
      keys.shift();
      child.stdin.write(k.send);
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no answer on the terminal in time; waiting for ${JSON.stringify(keys[0]?.after)}; the screen:\n${raw}`));
    }, opts.timeoutMs ?? 30_000);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d: string) => {
      raw += d;
      type();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, screen: raw.replace(/\r\n/g, "\n") });
    });
  });
}

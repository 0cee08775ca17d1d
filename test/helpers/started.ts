// How a user may have started the CLI, for what depends on it (the commands it suggests).
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { BIN } from "./cli.js";

/** What a global install puts on PATH: a link named axptr-sim, outside any node_modules (made in `dir`). */
export function globalLink(dir: string): string {
  mkdirSync(join(dir, "bin"), { recursive: true });
  const link = join(dir, "bin", "axptr-sim");
  symlinkSync(BIN, link);
  return link;
}

/** npm's variables unset: not started through npx or an npm script. */
export const NO_NPM = { npm_command: undefined, npm_lifecycle_event: undefined, npm_execpath: undefined };

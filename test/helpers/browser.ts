// Headless Chromium for the browser tests: Debian's `chromium`, driven by puppeteer-core.
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

/** The Chromium to drive: $CHROMIUM_PATH, or `chromium` / `chromium-browser` on the PATH. */
export function findChromium(): string | undefined {
  const given = process.env.CHROMIUM_PATH;
  if (given) return given;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    for (const name of ["chromium", "chromium-browser"]) {
      const p = join(dir, name);
      if (dir && existsSync(p)) return p;
    }
  }
  return undefined;
}

/** Whether CI is set, as `check` reads it: then a missing browser fails the suite instead of skipping it. */
export function inCI(): boolean {
  const v = process.env.CI;
  return v !== undefined && v !== "" && v !== "0" && v !== "false";
}

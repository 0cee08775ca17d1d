// Builds dist/ once before the tests, so CLI tests run what users run even when vitest is started directly.
import { execFileSync } from "node:child_process";

export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
}

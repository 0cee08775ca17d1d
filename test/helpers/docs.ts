// The README and the documentation under docs/, as the tests that check them against real output read them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./cli.js";

/** A file of the documentation, by its path from the repository root (`README.md`, `docs/format.md`). */
export function readDoc(path: string): string {
  return readFileSync(join(ROOT, path), "utf8");
}

/** The section under `heading` (a whole line such as `## JSON event kinds`), up to the next heading of its level or higher (outside code blocks), or the end. */
export function section(text: string, heading: string): string {
  const lines = text.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const level = /^#+/.exec(heading)?.[0].length ?? 1;
  let fenced = false;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.startsWith("```")) fenced = !fenced;
    const hashes = /^(#+) /.exec(line)?.[1]?.length;
    if (!fenced && hashes !== undefined && hashes <= level) {
      end = i;
      break;
    }
  }
  return lines.slice(start + 1, end).join("\n");
}

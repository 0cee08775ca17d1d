// A unified diff (src/check/diff.ts) as check prints it: indented, each line
// made printable (a golden is the user's file and may hold anything), added
// lines green and removed ones red when colour is on.
import { printable as p } from "../scenario/printable.js";
import { palette } from "./colors.js";

export function diffRows(diff: string, color: boolean, indent = "  "): string[] {
  const c = palette(color);
  return diff
    .trimEnd()
    .split("\n")
    .map((l) => indent + (l.startsWith("+") ? c.ok(p(l)) : l.startsWith("-") ? c.bad(p(l)) : p(l)));
}

// Names from a scenario (scenario, thread, area, race, `by`) and file names,
// as printed to a terminal or a log. A name may hold anything YAML can write:
// an escape sequence that clears the screen or hides words, a bidi override
// that reverses the line, a newline followed by a GitHub Actions workflow
// command (`::error …::`), which the runner reads at the start of any line.
// Those characters are written as escapes; every other character, non-ASCII
// letters included, prints as it is, so ordinary names are unchanged.

/**
 * C0 controls, DEL, C1 controls (U+009B is a CSI on its own), the bidi
 * marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F,
 * U+202A-U+202E, U+2066-U+2069), and the line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const NEEDS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|^\s*::|##\[/;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Text safe on one line of a terminal or a CI log: the characters above as
 * `\n`, `\r`, `\t` or `\uXXXX` (as JSON writes them); a leading `::` (after
 * blanks) as `\u003a:`, and `##[` as `##\u005b`, so the text can never begin
 * a workflow command. Anything else is left as it is.
 */
export function printable(s: string): string {
  if (!NEEDS.test(s)) return s;
  return s
    .replace(UNSAFE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/^(\s*):(?=:)/, "$1\\u003a")
    .replaceAll("##[", "##\\u005b");
}

// Text that Mermaid never misreads: its separators and markup become entity
// codes (`#59;` for `;`), control characters, newlines and bidi controls become spaces, and
// long names are cut (a diagram is for looking at; the text trace has it all).
// Sentences (a hazard's, a handler's reason, a result) are never cut: they
// are wrapped between words onto lines of their own.

/** Characters Mermaid (or the Markdown fence around it) would take for syntax, as Mermaid entity codes. */
const ENTITY: Record<string, string> = {
  "#": "#35;",
  ";": "#59;",
  '"': "#quot;",
  "<": "#lt;",
  ">": "#gt;",
  "`": "#96;",
  "%": "#37;",
  "{": "#123;",
  "}": "#125;",
  "&": "#amp;",
};

export const MAX_TEXT = 96;

/** Cuts `s` to `max` code points with an ellipsis (never splitting a surrogate pair; never walking a huge string whole). */
export function cut(s: string, max = MAX_TEXT): string {
  let keep = 0;
  let i = 0;
  for (let n = 0; i < s.length && n < max; n++) {
    if (n === max - 1) keep = i;
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
  }
  return i >= s.length ? s : s.slice(0, keep) + "…";
}

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

const escaped = (s: string) => s.replace(/[#;"<>`%{}&]/g, (c) => ENTITY[c] ?? c);

/** Text for a message, note, block label, participant alias or the file comment: one line, cut, escaped. */
export function esc(s: string, max = MAX_TEXT): string {
  return escaped(cut(s.replace(UNPRINTABLE, " "), max));
}

/** The longest line `wrap` makes, in code points, unless one word is longer. */
export const WRAP = 80;

/**
 * A sentence for a message or note, whole: escaped as `esc` does, and broken
 * between words into lines of at most `width` code points, joined by Mermaid's
 * `<br>` (the one markup it reads in a label; every `<` of the text itself is
 * escaped). A word longer than a line is kept whole on a line of its own:
 * nothing is cut, and no word is split.
 */
export function wrap(s: string, width = WRAP): string {
  // Split at single spaces and joined again with them: a run of spaces (in a string a step returned) stays as it was.
  const lines: string[] = [];
  let line: string | undefined;
  let used = 0;
  for (const w of s.replace(UNPRINTABLE, " ").split(" ")) {
    const n = [...w].length;
    if (line === undefined) {
      line = w;
      used = n;
    } else if (n > 0 && used > 0 && used + 1 + n > width) {
      lines.push(line);
      line = w;
      used = n;
    } else {
      line += ` ${w}`;
      used += 1 + n;
    }
  }
  if (line !== undefined) lines.push(line);
  return lines.map(escaped).join("<br>");
}

/** A participant id: letters, digits and `_` only, unique per name (the label carries the real name). */
export function idOf(prefix: string, name: string, taken: Map<string, string>): string {
  const key = `${prefix}\u0000${name}`;
  const known = taken.get(key);
  if (known !== undefined) return known;
  const base = `${prefix}_${name.replace(/[^A-Za-z0-9]/g, "_").slice(0, 24)}`;
  const used = new Set(taken.values());
  let id = base;
  for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
  taken.set(key, id);
  return id;
}

// The pictures' type sizes, in SVG units at the picture's natural size, and
// a width estimate that lays labels out and cuts them to fit. The pictures
// have a viewBox and no fixed size: a page, a browser window or a slide
// scales them, so these sizes are relative. They are chosen for a projector:
// a picture is 700 to 1,400 units wide, and on a 1280-pixel-wide slide it is
// drawn at 0.9x to 1.8x, so the smallest text (12) stays at 11 to 22 pixels,
// where the earlier 9.5-unit labels fell under 9. The stylesheets
// (style.ts) take the same numbers, so a label is never wider than the room
// the layout gave it.

/** Font sizes by the class of the text. */
export const FONT = {
  /** Lane, row and area names: what a reader looks for first. */
  heading: 14,
  /** Step and band labels, legend entries, text without a class. */
  body: 13,
  /** Addresses, event numbers, decisions, thread names under a lane, race names, notes: the smallest. */
  small: 12,
} as const;

/**
 * The width of `s` in `size`-unit text, as a slight overestimate: 0.62 em a
 * character (system sans-serif averages about 0.55, monospace 0.6), 0.7 em
 * for capitals and wide signs. A label cut to this width fits in any of the
 * fonts the stylesheets name.
 */
export function textWidth(s: string, size: number): number {
  let em = 0;
  for (const c of s) em += /[A-Z_mwMW@%#]/.test(c) ? 0.72 : /[iljtf.,:;'!| ]/.test(c) ? 0.4 : 0.62;
  return em * size;
}

/** `s`, or as much of it as fits in `width` followed by "…" ("" when not even one character fits). */
export function fitText(s: string, width: number, size: number): string {
  if (textWidth(s, size) <= width) return s;
  // One pass, character by character: a name may be long.
  const room = width - textWidth("…", size);
  let used = 0;
  let end = 0;
  for (const c of s) {
    used += textWidth(c, size);
    if (used > room) break;
    end += c.length;
  }
  return end === 0 ? "" : s.slice(0, end) + "…";
}

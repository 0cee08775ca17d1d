// One picture alone, as an .svg file for a slide or a browser: the XML
// prolog, its own stylesheet (colours written out) and a white sheet under
// it, so it reads the same on a dark slide as in the report.
import { PLAIN_COLOURS, svgStyle } from "./style.js";
import { xml } from "./xml.js";

/** The comment that marks a file as one of these pictures (`report --svg` may then replace it). */
// Not "--svg": a comment may not hold two hyphens in a row (XML 1.0, section 2.5).
export const SVG_GENERATOR = "<!-- generator: axptr-sim report, a picture alone -->";

/**
 * `svg` (an `<svg …>` element made by renderTimeline or renderMemoryMap) as a
 * document of its own. `name` is its `<title>`, the name a slide tool or a
 * screen reader gives it.
 */
export function standaloneSvg(svg: string, name: string): string {
  // The opening tag ends at its first ">": attribute values are escaped (xml.ts), so none holds one.
  const open = svg.indexOf(">") + 1;
  const head = `<title>${xml(name)}</title><style>${svgStyle(PLAIN_COLOURS)}</style><rect class="sheet" width="100%" height="100%" fill="${PLAIN_COLOURS.paper}"/>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${SVG_GENERATOR}\n${svg.slice(0, open)}${head}${svg.slice(open)}\n`;
}

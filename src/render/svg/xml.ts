// Building SVG and HTML as text: escaping and small element helpers.

/** Text or an attribute value, safe inside XML/HTML; control characters (never valid in XML) become U+FFFD. */
export function xml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "\ufffd");
}

export type Attrs = Record<string, string | number | undefined>;

/** Attributes in the order given, numbers rounded to 0.1 (byte-identical output everywhere). */
export function attrs(a: Attrs): string {
  return Object.entries(a)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === "number" ? fmt(v) : xml(v)}"`)
    .join("");
}

export function fmt(n: number): string {
  const r = Math.round(n * 10) / 10;
  return Object.is(r, -0) ? "0" : String(r);
}

export function el(tag: string, a: Attrs, ...children: string[]): string {
  return children.length === 0 ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${children.join("")}</${tag}>`;
}

/** An SVG `<title>`: the tooltip of a mark, read by screen readers too. */
export function title(text: string): string {
  return `<title>${xml(text)}</title>`;
}

export function text(a: Attrs, s: string): string {
  return `<text${attrs(a)}>${xml(s)}</text>`;
}

// Exact 64-bit numbers: YAML integers arrive as bigint (the loader asks for
// them), strings may be decimal or 0x hex with `_` separators. Nothing here
// passes through a float, so values above 2^53 stay exact.

export const U64_MAX = (1n << 64n) - 1n;
export const I64_MIN = -(1n << 63n);

// `_+` (not `_*`): with digits on both sides of an optional separator the regex would backtrack exponentially on "999…9x".
const NUMBER_TEXT = /^(-?)(0x[0-9a-f]+(?:_+[0-9a-f]+)*|[0-9]+(?:_+[0-9]+)*)$/i;

/** Parses the text notations of format section 1; undefined when the text is not one. */
export function parseNumberText(text: string): bigint | undefined {
  const m = NUMBER_TEXT.exec(text.trim());
  if (!m) return undefined;
  const digits = (m[2] ?? "").replace(/_/g, "");
  const magnitude = BigInt(digits.toLowerCase().startsWith("0x") ? "0x" + digits.slice(2) : digits);
  return m[1] === "-" ? -magnitude : magnitude;
}

export type NumberResult = { ok: true; value: bigint } | { ok: false; message: string };

/** Turns any YAML scalar into an exact integer within [min, max], or says why not. */
export function toInteger(input: unknown, min: bigint, max: bigint, what: string): NumberResult {
  let value: bigint | undefined;
  let shown: string;
  if (typeof input === "bigint") {
    value = input;
    shown = shownNumber(input);
  } else if (typeof input === "number") {
    // YAML integers arrive as bigint, so a number is a YAML float (1.5, 1e3, .nan, .inf):
    // never an integer of the format, and never exact beyond 2^53.
    shown = shownNumber(input);
    return { ok: false, message: `${shown} is not an integer (expected ${what}: decimal or 0x hex)` };
  } else if (typeof input === "string") {
    shown = quoteString(input);
    value = parseNumberText(input);
    if (value === undefined) return { ok: false, message: `${shown} is not a number (expected ${what}: decimal or 0x hex)` };
  } else {
    return { ok: false, message: `expected ${what}, got ${describe(input)}` };
  }
  if (value < min || value > max) return { ok: false, message: `${shown} is out of range (expected ${what}, ${rangeText(min, max)})` };
  return { ok: true, value };
}

/**
 * How a parsed YAML number starts its message (the loader then puts the text
 * as written in its place). Decimal digits of a huge bigint cost quadratic
 * time to make, so beyond 2^256 it is shown in hex.
 */
export function shownNumber(input: bigint | number): string {
  if (typeof input === "number") return quoteText(String(input));
  const huge = input >= 1n << 256n || input <= -(1n << 256n);
  return quoteText(huge ? (input < 0n ? "-0x" : "0x") + (input < 0n ? -input : input).toString(16) : input.toString());
}

/** The text as written, shortened in the middle when it is too long to read in one line. */
export function quoteText(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 20)}…${text.slice(-8)} (${text.length} characters)`;
}

/** A string in double quotes, shortened as quoteText() does (the count outside the quotes). */
export function quoteString(text: string): string {
  return text.length <= 40 ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, 20) + "…" + text.slice(-8))} (${text.length} characters)`;
}

function rangeText(min: bigint, max: bigint): string {
  const show = (v: bigint) => (v === U64_MAX ? "2^64-1" : v === I64_MIN ? "-2^63" : v.toString());
  return `${show(min)}..${show(max)}`;
}

/** What a YAML value is, for "got …" in a message. */
export function describe(input: unknown): string {
  if (input === null || input === undefined) return "null";
  if (Array.isArray(input)) return "a list";
  if (input instanceof Uint8Array) return "binary data";
  if (typeof input === "object") return "a mapping";
  if (typeof input === "string") return `the string ${quoteString(input)}`;
  if (typeof input === "bigint" || typeof input === "number") return `the number ${quoteText(String(input))}`;
  if (typeof input === "boolean") return String(input);
  return `${typeof input} ${String(input)}`;
}

/** Lower-case hex without leading zeros, as the trace format wants addresses. */
export function hex(v: bigint): string {
  return (v < 0n ? "-0x" + (-v).toString(16) : "0x" + v.toString(16));
}

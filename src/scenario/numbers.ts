// Exact 64-bit numbers: YAML integers arrive as bigint (the loader asks for
// them), strings may be decimal or 0x hex with `_` separators. Nothing here
// passes through a float, so values above 2^53 stay exact.

export const U64_MAX = (1n << 64n) - 1n;
export const I64_MIN = -(1n << 63n);

const NUMBER_TEXT = /^(-?)(0x[0-9a-f]+(?:_*[0-9a-f]+)*|[0-9]+(?:_*[0-9]+)*)$/i;

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
    shown = input.toString();
  } else if (typeof input === "number") {
    shown = String(input);
    if (Number.isSafeInteger(input)) value = BigInt(input);
    else return { ok: false, message: `${shown} is not an exact integer (expected ${what})` };
  } else if (typeof input === "string") {
    shown = JSON.stringify(input);
    value = parseNumberText(input);
    if (value === undefined) return { ok: false, message: `${shown} is not a number (expected ${what}: decimal or 0x hex)` };
  } else {
    return { ok: false, message: `expected ${what}, got ${describe(input)}` };
  }
  if (value < min || value > max) return { ok: false, message: `${shown} is out of range (expected ${what}, ${rangeText(min, max)})` };
  return { ok: true, value };
}

function rangeText(min: bigint, max: bigint): string {
  const show = (v: bigint) => (v === U64_MAX ? "2^64-1" : v === I64_MIN ? "-2^63" : v.toString());
  return `${show(min)}..${show(max)}`;
}

export function describe(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "a list";
  if (typeof input === "object") return "a mapping";
  if (typeof input === "string") return `the string ${JSON.stringify(input)}`;
  return `${typeof input} ${String(input)}`;
}

/** Lower-case hex without leading zeros, as the trace format wants addresses. */
export function hex(v: bigint): string {
  return (v < 0n ? "-0x" + (-v).toString(16) : "0x" + v.toString(16));
}

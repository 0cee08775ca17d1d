import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compactChunks, type Json } from "../../src/render/json.js";

const join = (v: Json) => [...compactChunks(v)].join("");

describe("compactChunks", () => {
  it("is JSON.stringify byte for byte on any JSON value", () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => join(v as Json) === JSON.stringify(v)), { numRuns: 300 });
  });

  it("escapes lone surrogates and control characters in a slice of a long string whose other slices need nothing", () => {
    const s = "x".repeat(1 << 20) + "\ud800" + "y".repeat(1 << 20) + "\udc00z\u001f" + "w".repeat(1 << 20);
    expect(join(s)).toBe(JSON.stringify(s));
  });

  it("writes a string of several MiB in slices, never cutting a surrogate pair, and equals JSON.stringify", () => {
    // The emoji straddles the 1 MiB slice boundary; quotes and control characters need escaping.
    const s = "a".repeat((1 << 20) - 1) + "😀" + 'q"\n\u0001'.repeat(300_000);
    const pieces = [...compactChunks({ value: s, list: [s, 1, null] })];
    expect(pieces.length).toBeGreaterThan(6);
    // Each piece escapes at most 1 MiB of the source; escaping grows a character to at most 6 (\u0001).
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(6 * (1 << 20));
    expect(pieces.join("")).toBe(JSON.stringify({ value: s, list: [s, 1, null] }));
  });

  it("writes a long list element by element", () => {
    const list = Array.from({ length: 5000 }, (_, i) => i);
    const pieces = [...compactChunks(list)];
    expect(pieces.length).toBe(2 + 5000 + 4999);
    expect(pieces.join("")).toBe(JSON.stringify(list));
  });
});

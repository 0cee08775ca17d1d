// Hasher.big: numbers of any size into a fingerprint, each value its own.
import { describe, expect, it } from "vitest";
import { Hasher } from "../../src/sim/fingerprint.js";

function big(...xs: bigint[]): string {
  const h = new Hasher();
  for (const x of xs) h.big(x);
  return h.text();
}

describe("Hasher.big", () => {
  it("gives equal numbers equal prints and different ones different prints, across 2^53 and 2^64", () => {
    const xs = [0n, 1n, 0xffff_ffffn, 0x1_0000_0000n, (1n << 53n) - 1n, 1n << 53n, (1n << 64n) - 1n, 1n << 64n, -1n];
    const prints = xs.map((x) => big(x));
    expect(new Set(prints).size).toBe(xs.length);
    expect(xs.map((x) => big(x))).toEqual(prints);
  });

  it("marks each number, so a sequence cannot be read as another", () => {
    expect(big(1n, 0n)).not.toBe(big(0n, 1n));
    expect(big(1n << 53n)).not.toBe(big(0n, 1n << 21n));
  });
});

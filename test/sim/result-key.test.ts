import { describe, expect, it } from "vitest";
import type { StepResult, Value } from "../../src/sim/events.js";
import { stringPrint } from "../../src/sim/fingerprint.js";
import { resultKey } from "../../src/sim/result-key.js";

/** The key as it was made before keys were hashed as they are written: the whole text, then stringPrint. */
function textOf(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string") return JSON.stringify(v);
  return `[${v.map(textOf).join(",")}]`;
}
const ok = (value: Value): StepResult => ({ status: "ok", value });
const wholeText = (value: Value): string => stringPrint(`ok=${textOf(value)}`);

describe("resultKey", () => {
  it("keeps a short result as its text", () => {
    expect(resultKey(ok([1n, -2n, 300n]))).toBe("ok=[1,-2,300]");
    expect(resultKey(ok("hello"))).toBe('ok="hello"');
    expect(resultKey({ status: "ok" })).toBe("ok");
    expect(resultKey({ status: "err", errno: "EFAULT" })).toBe("err=EFAULT");
    expect(resultKey({ status: "not-run" })).toBe("not-run");
    // 48 characters is still text; 49 is a fingerprint.
    const at48 = ok("a".repeat(43));
    expect(resultKey(at48)).toBe(`ok="${"a".repeat(43)}"`);
    expect(resultKey(ok("a".repeat(44)))).toMatch(/^#[0-9a-f]{16}$/);
  });

  it("gives a long value the fingerprint of its whole text, without making the text", () => {
    const edges = [0n, 7n, -1n, 10n, -10n, 99n, 100n, 2n ** 31n, -(2n ** 31n), 2n ** 53n - 1n, -(2n ** 53n) + 1n, 2n ** 53n, -(2n ** 53n), 2n ** 64n + 5n];
    const values: Value[] = [
      Array.from({ length: 1000 }, (_, i) => BigInt(i % 256)),
      [...edges, ...edges],
      [[1n, 2n, 3n], null, "a string, \"quoted\"", [[], [-5n]], ...edges],
      "x".repeat(5000),
    ];
    for (const v of values) expect(resultKey(ok(v))).toBe(wholeText(v));
  });

  it("tells long values apart by any one element", () => {
    const a = Array.from({ length: 1 << 20 }, () => 65n);
    const b = [...a];
    b[700_000] = 66n;
    expect(resultKey(ok(a))).not.toBe(resultKey(ok(b)));
    expect(resultKey(ok(a))).toBe(resultKey(ok([...a])));
  });
});

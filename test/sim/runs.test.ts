// The sparse structures of the address space against the plainest model
// (a set of pages, an array of bytes), on random sequences of operations.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FillRuns, PageRuns, SortedKeys } from "../../src/sim/runs.js";

const N = 64;
const range = fc.tuple(fc.integer({ min: 0, max: N }), fc.integer({ min: 0, max: N })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

describe("PageRuns", () => {
  it("agrees with a plain set on add, remove, has, count, nextAbsent and nextPresent", () => {
    const op = fc.tuple(fc.constantFrom("add", "remove"), range);
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const runs = new PageRuns();
        const model = new Set<number>();
        for (const [kind, [lo, hi]] of ops) {
          let changed = 0;
          for (let p = lo; p < hi; p++) {
            if (kind === "add" && !model.has(p)) (model.add(p), changed++);
            if (kind === "remove" && model.has(p)) (model.delete(p), changed++);
          }
          expect(kind === "add" ? runs.add(lo, hi) : runs.remove(lo, hi)).toBe(changed);
          // Runs are sorted, disjoint and never adjacent.
          const rs = [...runs.runs()];
          const wellFormed = rs.every(([s, e], i) => s < e && (i === 0 || s > (rs[i - 1] as [number, number])[1]));
          if (!wellFormed) expect(rs).toBe("sorted, disjoint, never adjacent runs");
          const seen: [boolean, number, number][] = [];
          const want: [boolean, number, number][] = [];
          for (let p = 0; p <= N; p++) {
            let absent = p;
            while (model.has(absent)) absent++;
            let present = p;
            while (present < N && !model.has(present)) present++;
            seen.push([runs.has(p), runs.nextAbsent(p), runs.nextPresent(p, N)]);
            want.push([model.has(p), absent, present]);
          }
          if (JSON.stringify(seen) !== JSON.stringify(want)) expect(seen).toEqual(want);
          const [a, b] = [lo, hi];
          expect(runs.count(a, b)).toBe([...model].filter((p) => p >= a && p < b).length);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("FillRuns", () => {
  it("agrees with an array of bytes on set, within and uniform", () => {
    const op = fc.tuple(range, fc.constantFrom(0, 1, 2, 0x41));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 20 }), range, (ops, [qlo, qhi]) => {
        const runs = new FillRuns();
        const model = new Array<number>(N).fill(0);
        for (const [[lo, hi], v] of ops) {
          runs.set(BigInt(lo), BigInt(hi), v);
          for (let i = lo; i < hi; i++) model[i] = v;
        }
        const bytes = new Array<number>(N).fill(0);
        for (const f of runs.within(0n, BigInt(N))) for (let i = Number(f.start); i < Number(f.end); i++) bytes[i] = f.value;
        expect(bytes).toEqual(model);
        if (qlo < qhi) {
          const values = new Set(model.slice(qlo, qhi));
          const u = runs.uniform(BigInt(qlo), BigInt(qhi));
          // uniform is exact when it answers; it may decline (two runs of one value side by side).
          if (u !== undefined) expect([...values]).toEqual([u]);
          if (values.size > 1) expect(u).toBeUndefined();
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("SortedKeys", () => {
  it("keeps its keys sorted and unique, and removes a range exactly", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: N }), { maxLength: 40 }), range, (keys, [lo, hi]) => {
        const s = new SortedKeys();
        for (const k of keys) s.insert(k);
        const model = [...new Set(keys)].sort((a, b) => a - b);
        expect(s.keys).toEqual(model);
        expect(s.between(lo, hi)).toEqual(model.filter((k) => k >= lo && k < hi));
        expect(s.removeBetween(lo, hi)).toEqual(model.filter((k) => k >= lo && k < hi));
        expect(s.keys).toEqual(model.filter((k) => k < lo || k >= hi));
      }),
      { numRuns: 300 },
    );
  });
});

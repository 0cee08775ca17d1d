// The line diff behind `check`'s failure output: exact hunks, and Myers' edit script checked against LCS.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffLines, firstDifference, splitLines, unifiedDiff, type Edit } from "../../src/check/diff.js";

const lines = (n: number, prefix = "line ") => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
const text = (ls: readonly string[]) => ls.map((l) => l + "\n").join("");

/** Replays an edit script on `a`, checking its kept/removed lines really are `a`'s, in order. */
function apply(a: readonly string[], edits: readonly Edit[]): string[] {
  const out: string[] = [];
  let i = 0;
  for (const e of edits) {
    if (e.op === "+") {
      out.push(e.line);
      continue;
    }
    expect(e.a).toBe(i);
    expect(e.line).toBe(a[i]);
    if (e.op === " ") out.push(e.line);
    i++;
  }
  expect(i).toBe(a.length);
  return out;
}

function lcsLength(a: readonly string[], b: readonly string[]): number {
  const dp: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      (dp[i] as number[])[j] = a[i] === b[j] ? (dp[i + 1] as number[])[j + 1]! + 1 : Math.max((dp[i + 1] as number[])[j]!, (dp[i] as number[])[j + 1]!);
  return dp[0]![0]!;
}

describe("unifiedDiff", () => {
  it("is empty for equal texts", () => {
    expect(unifiedDiff("a\nb\n", "a\nb\n", "old", "new")).toBe("");
    expect(unifiedDiff("", "", "old", "new")).toBe("");
  });

  it("shows a one-line change with three lines of context either side", () => {
    const a = lines(10);
    const b = [...a];
    b[4] = "line five";
    expect(unifiedDiff(text(a), text(b), "t (golden)", "t (now)")).toBe(
      [
        "--- t (golden)",
        "+++ t (now)",
        "@@ -2,7 +2,7 @@",
        " line 2",
        " line 3",
        " line 4",
        "-line 5",
        "+line five",
        " line 6",
        " line 7",
        " line 8",
        "",
      ].join("\n"),
    );
  });

  it("clips the context at the start of the file", () => {
    const a = lines(5);
    const b = ["first", ...a.slice(1)];
    expect(unifiedDiff(text(a), text(b), "o", "n")).toBe(["--- o", "+++ n", "@@ -1,4 +1,4 @@", "-line 1", "+first", " line 2", " line 3", " line 4", ""].join("\n"));
  });

  it("shows lines added at the end", () => {
    const a = lines(5);
    const b = [...a, "extra 1", "extra 2"];
    expect(unifiedDiff(text(a), text(b), "o", "n")).toBe(
      ["--- o", "+++ n", "@@ -3,3 +3,5 @@", " line 3", " line 4", " line 5", "+extra 1", "+extra 2", ""].join("\n"),
    );
  });

  it("counts an added file from line 0 of the empty old one", () => {
    expect(unifiedDiff("", "x\ny\n", "o", "n")).toBe(["--- o", "+++ n", "@@ -0,0 +1,2 @@", "+x", "+y", ""].join("\n"));
    expect(unifiedDiff("x\ny\n", "", "o", "n")).toBe(["--- o", "+++ n", "@@ -1,2 +0,0 @@", "-x", "-y", ""].join("\n"));
  });

  it("makes two hunks of two distant changes", () => {
    const a = lines(30);
    const b = [...a];
    b[2] = "changed 3";
    b[25] = "changed 26";
    expect(unifiedDiff(text(a), text(b), "o", "n")).toBe(
      [
        "--- o",
        "+++ n",
        "@@ -1,6 +1,6 @@",
        " line 1",
        " line 2",
        "-line 3",
        "+changed 3",
        " line 4",
        " line 5",
        " line 6",
        "@@ -23,7 +23,7 @@",
        " line 23",
        " line 24",
        " line 25",
        "-line 26",
        "+changed 26",
        " line 27",
        " line 28",
        " line 29",
        "",
      ].join("\n"),
    );
  });

  it("merges two changes whose contexts touch (six lines apart) and splits them at seven", () => {
    const a = lines(20);
    const touching = [...a];
    touching[3] = "x"; // line 4
    touching[10] = "y"; // line 11: lines 5..10 (six) between
    const d1 = unifiedDiff(text(a), text(touching), "o", "n");
    expect(d1.split("\n").filter((l) => l.startsWith("@@"))).toEqual(["@@ -1,14 +1,14 @@"]);
    const apart = [...a];
    apart[3] = "x"; // line 4
    apart[11] = "y"; // line 12: lines 5..11 (seven) between
    const d2 = unifiedDiff(text(a), text(apart), "o", "n");
    expect(d2.split("\n").filter((l) => l.startsWith("@@"))).toEqual(["@@ -1,7 +1,7 @@", "@@ -9,7 +9,7 @@"]);
  });

  it("honours another context size", () => {
    const a = lines(9);
    const b = [...a];
    b[4] = "mid";
    expect(unifiedDiff(text(a), text(b), "o", "n", 1)).toBe(["--- o", "+++ n", "@@ -4,3 +4,3 @@", " line 4", "-line 5", "+mid", " line 6", ""].join("\n"));
    expect(unifiedDiff(text(a), text(b), "o", "n", 0)).toBe(["--- o", "+++ n", "@@ -5,1 +5,1 @@", "-line 5", "+mid", ""].join("\n"));
  });
});

describe("splitLines and firstDifference", () => {
  it("does not make an empty last line of a final newline", () => {
    expect(splitLines("a\nb\n")).toEqual(["a", "b"]);
    expect(splitLines("a\nb")).toEqual(["a", "b"]);
    expect(splitLines("a\n\n")).toEqual(["a", ""]);
    expect(splitLines("")).toEqual([]);
  });

  it("finds the first differing line", () => {
    expect(firstDifference(["a", "b"], ["a", "b"])).toBe(-1);
    expect(firstDifference(["a", "b"], ["a", "c"])).toBe(1);
    expect(firstDifference(["a"], ["a", "b"])).toBe(1);
    expect(firstDifference([], ["a"])).toBe(0);
  });
});

describe("diffLines", () => {
  it("keeps everything of equal inputs", () => {
    expect(diffLines(["a", "b"], ["a", "b"]).map((e) => e.op)).toEqual([" ", " "]);
    expect(diffLines([], [])).toEqual([]);
  });

  it("turns a into b with a shortest edit script, for random line arrays", () => {
    // Few distinct lines, so that arrays share lines in interesting ways.
    const arr = fc.array(fc.constantFrom("a", "b", "c", "d", ""), { maxLength: 30 });
    fc.assert(
      fc.property(arr, arr, (a, b) => {
        const edits = diffLines(a, b);
        expect(apply(a, edits)).toEqual(b);
        // Added lines say where they go in b.
        const bIndexes = edits.filter((e) => e.op !== "-").map((e) => e.b);
        expect(bIndexes).toEqual(b.map((_, j) => j));
        // Shortest: every line of a longest common subsequence is kept.
        expect(edits.filter((e) => e.op === " ").length).toBe(lcsLength(a, b));
      }),
      { numRuns: 400, seed: 20240611 },
    );
  });

  it("never reports a difference between a text and itself, and unifiedDiff's hunks replay to the new text", () => {
    const arr = fc.array(fc.constantFrom("x", "y", "z"), { maxLength: 25 });
    fc.assert(
      fc.property(arr, arr, (a, b) => {
        expect(unifiedDiff(text(a), text(a), "o", "n")).toBe("");
        const d = unifiedDiff(text(a), text(b), "o", "n");
        expect(d === "").toBe(a.join("\n") === b.join("\n"));
        if (d === "") return;
        // Replay the hunks: the lines between hunks are a's, copied unchanged.
        const out: string[] = [];
        let ai = 0;
        for (const l of d.split("\n").slice(2, -1)) {
          const h = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(l);
          if (h) {
            const start = Number(h[2]) === 0 ? Number(h[1]) : Number(h[1]) - 1;
            while (ai < start) out.push(a[ai++] as string);
            expect(out.length).toBe(Number(h[4]) === 0 ? Number(h[3]) : Number(h[3]) - 1);
            continue;
          }
          if (l.startsWith("+")) out.push(l.slice(1));
          else {
            expect(l.slice(1)).toBe(a[ai]);
            if (l.startsWith(" ")) out.push(l.slice(1));
            ai++;
          }
        }
        while (ai < a.length) out.push(a[ai++] as string);
        expect(out).toEqual(b);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

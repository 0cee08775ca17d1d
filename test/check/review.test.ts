// The pure part of check --review: which goldens it asks about, and what each key does.
import { describe, expect, it } from "vitest";
import { judge } from "../../src/check/golden.js";
import { changeOf, PROMPT, Review, reviewable, type Change } from "../../src/check/review.js";

const changed = (name: string, readOnly?: number): Change => changeOf(judge(`${name}.yaml`, `${name}.trace`, "new\n", "old\n", []), "new\n", readOnly);
const fresh = (name: string): Change => changeOf(judge(`${name}.yaml`, `${name}.trace`, "one\ntwo\n", undefined, []), "one\ntwo\n");

describe("reviewable", () => {
  it("is what --update would write: a golden that differs or is missing, of a scenario whose expectations are met", () => {
    expect(reviewable(judge("a.yaml", "a.trace", "x\n", "y\n", []))).toBe(true);
    expect(reviewable(judge("a.yaml", "a.trace", "x\n", undefined, []))).toBe(true);
    expect(reviewable(judge("a.yaml", "a.trace", "x\n", "x\n", []))).toBe(false);
    expect(reviewable(judge("a.yaml", "a.trace", "x\n", "y\n", ["main#1 get: expected ok 1, got ok 2"]))).toBe(false);
    expect(reviewable(judge("a.yaml", "a.trace", "x\n", undefined, ["run: outcome completed, got outcome panic"]))).toBe(false);
  });

  it("a new golden's diff adds every line", () => {
    expect(fresh("n")).toEqual({
      scenario: "n.yaml",
      golden: "n.trace",
      now: "one\ntwo\n",
      diff: "--- n.trace (none yet)\n+++ n.trace (now)\n@@ -0,0 +1,2 @@\n+one\n+two\n",
      message: "no golden trace n.trace yet",
      isNew: true,
    });
  });
});

describe("Review", () => {
  const screen = (i: number, n: number, name: string) =>
    `\n[${i}/${n}] ${name}.yaml: trace differs from ${name}.trace at line 1\n  --- ${name}.trace (golden)\n  +++ ${name}.trace (now)\n  @@ -1,1 +1,1 @@\n  -old\n  +new\n${PROMPT}`;

  it("a, r, s decide one each and show the next; the summary counts them", () => {
    const r = new Review([changed("a"), changed("b"), fresh("c")], false);
    expect(r.start()).toBe(`check --review: 3 goldens to review (2 changed, 1 new)\n${screen(1, 3, "a")}`);
    expect(r.press("a")).toBe(`a\n${screen(2, 3, "b")}`);
    expect(r.press("\r")).toBe("");
    expect(r.press("r")).toBe(`r\n\n[3/3] c.yaml: no golden trace c.trace yet\n  --- c.trace (none yet)\n  +++ c.trace (now)\n  @@ -0,0 +1,2 @@\n  +one\n  +two\n${PROMPT}`);
    expect(r.done).toBe(false);
    expect(r.press("s")).toBe("s\n");
    expect(r.done).toBe(true);
    expect(r.decisions()).toEqual(["accepted", "rejected", "skipped"]);
    expect(r.accepted().map((c) => c.golden)).toEqual(["a.trace"]);
    expect(r.summary()).toBe("review: 1 accepted, 1 rejected, 1 skipped");
  });

  it("A accepts this one and the rest, but a read-only golden, which it skips and names", () => {
    const r = new Review([changed("a"), changed("b", 0o444), changed("c")], false);
    r.start();
    expect(r.press("A")).toBe("A\n  skipped b.trace: it is read-only (mode 0444): check does not replace it (make it writable, chmod u+w, if it should change)\n");
    expect(r.decisions()).toEqual(["accepted", "skipped", "accepted"]);
  });

  it("q, and the terminal's end of input or interrupt, skip the rest", () => {
    for (const [key, echo] of [["q", "q\n"], ["\x04", "\n"], ["\x03", "\n"]] as const) {
      const r = new Review([changed("a"), changed("b")], false);
      r.start();
      r.press("a");
      expect(r.press(key)).toBe(echo);
      expect(r.done).toBe(true);
      expect(r.summary()).toBe("review: 1 accepted, 0 rejected, 1 skipped");
    }
  });

  it("a on a read-only golden is refused and asked again; another key says which it takes", () => {
    const r = new Review([changed("a", 0o444)], false);
    expect(r.start()).toContain("\n  read-only: a.trace is read-only (mode 0444)");
    expect(r.press("a")).toBe(`a\n  not accepted: a.trace is read-only (mode 0444): check does not replace it (make it writable, chmod u+w, if it should change)\n${PROMPT}`);
    expect(r.press("x")).toBe(`\n  a: accept, r: reject, s: skip, A: accept this and all remaining, q: quit (the rest skipped)\n${PROMPT}`);
    expect(r.done).toBe(false);
    expect(r.press("r")).toBe("r\n");
    expect(r.decisions()).toEqual(["rejected"]);
  });
});

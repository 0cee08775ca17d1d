// Judging a trace against its golden, and the JUnit report of the results.
import { describe, expect, it } from "vitest";
import { judge, normalizeGolden, type CaseResult } from "../../src/check/golden.js";
import { escapeXml, failureMessage, renderJunit } from "../../src/check/junit.js";

const TRACE = [
  "scenario  s",
  "file      s.yaml",
  "",
  "  #  cpu  thread  step  state   event",
  "  1    0  main       1  cpu0=0  ▶ get_as_str ptr=0x10ffa",
  "  2    0  main       1  cpu0=1  access_user_memory begins: state set",
  "  3    0  main       1  cpu0=0  ◀ ok \"hi\"",
  "",
  "steps",
  "  ✓ main#1 get_as_str → ok \"hi\"  (expected ok \"hi\")",
  "",
  "outcome   completed",
  "",
].join("\n");

describe("normalizeGolden", () => {
  it("turns CRLF into LF and leaves LF text alone", () => {
    expect(normalizeGolden("a\r\nb\r\n")).toBe("a\nb\n");
    expect(normalizeGolden(TRACE)).toBe(TRACE);
    expect(normalizeGolden(TRACE.replace(/\n/g, "\r\n"))).toBe(TRACE);
  });
});

describe("judge", () => {
  it("passes an equal golden, also one checked out with CRLF", () => {
    expect(judge("s.yaml", "s.trace", TRACE, TRACE, [])).toEqual({ scenario: "s.yaml", golden: "s.trace", status: "passed", expectations: [] });
    expect(judge("s.yaml", "s.trace", TRACE, TRACE.replace(/\n/g, "\r\n"), []).status).toBe("passed");
  });

  it("reports a missing golden", () => {
    expect(judge("s.yaml", "s.trace", TRACE, undefined, [])).toEqual({ scenario: "s.yaml", golden: "s.trace", status: "missing", expectations: [] });
  });

  it("fails on a failed expectation even when the golden matches, without a diff", () => {
    const r = judge("s.yaml", "s.trace", TRACE, TRACE, ["main#1 get_as_str: expected ok, got err EFAULT"]);
    expect(r.status).toBe("failed");
    expect(r.diff).toBeUndefined();
    expect(failureMessage(r)).toBe("1 expectation failed");
  });

  it("diffs golden against now and names the first differing event", () => {
    const now = TRACE.replace("cpu0=1  access_user_memory", "cpu0=0  access_user_memory");
    const r = judge("dir/s.yaml", "dir\\s.trace", now, TRACE, []);
    expect(r.status).toBe("failed");
    expect(r.where).toBe("event 2 (thread main, step 1)");
    expect(r.diff).toBe(
      [
        "--- dir/s.trace (golden)",
        "+++ dir/s.trace (now)",
        "@@ -3,7 +3,7 @@",
        " ",
        "   #  cpu  thread  step  state   event",
        "   1    0  main       1  cpu0=0  ▶ get_as_str ptr=0x10ffa",
        "-  2    0  main       1  cpu0=1  access_user_memory begins: state set",
        "+  2    0  main       1  cpu0=0  access_user_memory begins: state set",
        "   3    0  main       1  cpu0=0  ◀ ok \"hi\"",
        " ",
        " steps",
        "",
      ].join("\n"),
    );
    expect(failureMessage(r)).toBe("trace differs from dir\\s.trace at event 2 (thread main, step 1)");
  });

  it("names the interrupted thread's step for an event of a thread switched in by run", () => {
    const RUN = [
      "  #  cpu  thread  step  state   event",
      "  1    0  a          1  cpu0=1  ⇄ thread b switched in on cpu0: get_as_str ptr=0x1c0000",
      "  2    0  b          1  cpu0=1    │ align check 0x1c0000 % 1: ok",
      "  3    0  b          1  cpu0=0    │ access_user_memory ends: state cleared",
      "  4    0  b          1  cpu0=0  ⇄ thread b's get_as_str → ok \"-v\"; back to thread a",
      "  5    0  a          1  cpu0=0  ◀ ok \"x\"",
      "",
    ].join("\n");
    const inside = judge("s.yaml", "s.trace", RUN.replace("cpu0=0    │", "cpu0=1    │"), RUN, []);
    expect(inside.where).toBe("event 3 (thread b, switched in during step 1 of thread a)");
    expect(inside.step).toEqual({ thread: "a", step: 1 });
    const result = judge("s.yaml", "s.trace", RUN.replace('ok \"-v\"', "blocked"), RUN, []);
    expect(result.step).toEqual({ thread: "a", step: 1 });
    const own = judge("s.yaml", "s.trace", RUN.replace('◀ ok \"x\"', "◀ ok"), RUN, []);
    expect(own.where).toBe("event 5 (thread a, step 1)");
  });

  it("names a step result or a line when no event differs", () => {
    const stepChanged = TRACE.replace("  ✓ main#1", "  ✗ main#1");
    expect(judge("s.yaml", "s.trace", stepChanged, TRACE, []).where).toBe("the result of step 1 of thread main");
    const outcomeChanged = TRACE.replace("outcome   completed", "outcome   panic");
    expect(judge("s.yaml", "s.trace", outcomeChanged, TRACE, []).where).toBe("line 12");
  });

  it("says both when the trace differs and an expectation failed", () => {
    const r = judge("s.yaml", "s.trace", TRACE + "more\n", TRACE, ["a", "b"]);
    expect(failureMessage(r)).toBe("trace differs from s.trace at line 13; 2 expectations failed");
  });
});

describe("escapeXml", () => {
  it("escapes & < > \" and drops characters XML 1.0 cannot carry", () => {
    expect(escapeXml(`a & b < c > d "e"`)).toBe("a &amp; b &lt; c &gt; d &quot;e&quot;");
    expect(escapeXml("&lt;")).toBe("&amp;lt;");
    expect(escapeXml("x\u0000\u0001\u0008\u000b\u000c\u000e\u001fy")).toBe("xy");
    // Tab, newline and carriage return are allowed.
    expect(escapeXml("a\tb\nc\rd")).toBe("a\tb\nc\rd");
  });
});

/** Minimal well-formedness: tags balance, attributes are quoted, no stray `<` or `&`. */
function checkXml(xml: string): void {
  const body = xml.replace(/^<\?xml [^?]*\?>\n/, "");
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos);[^"<&]*)*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    const between = body.slice(last, m.index);
    expect(between).not.toMatch(/[<>]/);
    expect(between.replace(/&(amp|lt|gt|quot|apos);/g, "")).not.toContain("&");
    last = tag.lastIndex;
    const [, close, name, , selfClose] = m;
    if (close) expect(stack.pop()).toBe(name);
    else if (!selfClose) stack.push(name as string);
  }
  expect(body.slice(last).trim()).toBe("");
  expect(stack).toEqual([]);
  expect(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(xml)).toBe(false);
}

describe("renderJunit", () => {
  const nasty = `odd & <name> "q"\u0001.yaml`;
  const results: CaseResult[] = [
    { scenario: "a.yaml", golden: "a.trace", status: "passed", expectations: [] },
    { scenario: nasty, golden: "odd.trace", status: "failed", diff: "--- x\n+++ y\n@@ -1,1 +1,1 @@\n-<a & \"b\">\n+\u0002c\n", where: "line 1", expectations: ["main#1 get: expected ok 1 < 2, got err EFAULT"] },
    { scenario: "m.yaml", golden: "m.trace", status: "missing", expectations: [] },
  ];

  it("is exact, escaped and well-formed", () => {
    const xml = renderJunit(results, ["gone & <old>.trace"], true);
    checkXml(xml);
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="axptr-sim check" tests="4" failures="3">',
        '  <testsuite name="axptr-sim check" tests="4" failures="3" errors="0" skipped="0">',
        '    <testcase classname="axptr-sim.check" name="a.yaml" file="a.yaml"/>',
        '    <testcase classname="axptr-sim.check" name="odd &amp; &lt;name&gt; &quot;q&quot;.yaml" file="odd &amp; &lt;name&gt; &quot;q&quot;.yaml">',
        '      <failure message="trace differs from odd.trace at line 1; 1 expectation failed" type="failed">--- x',
        "+++ y",
        "@@ -1,1 +1,1 @@",
        "-&lt;a &amp; &quot;b&quot;&gt;",
        "+c",
        "",
        "expectation failed: main#1 get: expected ok 1 &lt; 2, got err EFAULT</failure>",
        "    </testcase>",
        '    <testcase classname="axptr-sim.check" name="m.yaml" file="m.yaml">',
        '      <failure message="no golden trace m.trace" type="missing"></failure>',
        "    </testcase>",
        '    <testcase classname="axptr-sim.check" name="gone &amp; &lt;old&gt;.trace"><failure message="obsolete golden: its scenario is gone" type="obsolete"/></testcase>',
        "  </testsuite>",
        "</testsuites>",
        "",
      ].join("\n"),
    );
  });

  it("counts obsolete goldens only when strict", () => {
    const xml = renderJunit(results, ["gone.trace"], false);
    checkXml(xml);
    expect(xml).toContain('<testsuites name="axptr-sim check" tests="3" failures="2">');
    expect(xml).not.toContain("gone.trace");
  });

  it("is a well-formed empty suite without results", () => {
    const xml = renderJunit([], [], false);
    checkXml(xml);
    expect(xml).toContain('tests="0" failures="0"');
  });

  it("the checker itself rejects broken XML", () => {
    expect(() => checkXml("<a><b></a></b>")).toThrow();
    expect(() => checkXml('<a x="1 < 2"/>')).toThrow();
    expect(() => checkXml("<a>x & y</a>")).toThrow();
  });
});

// Problem lines and key paths, directly: the escapes that keep a problem on
// one splittable line, and how a key path is found in the document.
import { isScalar, parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { formatProblem, nodeAt, offsetOf, pathAtOffset, pathText } from "../../src/scenario/problems.js";

describe("formatProblem", () => {
  it("writes control characters and line separators as escapes, so a problem is one line", () => {
    const p = { file: "f.yaml", line: 2, col: 3, path: ["a\tb"], message: "x\ry\nz\u0000\u007f\u2028\u2029" };
    expect(formatProblem(p)).toBe("f.yaml:2:3: a\\tb: x\\ry\\nz\\u0000\\u007f\\u2028\\u2029");
  });
});

describe("pathText", () => {
  it("is (file) for no key, keys and indices joined by dots, with ': ' and empty keys written so the line still splits", () => {
    expect(pathText([])).toBe("(file)");
    expect(pathText(["memory", 0, "start"])).toBe("memory.0.start");
    expect(pathText(["a: b: c", "", "x:y"])).toBe('a\\u003a b\\u003a c."".x:y');
  });
});

describe("finding a key path in the document", () => {
  const text = "name: x\nmemory:\n  - start: 0x10000\n    pages: 1\n";
  const doc = parseDocument(text);

  it("offsetOf: the value, or the key itself; a path that leads nowhere stops at the deepest node found", () => {
    expect(offsetOf(doc, ["memory", 0, "pages"])).toBe(text.indexOf("1\n"));
    expect(offsetOf(doc, ["memory", 0, "pages"], true)).toBe(text.indexOf("pages"));
    expect(offsetOf(doc, ["memory", 0, "perm"])).toBe(text.indexOf("start"));
    expect(offsetOf(doc, ["memory", 5, "perm"])).toBe(text.indexOf("- start"));
    expect(offsetOf(doc, ["name", "deeper"])).toBe(text.indexOf("x\n"));
  });

  it("nodeAt: the node only when the whole path leads to one", () => {
    const start = nodeAt(doc, ["memory", 0, "start"]);
    expect(isScalar(start) && start.source).toBe("0x10000");
    expect(nodeAt(doc, ["memory", 0, "perm"])).toBeUndefined();
    expect(nodeAt(doc, ["memory", 1])).toBeUndefined();
    expect(nodeAt(doc, ["memory", "0"])).toBeUndefined();
    expect(nodeAt(doc, ["name", "x"])).toBeUndefined();
  });

  it("pathAtOffset: the deepest key path holding an offset; a key's own text is the key's path", () => {
    expect(pathAtOffset(doc, text.indexOf("0x10000"))).toEqual(["memory", 0, "start"]);
    expect(pathAtOffset(doc, text.indexOf("pages"))).toEqual(["memory", 0, "pages"]);
    expect(pathAtOffset(doc, text.indexOf("memory"))).toEqual(["memory"]);
    expect(pathAtOffset(doc, 0)).toEqual(["name"]);
  });
});

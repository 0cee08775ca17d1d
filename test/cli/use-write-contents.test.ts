// use: { write } takes contents as memory does (issue 21, point 8): a real read() fills a buffer.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "axptr-use-write-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
function file(name: string, steps: string[]): string {
  const path = join(tmp, name);
  writeFileSync(
    path,
    ["name: read() into a buffer", "memory:", "  - { name: buf, start: 0x10000, pages: 2, perm: rw, populate: false }", "threads:", "  - name: main", "    steps:", ...steps.map((s) => `      - ${s}`), ""].join("\n"),
  );
  return path;
}

describe("use: { write: CONTENTS }", () => {
  it("fill (the whole reference without len), str, bytes and typed lists store from the reference's start, across pages", () => {
    const f = file("ok.yaml", [
      "{ op: get_as_slice, ptr: 0x10ff0, len: 32, mut: true, use: { write: { fill: 0x41 } } }",
      '{ op: get_as_slice, ptr: 0x10ff0, len: 32, mut: true, use: { write: { str: "hi" } } }',
      "{ op: get_as_slice, ptr: 0x10ffc, len: 8, mut: true, use: { write: { fill: 0x42, len: 2 } } }",
      "{ op: get, ptr: 0x11004, type: u32, mut: true, use: { write: { u16: [0x4443] } } }",
      "{ op: get_as_slice, ptr: 0x1100a, len: 2, type: u8, mut: true, use: { write: { bytes: [0x45] } } }",
      "{ op: get_as_slice, ptr: 0x10ff0, len: 28, use: read }",
    ]);
    const r = cli(["run", f, "--format", "json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { steps: { result: { status: string; value?: number[] } }[] };
    expect(doc.steps.slice(0, 5).map((s) => s.result)).toEqual(Array(5).fill({ status: "ok" }));
    const A = 0x41;
    expect(doc.steps[5]?.result.value).toEqual([0x68, 0x69, A, A, A, A, A, A, A, A, A, A, 0x42, 0x42, A, A, A, A, A, A, 0x43, 0x44, A, A, A, A, 0x45, A]);
  });

  it("refuses contents that do not fit the reference and values that do not fit their type", () => {
    const f = file("bad.yaml", [
      '{ op: get_as_slice, ptr: 0x10ff0, len: 4, mut: true, use: { write: { str: "hello" } } }',
      "{ op: get_as_slice, ptr: 0x10ff0, len: 4, mut: true, use: { write: { fill: 1, len: 5 } } }",
      "{ op: get, ptr: 0x10ff0, type: u16, mut: true, use: { write: { u16: [70000] } } }",
    ]);
    const r = cli(["validate", f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      [
        `${f}:7:83: threads.0.steps.0.use.write.str: 5 bytes do not fit the reference, which has 4 bytes`,
        `${f}:8:92: threads.0.steps.1.use.write.len: 5 bytes do not fit the reference, which has 4 bytes`,
        `${f}:9:78: threads.0.steps.2.use.write.u16.0: 70000 does not fit u16 (0..65535)`,
        "",
      ].join("\n"),
    );
  });

  it("a misspelt form, and len without fill, are refused with the key and the forms allowed", () => {
    const f = file("misspelt.yaml", ["{ op: get, ptr: 0x10ff0, type: u16, mut: true, use: { write: { fil: 1 } } }", "{ op: get, ptr: 0x10ff0, type: u16, mut: true, use: { write: { len: 2 } } }"]);
    const r = cli(["validate", f]);
    expect(r.code).toBe(2);
    const one = "use.write contents: expected exactly one of str, bytes, fill, u8, i8, c_char, u16, i16, u32, i32, u64, i64, usize, isize, ptr";
    expect(r.stderr).toBe(
      [
        `${f}:7:70: threads.0.steps.0.use.write: ${one}`,
        `${f}:7:72: threads.0.steps.0.use.write.fil: unknown key "fil" (did you mean "fill"?)`,
        `${f}:8:70: threads.0.steps.1.use.write: ${one}`,
        `${f}:8:77: threads.0.steps.1.use.write.len: len belongs to a fill item only`,
        "",
      ].join("\n"),
    );
  });

  it("a value or a list of values still works as before", () => {
    const f = file("values.yaml", ["{ op: get_as_slice, ptr: 0x10ff0, len: 2, type: u16, mut: true, use: { write: [1, 2] } }", "{ op: get_as_slice, ptr: 0x10ff0, len: 2, type: u16, use: read, expect: { ok: [1, 2] } }"]);
    expect(cli(["run", f, "--quiet"]).code).toBe(0);
  });
});

// Scans share decoders (explorations run get_as_str hundreds of thousands
// of times): a nested scan in the middle of a multi-byte character, and a
// scan after one that failed to decode, must still decode exactly.
import { describe, expect, it } from "vitest";
import { result, run } from "./helpers.js";

const yaml = (event: string) => `name: decoders
memory:
  - { start: 0x10000, pages: 1, perm: r, contents: [ { at: 0x10000, str: "é!\\0" }, { at: 0x10100, bytes: [0xc3, 0] }, { at: 0x10200, str: "ü\\0" } ] }
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: 0x10100 }
      - { op: get_as_str, ptr: 0x10000 }
      - { op: get_as_str, ptr: 0x10200 }
${event}`;

describe("get_as_str's decoders", () => {
  it("a nested scan between the two bytes of é does not disturb the outer one; a scan after an EILSEQ starts clean", () => {
    const t = run(yaml(`events:
  - { when: { step: 2, at: before-read, index: 1 }, do: { nested: { op: get_as_str, ptr: 0x10200 } } }
`));
    expect(result(t, 1)).toEqual({ status: "err", errno: "EILSEQ" });
    expect(result(t, 2)).toEqual({ status: "ok", value: "é!" });
    expect(t.events.find((e) => e.kind === "nested-result")).toMatchObject({ result: { status: "ok", value: "ü" } });
    expect(result(t, 3)).toEqual({ status: "ok", value: "ü" });
  });
});

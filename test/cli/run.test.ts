import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const SEED = `name: seed
memory:
  - start: 0x10000
    pages: 2
    perm: r
    populate: false
    present: [0x10000]
    contents:
      - { at: 0x10ffa, str: "hello," }
      - { at: 0x11000, str: " world\\0" }
threads:
  - name: main
    steps:
      - op: get_as_str
        ptr: 0x10ffa
        expect: { ok: "hello, world" }
`;

describe("axptr-sim run", () => {
  it("prints the seed example's JSON result from standard input", () => {
    const r = cli(["run", "--format", "json", "-"], { input: SEED });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.scenario).toEqual({ name: "seed", file: "-" });
    expect(doc.outcome).toBe("completed");
    expect(doc.steps).toEqual([
      { thread: "main", step: 1, op: "get_as_str", result: { status: "ok", value: "hello, world" }, expected: { status: "ok", value: "hello, world" }, met: true },
    ]);
    expect(doc.events.map((e: { kind: string }) => e.kind)).toEqual([
      "step-start", "align-check", "flag-set", "page-check", "read", "page-check", "page-fault", "handler", "page-mapped", "read", "flag-clear", "step-end",
    ]);
    expect(doc.summary).toEqual({ events: 12, faults: 1, resolved: 1, expectations: { met: 1, failed: 0 } });
  });
});

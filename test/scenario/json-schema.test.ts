import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { scenarioJsonSchema } from "../../src/scenario/schema.js";
import { cli } from "../helpers/cli.js";

const committed = readFileSync(new URL("../../schema/scenario.schema.json", import.meta.url), "utf8");

describe("the JSON Schema", () => {
  it("committed in schema/ is exactly what the zod schema gives (run `axptr-sim schema > schema/scenario.schema.json` after a change)", () => {
    expect(JSON.parse(committed)).toEqual(scenarioJsonSchema());
  });

  it("is printed by `axptr-sim schema`, byte for byte as committed", () => {
    const r = cli(["schema"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(committed);
  });

  it("describes numbers as integers or decimal/hex strings, and refuses unknown keys", () => {
    const s = scenarioJsonSchema() as { $defs: Record<string, unknown>; additionalProperties: unknown; required: string[] };
    expect(s.$defs.Number).toEqual({
      description: "an integer: decimal or 0x hex, as a YAML integer or a string, with optional _ separators",
      anyOf: [{ type: "integer" }, { type: "string", pattern: "^-?(0[xX][0-9a-fA-F]+(_+[0-9a-fA-F]+)*|[0-9]+(_+[0-9]+)*)$" }],
    });
    expect(s.additionalProperties).toBe(false);
    expect(s.required).toEqual(["name"]);
    const pattern = new RegExp((s.$defs.Number as { anyOf: { pattern?: string }[] }).anyOf[1]?.pattern ?? "");
    for (const ok of ["0x7fff_f000_0000", "4096", "-1", "0XFF", "1__000"]) expect(pattern.test(ok), ok).toBe(true);
    for (const bad of ["0x1g000", "12abc", "", "_1"]) expect(pattern.test(bad), bad).toBe(false);
  });
});

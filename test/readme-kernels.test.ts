// docs/starryos.md, "Which StarryOS had which bug": its table is compare --kernel all's real output.
import { describe, expect, it } from "vitest";
import { cli } from "./helpers/cli.js";
import { readDoc } from "./helpers/docs.js";

const section = readDoc("docs/starryos.md");

describe("docs/starryos.md: Which StarryOS had which bug", () => {
  it("shows compare --kernel all on scenario 56 byte for byte (from its table header on)", () => {
    const block = /```\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBeDefined();
    const r = cli(["compare", "--kernel", "all", "scenarios/56-openat-path-under-every-kernel.yaml"]);
    expect(r.code).toBe(0);
    const table = r.stdout.split("\n").slice(4).join("\n");
    expect(block).toBe(table);
    // The headline row: each kernel's decision on the same fault.
    expect(table).toContain("main#2 get_as_str  killed (SIGSEGV)  killed (SIGSEGV)  killed (SIGSEGV)  livelock        panic           panic");
  });

  it("cites the commits kernels.md names for each StarryOS design", () => {
    for (const commit of ["2b7a74f", "f6cd4eb", "0c84473", "87d1097", "265eb61", "a318017", "05366f4", "90c865d", "fe9cad1"]) expect(section).toContain(`\`${commit}`);
  });
});

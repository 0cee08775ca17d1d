// Valid scenarios that ask for enormous work (issue 8): each finishes quickly
// or is refused with exit 2 and a message naming the limit and how to stay
// under it; never a RangeError (exit 3), never minutes and gigabytes. Their
// time and peak memory are measured by `npm run bench`; here, what they print.
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const hex = (n: number) => `0x${n.toString(16)}`;

describe("a value larger than a step may yield is refused with its limit", () => {
  it("zero-sized elements count against the value cap (was 25 s and 4.7 GB)", () => {
    const r = cli(["run", "-"], {
      input: `name: zero-sized elements, a huge len
memory: [{ start: 0x10000, pages: 1, perm: r }]
threads: [{ name: main, steps: [{ op: get_as_slice, ptr: 0x10000, type: { size: 0, align: 1 }, len: 99999990, use: read }] }]
`,
    });
    expect(r.stderr).toBe(
      "-:1:1: (file): too large to trace: a value of 99999990 {size: 0, align: 1} elements is larger than the 1048576 numbers a step may yield (a struct element counts its bytes, a zero-sized one counts 1); read fewer elements\n",
    );
    expect([r.code, r.stdout]).toEqual([2, ""]);
  });

  it("zero-sized elements with a huge len and the largest budget (was RangeError: Invalid array length)", () => {
    const r = cli(["run", "-"], {
      input: `name: zero-sized elements, the largest budget
machine: { budget: 0xffffffffffffffff }
memory: [{ start: 0x10000, pages: 1, perm: r }]
threads: [{ name: main, steps: [{ op: get_as_slice, ptr: 0x10000, type: { size: 0, align: 1 }, len: 0x100000000000, use: read }] }]
`,
    });
    expect(r.stderr).toBe(
      "-:1:1: (file): too large to trace: a value of 17592186044416 {size: 0, align: 1} elements is larger than the 1048576 numbers a step may yield (a struct element counts its bytes, a zero-sized one counts 1); read fewer elements\n",
    );
    expect([r.code, r.stdout]).toEqual([2, ""]);
  });

  it("a get_as_str string over 3 × 256 MiB of non-zero bytes (was RangeError: Invalid string length)", () => {
    const r = cli(["run", "-"], {
      input: `name: a string longer than a JavaScript string
machine: { budget: 0xffffffffffffffff, page_size: 65536 }
memory:
  - start: 0x10000000
    size: 0x30010000
    perm: r
    contents:
      - { at: 0x10000000, fill: 0x41, len: 0x10000000 }
      - { at: 0x20000000, fill: 0x42, len: 0x10000000 }
      - { at: 0x30000000, fill: 0x43, len: 0x10000000 }
threads: [{ name: main, steps: [{ op: get_as_str, ptr: 0x10000000 }] }]
`,
    });
    expect(r.stderr).toBe(
      "-:1:1: (file): too large to trace: a get_as_str string would pass 268435456 bytes (256 MiB, the longest string a step may yield); end the string with a NUL within 256 MiB\n",
    );
    expect([r.code, r.stdout]).toEqual([2, ""]);
  });

  it("a string of exactly 256 MiB is not refused: the cap is on what passes it", () => {
    const r = cli(["run", "--quiet", "-"], {
      input: `name: 256 MiB
machine: { page_size: 65536, budget: 0x100000000 }
memory:
  - { start: 0x10000000, size: 0x10010000, perm: r, contents: [{ at: 0x10000000, fill: 0x41, len: 0x10000000 }] }
threads: [{ name: main, steps: [{ op: get_as_str, ptr: 0x10000000 }] }]
`,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`→ ok "${"A".repeat(48)}"… (268435456 chars)\n`);
    expect(r.code).toBe(0);
  });
});

describe("actions cost in proportion to their own range", () => {
  it("evict over the whole address space of one large eager area (was RangeError: Set maximum size exceeded after 16 s)", () => {
    const r = cli(["run", "--quiet", "-"], {
      input: `name: evict everything
memory: [{ start: 0x100000000, size: 0x1000000000, perm: rw }]
threads: [{ name: main, steps: [{ op: get, ptr: 0x100000000, type: u8, use: read, expect: { ok: 0 } }] }]
events: [{ when: { step: 1, at: before-step }, do: { evict: { start: 0x1000, size: 0x7ffffffff000 } } }]
`,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("  ✓ main#1 get ptr=0x100000000 T=u8 use=read → ok 0  (expected ok 0)\n");
    expect(r.code).toBe(0);
  });

  it("twelve 256 MiB fills in one area are twelve runs, not 3 GiB of bytes (was 20 s and 3.5 GB)", () => {
    const fills = Array.from({ length: 12 }, (_, i) => `      - { at: ${hex(0x100000000 + i * 0x10000000)}, fill: 0x41, len: 0x10000000 }`).join("\n");
    const r = cli(["run", "--quiet", "-"], {
      input: `name: twelve fills
memory:
  - start: 0x100000000
    size: 0xc0000000
    perm: r
    populate: false
    contents:
${fills}
threads: [{ name: main, steps: [{ op: get, ptr: 0x1bfffffff, type: u8, use: read, expect: { ok: 0x41 } }] }]
`,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("  ✓ main#1 get ptr=0x1bfffffff T=u8 use=read → ok 65  (expected ok 65)\n");
    expect(r.code).toBe(0);
  });

  it("an unmap of one unrelated page at every before-read, beside 65,536 filled pages (was over 60 s)", () => {
    const r = cli(["run", "--format", "ndjson", "-"], {
      input: `name: unmap at every read
memory:
  - { start: 0x10000000, pages: 65536, perm: r, contents: [{ at: 0x10000000, fill: 0x41, len: 2000 }] }
  - { start: 0x40000000, pages: 1, perm: r }
threads: [{ name: main, steps: [{ op: get_as_str, ptr: 0x10000000 }] }]
events: [{ when: { step: 1, at: before-read }, do: { unmap: { start: 0x40000000, pages: 1 } }, repeat: true }]
`,
    });
    expect(r.stderr).toBe("");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.filter((l) => l.includes('"kind":"injected"'))).toHaveLength(2001);
    expect(JSON.parse(lines[lines.length - 1] as string).steps[0].result).toEqual({ status: "ok", value: "A".repeat(2000) });
    expect(r.code).toBe(0);
  });

  it("a 256 MiB fill written at every page check is one run each time (was over 60 s)", () => {
    const r = cli(["run", "--quiet", "-"], {
      input: `name: a big write at every page check
memory:
  - { start: 0x10000000, pages: 65544, perm: rw, contents: [{ at: 0x10000000, fill: 0x42, len: 0x7fff }] }
threads: [{ name: main, steps: [{ op: get_as_str, ptr: 0x10000000 }] }]
events:
  - when: { step: 1, at: page-check }
    do: { write: { at: 0x10008000, fill: 0x41, len: 0x10000000 } }
    repeat: true
  - when: { step: 1, at: page-check }
    do: { map: { start: 0x50000000, size: 0x10000000, perm: r, contents: [{ at: 0x50000000, fill: 0x43, len: 0x10000000 }] } }
    repeat: true
`,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`→ ok "${"B".repeat(48)}"… (32767 chars)\n`);
    expect(r.code).toBe(0);
  });
});

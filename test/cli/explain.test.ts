// run --explain: every failing check and populate says why (issue 21, point 10); without it, the output is as before.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "axptr-explain-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const lines = (out: string, word: string) => out.split("\n").filter((l) => l.includes(word)).map((l) => l.replace(/^.*?(region check|page check|populate)/, "$1"));

describe("run --explain", () => {
  it("under a kernel: a range past 2^64 and a vm_* access check outside the user address space", () => {
    const range = cli(["run", "scenarios/55-starry-range-past-2-64-is-efault.yaml", "--explain"]);
    expect(lines(range.stdout, "fails")).toEqual(["region check 0xfffffffffffff000..0x10000000000000000 needs read: fails (the range passes 2^64: try_from_start_size fails)"]);
    const vm = (ptr: string) => {
      const file = join(tmp, `vm-${ptr}.yaml`);
      writeFileSync(file, `name: vm_read refused\nmachine: { cpus: 1, kernel: starry-2025-08 }\nthreads: [{ name: main, steps: [{ op: vm_read, ptr: ${ptr}, len: 8192, type: u8 }] }]\n`);
      return cli(["run", file, "--explain"]).stdout.split("\n").filter((l) => l.includes("access check")).map((l) => l.replace(/^.*?access check/, "access check"));
    };
    expect(vm("0xfffffffffffff000")).toEqual(["access check 0xfffffffffffff000..0x10000000000001000 inside the user address space: fails (the range passes 2^64)"]);
    expect(vm("0x7ffffffff000")).toEqual(["access check 0x7ffffffff000..0x800000001000 inside the user address space: fails (the range ends past the user address space 0x1000..0x800000000000)"]);
    expect(vm("0x0")).toEqual(["access check 0x0..0x2000 inside the user address space: fails (the range starts below the user address space 0x1000..0x800000000000)"]);
  });

  it("a page check refused for want of permission, and one with no area", () => {
    const perm = cli(["run", "scenarios/06-wrong-permission-pointer.yaml", "--explain"]);
    expect(perm.code).toBe(0);
    expect(lines(perm.stdout, "fails")).toEqual([
      "region check 0x50000..0x50008 needs read: fails (the area 0x50000..0x51000 is ---: no read permission)",
      "page check 0x51000: fails (the area 0x51000..0x52000 is --x: no read permission)",
    ]);
    const gap = cli(["run", "scenarios/05-unmapped-pointer.yaml", "--explain"]);
    expect(lines(gap.stdout, "fails")).toEqual(["region check 0x48000..0x48008 needs read: fails (no area at 0x48000)", "region check 0x40ff0..0x41010 needs read: fails (no area at 0x41000)"]);
  });

  it("populate's ENOMEM: no free frame, or the area unmapped after the region check", () => {
    const frames = cli(["run", "scenarios/15-out-of-frames.yaml", "--explain"]);
    expect(lines(frames.stdout, "populate 0x")).toEqual(["populate 0x200000..0x201000: ENOMEM (no free frame for the page 0x200000)"]);
    const file = join(tmp, "unmapped.yaml");
    writeFileSync(
      file,
      [
        "name: unmapped between the region check and populate",
        "memory: [{ start: 0x10000, pages: 2, perm: rw, populate: false }]",
        "threads: [{ name: main, steps: [{ op: get_as_slice, ptr: 0x10000, len: 0x2000, use: read }] }]",
        "events: [{ when: { at: after-region-check, step: 1 }, do: { unmap: { start: 0x11000, pages: 1 } } }]",
        "",
      ].join("\n"),
    );
    const r = cli(["run", file, "--explain"]);
    expect(lines(r.stdout, "populate 0x")).toEqual(["populate 0x10000..0x12000: ENOMEM (no area at 0x11000: unmapped since the region check)"]);
    const json = JSON.parse(cli(["run", file, "--explain", "--format", "json"]).stdout) as { events: { kind: string; why?: string }[] };
    expect(json.events.find((e) => e.kind === "populate")?.why).toBe("no area at 0x11000: unmapped since the region check");
  });

  it("JSON and ndjson carry why on the failing events only", () => {
    const r = cli(["run", "scenarios/06-wrong-permission-pointer.yaml", "--explain", "--format", "ndjson"]);
    const events = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as { kind: string; ok?: boolean; why?: string });
    expect(events.filter((e) => e.why !== undefined).map((e) => [e.kind, e.ok, e.why])).toEqual([
      ["region-check", false, "the area 0x50000..0x51000 is ---: no read permission"],
      ["page-check", false, "the area 0x51000..0x52000 is --x: no read permission"],
    ]);
  });

  it("without --explain the trace is its golden, byte for byte", () => {
    const r = cli(["run", "scenarios/06-wrong-permission-pointer.yaml"]);
    expect(r.stdout.replace("scenarios/06-", "06-")).toBe(readFileSync("scenarios/06-wrong-permission-pointer.trace", "utf8"));
    expect(cli(["run", "scenarios/06-wrong-permission-pointer.yaml", "--format", "json"]).stdout).not.toContain('"why"');
  });

  it("--explain with --format mermaid is refused (it would not show the reasons)", () => {
    const r = cli(["run", "scenarios/06-wrong-permission-pointer.yaml", "--explain", "--format", "mermaid"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("axptr-sim: --explain adds reasons to the trace's lines: --format mermaid does not show them (use text, json or ndjson)\n");
  });
});

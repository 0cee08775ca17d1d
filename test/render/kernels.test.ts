// The renderers on kernels.md's new events and decisions: text, Mermaid, the HTML report's marks.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderMermaidAll } from "../../src/render/mermaid/index.js";
import { renderReport } from "../../src/render/report/index.js";
import { renderText } from "../../src/render/text.js";
import { run } from "../sim/helpers.js";

const trace = (name: string) => run(readFileSync(new URL(`../../scenarios/${name}.yaml`, import.meta.url), "utf8"));

describe("text", () => {
  it("names the kernel on the machine line, and shows the global flag, the vm check, exit and the livelock", () => {
    const vm = renderText(trace("54-vm-load-string-copies-once"), "f.yaml", { color: false }).split("\n");
    expect(vm.slice(2, 4)).toEqual([
      "machine   1 CPU, kernel starry-2025-08, strategy global-flag, page 4 KiB, frames unlimited, lock per-check",
      "state     ACCESSING_USER_MEM, one bool for the whole machine (1 = accessing user memory)",
    ]);
    expect(vm[7]).toBe("  2    0  main       1  global=0  access check 0x90ffc..0x90ffd inside the user address space: ok");
    const exit = renderText(trace("45-starry-2025-04-exit-strands-flag"), "f.yaml", { color: false });
    expect(exit).toContain("handler: exit (no area holds 0x31000: do_exit(SIGSEGV) from inside the trap; the access never ends)");
    expect(exit).toContain("hazards   stranded-by-exit (event 10)");
    const live = renderText(trace("46-starry-2025-07-retry-livelock"), "f.yaml", { color: false });
    expect(live).toContain("◀ livelock");
    expect(live).toContain("outcome   livelock");
  });
});

describe("Mermaid", () => {
  it("shows each retry as its own fault and the vm_* access check as a note", () => {
    const live = renderMermaidAll([{ trace: trace("46-starry-2025-07-retry-livelock"), file: "f.yaml" }], { color: false, fences: false });
    expect(live.split("\n").filter((l) => l.trim() === "alt page fault at 0x31000 (read, kernel mode): retry")).toHaveLength(2);
    const vm = renderMermaidAll([{ trace: trace("47-starry-2025-12-fixup-only-in-user-copy"), file: "f.yaml" }], { color: false, fences: false });
    expect(vm).toContain("Note over T_main: access check 0x40ffc+8 inside the user address space: ok");
    expect(vm).toContain("alt page fault at 0x41000 (read, kernel mode): fixup");
  });
});

describe("HTML report", () => {
  it("marks exit and retry faults with their own classes and legend words", () => {
    const html = renderReport(
      [
        { file: "a.yaml", trace: trace("45-starry-2025-04-exit-strands-flag") },
        { file: "b.yaml", trace: trace("46-starry-2025-07-retry-livelock") },
      ],
      { color: false },
    );
    expect(html).toContain('class="mark fault exit"');
    expect(html).toContain('class="mark fault retry"');
    expect(html).toContain("fault: exit (killed in the trap)");
    expect(html).toContain("kernel starry-2025-04, strategy percpu-flag");
  });
});

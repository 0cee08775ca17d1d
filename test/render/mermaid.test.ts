// `--format mermaid`: the structure of the diagram, pinned exactly.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderMermaid, renderMermaidAll } from "../../src/render/mermaid/index.js";
import { esc, wrap, WRAP } from "../../src/render/mermaid/text.js";
import { witnessTrace } from "../../src/explore/witness.js";
import { load } from "../sim/helpers.js";
import type { Trace, TraceEvent } from "../../src/sim/events.js";
import { ROOT } from "../helpers/cli.js";
import { run } from "../sim/helpers.js";

const bundled = (name: string) => readFileSync(join(ROOT, "scenarios", name), "utf8");
const diagramOf = (name: string) => renderMermaid(run(bundled(name)), `scenarios/${name}`, { color: false });
const declarations = (d: string) => d.split("\n").filter((l) => /^ {2}(participant|actor) /.test(l));

describe("renderMermaid", () => {
  it("draws the seed example as the seed's sequence diagram: flag set, fault block with its decision, flag cleared, result", () => {
    expect(diagramOf("01-seed-string-across-lazy-page.yaml")).toBe(
      [
        "sequenceDiagram",
        "  %% scenarios/01-seed-string-across-lazy-page.yaml",
        "  title seed example: a string that runs onto a page not mapped yet",
        "  participant T_main as Kernel code (main)",
        "  participant AUM as access_user_memory()",
        "  participant S_cpu0 as ACCESSING_USER_MEM (cpu0)",
        "  participant PF as Page-fault handler",
        "  participant MEM as User memory",
        "  Note over T_main: ▶ main#35;1 get_as_str ptr=0x10ffa",
        "  T_main ->> MEM: align check 0x10ffa % 1: ok",
        "  T_main ->> AUM: call with the closure that scans user memory",
        "  AUM ->> S_cpu0: set true",
        "  Note over S_cpu0: cpu0: false → true",
        "  AUM ->> MEM: page check 0x10000: ok",
        "  AUM ->> MEM: kernel read 0x10ffa..0x11000 (6 bytes)",
        "  AUM ->> MEM: page check 0x11000: ok",
        "  alt page fault at 0x11000 (read, kernel mode): resolved",
        "    MEM ->> PF: page fault 0x11000, read, kernel mode",
        "    PF ->> S_cpu0: is_accessing_user_memory()?",
        "    S_cpu0 -->> PF: true (accessing user memory)",
        "    PF ->> MEM: resolved: lazy page made present",
        "    Note over MEM: page 0x11000 mapped",
        "  end",
        "  AUM ->> MEM: kernel read 0x11000..0x11007 (7 bytes)",
        "  AUM ->> S_cpu0: set false",
        "  Note over S_cpu0: cpu0: true → false",
        "  AUM -->> T_main: return",
        "  Note over T_main: ◀ main#35;1 → ok #quot;hello, world#quot;",
        "",
      ].join("\n"),
    );
  });

  it("names the state for the strategy: one flag per CPU the run touches, a thread's counter, none for the exception table", () => {
    expect(declarations(diagramOf("24-migration-then-lazy-fault-panics.yaml"))).toEqual([
      "  participant T_main as Kernel code (main)",
      "  participant AUM as access_user_memory()",
      "  participant S_cpu0 as ACCESSING_USER_MEM (cpu0)",
      "  participant S_cpu1 as ACCESSING_USER_MEM (cpu1)",
      "  participant PF as Page-fault handler",
      "  participant MEM as User memory",
      "  actor A_scheduler__preemption_ as scheduler (preemption)",
    ]);
    expect(declarations(diagramOf("29-migration-per-thread-flag.yaml"))).toContain("  participant S_main as flag of thread main");
    expect(declarations(diagramOf("30-nested-nesting-counter.yaml"))).toContain("  participant S_main as counter of thread main");
    expect(declarations(diagramOf("31-exception-table-interrupt-bug.yaml"))).toEqual([
      "  participant T_main as Kernel code (main)",
      "  participant AUM as access_user_memory()",
      "  participant PF as Page-fault handler",
      "  participant MEM as User memory",
      "  actor A_timer_interrupt_handler_ as timer interrupt handler (buggy)",
    ]);
  });

  it("shows every state change as a note over the state, the counter's values included", () => {
    const notes = diagramOf("30-nested-nesting-counter.yaml")
      .split("\n")
      .filter((l) => l.includes("Note over S_"));
    expect(notes).toEqual([
      "  Note over S_main: main: 0 → 1",
      "  Note over S_main: main: 1 → 2",
      "  Note over S_main: main: 2 → 1",
      "  Note over S_main: main: 1 → 0",
    ]);
  });

  it("asks the faulting CPU's flag, and highlights a hazard in a rect", () => {
    const d = diagramOf("24-migration-then-lazy-fault-panics.yaml").split("\n");
    expect(d).toContain("  A_scheduler__preemption_ ->> T_main: ⚡ move thread main to cpu1");
    expect(d).toContain("  Note over T_main: thread main moves cpu0 → cpu1");
    const rect = d.indexOf("  rect rgb(255, 214, 153)");
    // The hazard's whole sentence, wrapped between words (issue 21 point 13: it was cut at "cp…").
    expect(d[rect + 1]).toBe(
      "    Note over T_main,MEM: ⚠ HAZARD migrated-in-access: Thread main moved from cpu0 to cpu1 in the middle<br>of a user access: its protection stayed on cpu0, so a fault on cpu1 will panic,<br>and cpu0 says #quot;accessing#quot; for whatever runs there next.",
    );
    expect(d[rect + 2]).toBe("  end");
    const alt = d.indexOf("  alt page fault at 0x161000 (read, kernel mode): unhandled");
    expect(d.slice(alt + 1, alt + 6)).toEqual([
      "    MEM ->> PF: page fault 0x161000, read, kernel mode",
      "    PF ->> S_cpu1: is_accessing_user_memory()?",
      "    S_cpu1 -->> PF: false",
      "    PF ->> T_main: unhandled: kernel mode and is_accessing_user_memory() is false: a kernel bug",
      "  end",
    ]);
    expect(d[d.length - 2]).toBe("  Note over T_main: ◀ main#35;1 → panic: Unhandled kernel page fault @0x161000");
  });

  it("draws another thread switched in as a message to it, and its result back to the preempted thread", () => {
    const d = diagramOf("33-preempting-thread-clears-flag.yaml").split("\n");
    expect(declarations(d.join("\n")).slice(0, 2)).toEqual(["  participant T_a as Kernel code (a)", "  participant T_b as Kernel code (b)"]);
    const at = d.indexOf("  T_a ->> T_b: ⇄ switched in on cpu0: get_as_str ptr=0x1c0000");
    expect(at).toBeGreaterThan(0);
    expect(d[at + 1]).toBe("  T_b ->> MEM: align check 0x1c0000 % 1: ok");
    expect(d).toContain("  T_b -->> T_a: ⇄ get_as_str → ok #quot;-v#quot;");
  });

  it("folds a long scan into one message with its counts", () => {
    const t = run(`name: a long string over five pages
memory:
  - { name: buf, start: 0x10000, pages: 5, perm: r, contents: [{ at: 0x10000, fill: 0x41, len: 0x4000 }] }
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: 0x10000 }
`);
    const d = renderMermaid(t, "long.yaml", { color: false }).split("\n");
    expect(d.filter((l) => l.includes("->> MEM"))).toEqual([
      "  T_main ->> MEM: align check 0x10000 % 1: ok",
      "  AUM ->> MEM: scan 0x10000..0x14001: 5 page checks ok, 5 reads (16385 bytes)",
    ]);
    expect(d[d.length - 2]).toBe("  Note over T_main: ◀ main#35;1 → ok #quot;AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA#quot;… (16384 chars)");
  });

  it("collapses consecutive reads of one page into one message with a count", () => {
    const base = run(`name: one read
memory: [{ start: 0x10000, pages: 1, perm: r }]
threads: [{ name: main, steps: [{ op: get, ptr: 0x10000, type: u8, use: read }] }]
`);
    const read = base.events.find((e) => e.kind === "read") as TraceEvent & { kind: "read" };
    const reads = [0n, 8n, 0x100n, 0x800n].map((off, k) => ({ ...read, seq: read.seq + k, addr: 0x10000n + off, size: 8n }));
    const other = { ...read, addr: 0x11000n, size: 4n, seq: read.seq + 4 };
    const events = [...base.events.filter((e) => e.seq < read.seq), ...reads, other];
    const d = renderMermaid({ ...base, events } as Trace, "x.yaml", { color: false }).split("\n");
    expect(d.filter((l) => l.includes("kernel read"))).toEqual([
      "  T_main ->> MEM: kernel read 0x10000..0x10808 (32 bytes, 4 reads)",
      "  T_main ->> MEM: kernel read 0x11000..0x11004 (4 bytes)",
    ]);
  });

  it("draws a kind it does not know (added after it) as a note with its fields, never failing", () => {
    const base = run(`name: one step
memory: [{ start: 0x10000, pages: 1, perm: r }]
threads: [{ name: main, steps: [{ op: get, ptr: 0x10000, type: u8 }] }, { name: b, steps: [] }]
`);
    const first = base.events[0] as TraceEvent;
    const unknown = { seq: 99, thread: first.thread, step: first.step, cpu: first.cpu, flags: first.flags, kind: "future-kind", to: "b", to_cpu: 1 } as unknown as TraceEvent;
    const d = renderMermaid({ ...base, events: [first, unknown] } as Trace, "x.yaml", { color: false });
    expect(d).toContain("  Note over T_main: future-kind to=b to_cpu=1\n");
  });

  it("escapes what Mermaid would read as syntax and cuts long text", () => {
    expect(esc('a;b #c "d" <e> `f` %g {h} & i')).toBe("a#59;b #35;c #quot;d#quot; #lt;e#gt; #96;f#96; #37;g #123;h#125; #amp; i");
    expect(esc("line\nbreak\u0007bell")).toBe("line break bell");
    expect(esc("x".repeat(200), 10)).toBe("xxxxxxxxx…");
    const t = run(`name: 'semi; colon: hash # and "quotes"'
memory: [{ start: 0x10000, pages: 1, perm: r }]
threads: [{ name: main, steps: [{ op: get, ptr: 0x10000, type: u8 }] }]
events:
  - { when: { thread: main, step: 1, at: before-step }, do: { frames: 3 }, by: 'kswapd; "evil" #1' }
`);
    const d = renderMermaid(t, "x.yaml", { color: false }).split("\n");
    expect(d[2]).toBe("  title semi#59; colon: hash #35; and #quot;quotes#quot;");
    expect(d).toContain("  actor A_kswapd___evil___1 as kswapd#59; #quot;evil#quot; #35;1");
  });

  it("escapes the file name in its first comment line as every label: no %%{init} directive, no line break", () => {
    const t = run(bundled("01-seed-string-across-lazy-page.yaml"));
    const d = renderMermaid(t, 'x %%{init: {"themeCSS": ".messageText {display:none}"}}%%\n%%{init}%%.yaml', { color: false });
    expect(d.split("\n").slice(0, 3)).toEqual([
      "sequenceDiagram",
      "  %% x #37;#37;#123;init: #123;#quot;themeCSS#quot;: #quot;.messageText #123;display:none#125;#quot;#125;#125;#37;#37; #37;#37;#123;init#125;#37;#37;.yaml",
      "  title seed example: a string that runs onto a page not mapped yet",
    ]);
    expect(d).not.toMatch(/%%\{/);
    // Bidi overrides in a label become spaces, as control characters do.
    expect(esc("a\u202eb\u2066c")).toBe("a b c");
  });

  it("puts several files one after another, or each in a Markdown fence", () => {
    const a = run(bundled("01-seed-string-across-lazy-page.yaml"));
    const b = run(bundled("02-seed-without-flag-panics.yaml"));
    const plain = renderMermaidAll(
      [
        { trace: a, file: "a.yaml" },
        { trace: b, file: "b.yaml" },
      ],
      { color: false },
    );
    expect(plain).toBe(renderMermaid(a, "a.yaml", { color: false }) + "\n" + renderMermaid(b, "b.yaml", { color: false }));
    const fenced = renderMermaidAll(
      [
        { trace: a, file: "a.yaml" },
        { trace: b, file: "b.yaml" },
      ],
      { color: false, fences: true },
    );
    expect(fenced).toBe("```mermaid\n" + renderMermaid(a, "a.yaml", { color: false }) + "```\n\n```mermaid\n" + renderMermaid(b, "b.yaml", { color: false }) + "```\n");
  });

  it("wraps a sentence between words, never cutting it: lines of at most 80 code points, joined by <br>", () => {
    expect(WRAP).toBe(80);
    const sentence = "An interrupt handler's own fault at 0xffffffc0dead0000 was judged by the interrupted user access's state: a kernel bug is taken for a user access; the handler resolves it.";
    const lines = wrap(sentence).split("<br>");
    expect(lines).toEqual([
      "An interrupt handler's own fault at 0xffffffc0dead0000 was judged by the",
      "interrupted user access's state: a kernel bug is taken for a user access#59; the",
      "handler resolves it.",
    ]);
    // Every word is there, in order: joined by spaces again, the lines are the sentence (escaped).
    expect(lines.join(" ")).toBe(esc(sentence, Infinity));
    expect(wrap("short enough")).toBe("short enough");
    expect(wrap("")).toBe("");
  });

  it("keeps a word longer than a line whole, on a line of its own, and keeps runs of spaces as they were", () => {
    const long = "x".repeat(30);
    expect(wrap(`a b ${long} c d`, 10)).toBe(`a b<br>${long}<br>c d`);
    expect(wrap(long, 10)).toBe(long);
    // Broken at one space of a run: the lines joined by a space are the text again, byte for byte.
    expect(wrap("one  two   three", 10)).toBe("one  two  <br>three");
    expect(wrap("one  two   three", 10).split("<br>").join(" ")).toBe("one  two   three");
    // The text's own markup is escaped, so the <br> that wrap adds is the only one; a newline in it is a space.
    expect(wrap("a <br> b\nc", 80)).toBe("a #lt;br#gt; b c");
  });

  it("wraps a long panic message in a step's result, and a handler's reason, rather than cutting them", () => {
    const d = diagramOf("19-slice-length-overflow.yaml").split("\n");
    expect(d).toContain(
      "  Note over T_main: ◀ main#35;1 → panic: called #96;Result::unwrap()#96; on an #96;Err#96; value: LayoutError<br>(1152921504606846976 × 8 bytes exceeds isize::MAX)",
    );
    expect(diagramOf("47-starry-2025-12-fixup-only-in-user-copy.yaml").split("\n")).toContain(
      "    PF ->> T_main: unhandled: no area holds 0x51000: the handler returns false and only user_copy<br>has fixup entries: a kernel panic",
    );
  });

  it("names the race where a replayed schedule's race fires", () => {
    const file = "41-races-migration-two-cpus.yaml";
    const s = load(readFileSync(join(ROOT, "scenarios", file), "utf8"));
    const d = renderMermaid(witnessTrace(s, "migrate@main#1:flag-set", s.machine.strategy), `scenarios/${file}`, { color: false }).split("\n");
    expect(d.filter((l) => l.includes("⚡"))).toEqual(["  A_scheduler ->> T_main: ⚡ race migrate: move thread main to cpu1"]);
    // A race without a `by` comes from the generic actor, named all the same.
    const n = "42-races-nested-and-interrupt.yaml";
    const s2 = load(readFileSync(join(ROOT, "scenarios", n), "utf8"));
    const d2 = renderMermaid(witnessTrace(s2, "nested@main#1:flag-set", s2.machine.strategy), `scenarios/${n}`, { color: false }).split("\n");
    expect(d2.filter((l) => l.includes("⚡"))).toEqual(["  A_injected_event ->> T_main: ⚡ race nested: nested get_as_str on thread main"]);
    // The file's own events (not races) are drawn as before, with no race name.
    expect(diagramOf("24-migration-then-lazy-fault-panics.yaml").split("\n").filter((l) => l.includes("⚡"))).toEqual(["  A_scheduler__preemption_ ->> T_main: ⚡ move thread main to cpu1"]);
  });
});

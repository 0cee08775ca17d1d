// The report's pictures: lanes of the state timeline, areas and pages of the memory map, marks with their titles.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderMemoryMap } from "../../src/render/svg/memory-map.js";
import { renderTimeline } from "../../src/render/svg/timeline.js";
import { ROOT } from "../helpers/cli.js";
import { run } from "../sim/helpers.js";
import type { TraceEvent } from "../../src/sim/events.js";
import { standaloneSvg, SVG_GENERATOR } from "../../src/render/svg/standalone.js";
import { PLAIN_COLOURS, svgStyle, PAGE_COLOURS } from "../../src/render/svg/style.js";
import { FONT, fitText, textWidth } from "../../src/render/svg/type.js";
import { CSS } from "../../src/render/report/style.js";

const bundled = (name: string) => run(readFileSync(join(ROOT, "scenarios", name), "utf8"));

/** The SVG without its legend (which shows one of every mark). */
const drawing = (svg: string) => svg.slice(0, svg.indexOf('<g class="legend">'));
const all = (s: string, re: RegExp) => [...s.matchAll(re)].map((m) => m[1]);
/** The content of the memory map's row (`start` or `end`). */
const row = (svg: string, which: "start" | "end") =>
  which === "start" ? svg.slice(svg.indexOf('<g class="row start">'), svg.indexOf('<g class="row end">')) : svg.slice(svg.indexOf('<g class="row end">'), svg.indexOf('class="addr"'));
const unxml = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const titles = (s: string, cls: string) => all(s, new RegExp(`<g class="${cls}"[^>]*><title>([^<]*)</title>`, "g")).map((t) => unxml(t ?? ""));

describe("state timeline", () => {
  it("has one lane per CPU under the per-CPU flag", () => {
    const svg = renderTimeline(bundled("23-migration-mid-scan-percpu-flag.yaml"));
    expect(all(svg, /<g class="lane" data-lane="([^"]*)">/g)).toEqual(["cpu0", "cpu1"]);
    expect(all(svg, /class="lanelabel">([^<]*)</g)).toEqual(["ACCESSING_USER_MEM cpu0", "ACCESSING_USER_MEM cpu1"]);
  });

  it("has one lane per thread under the per-thread strategies, one per CPU where there is no state", () => {
    expect(all(renderTimeline(bundled("29-migration-per-thread-flag.yaml")), /<g class="lane" data-lane="([^"]*)">/g)).toEqual(["main"]);
    expect(all(renderTimeline(bundled("30-nested-nesting-counter.yaml")), /class="lanelabel">([^<]*)</g)).toEqual(["counter of thread main"]);
    const none = renderTimeline(bundled("31-exception-table-interrupt-bug.yaml"));
    expect(all(none, /class="lanelabel">([^<]*)</g)).toEqual(["cpu0: no state"]);
    expect(drawing(none)).not.toContain('class="state');
    expect(none).not.toContain("raised: accessing");
  });

  it("draws the state as runs over the events, raised while accessing, with the counter's value", () => {
    expect(titles(drawing(renderTimeline(bundled("01-seed-string-across-lazy-page.yaml"))), "state (?:on|off)")).toEqual([
      "cpu0 = false (events 1..2)",
      "cpu0 = true (events 3..10)",
      "cpu0 = false (events 11..12)",
    ]);
    const counter = drawing(renderTimeline(bundled("30-nested-nesting-counter.yaml")));
    expect(titles(counter, "state on")).toEqual(["main = 1 (events 3..7)", "main = 2 (events 8..10)", "main = 1 (events 11..17)"]);
    expect(all(counter, /<g class="state on">.*?<text[^>]*>([^<]*)<\/text>/g)).toEqual(["1", "2", "1"]);
  });

  it("marks faults by decision, injected events, hazards and migrations, each with a title", () => {
    const svg = drawing(renderTimeline(bundled("24-migration-then-lazy-fault-panics.yaml")));
    expect(titles(svg, "mark injected")).toEqual(["event 6: injected by scheduler (preemption): move thread main to cpu1"]);
    expect(titles(svg, "mark migrate")).toEqual(["event 7: thread main moves cpu0 → cpu1"]);
    expect(titles(svg, "running")).toEqual(["main runs on cpu0 (events 1..6)", "main runs on cpu1 (events 7..12)"]);
    expect(titles(svg, "mark hazard")).toEqual([expect.stringMatching(/^event 8: HAZARD migrated-in-access: Thread main moved from cpu0 to cpu1/)]);
    expect(titles(svg, "mark fault unhandled")).toEqual([
      "event 10: page fault at 0x161000, read, kernel mode: unhandled (kernel mode and is_accessing_user_memory() is false: a kernel bug)",
    ]);
    // The fault is drawn in cpu1's lane (the thread runs there by then), a cross with its word above it.
    expect(svg).toMatch(/<g class="mark fault unhandled"><title>[^<]*<\/title><path d="M[\d.]+ 1[0-9.]+L/);
  });

  it("draws marks that would overlap once, the title counting the others", () => {
    const t = run(`name: a string over 300 lazy pages
memory:
  - { name: buf, start: 0x10000000, pages: 300, perm: r, populate: false, contents: [{ at: 0x10000000, fill: 0x41, len: 0x12bfff }] }
threads: [{ name: main, steps: [{ op: get_as_str, ptr: 0x10000000 }] }]
`);
    expect(t.summary.faults).toBe(300);
    const marks = titles(drawing(renderTimeline(t)), "mark fault resolved");
    expect(marks.length).toBeGreaterThan(20);
    expect(marks.length).toBeLessThan(300);
    const counted = marks.map((m) => 1 + Number(/and (\d+) more like it/.exec(m)?.[1] ?? 0));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(300);
  });

  it("marks an event of a kind added after it with its fields in the title", () => {
    const t = bundled("01-seed-string-across-lazy-page.yaml");
    const at = t.events[3] as TraceEvent;
    const unknown = { seq: at.seq, thread: at.thread, step: at.step, cpu: at.cpu, flags: at.flags, kind: "future-kind", to: "b", to_cpu: 0 } as unknown as TraceEvent;
    const events = t.events.map((e, i) => (i === 3 ? unknown : e));
    expect(titles(drawing(renderTimeline({ ...t, events })), "mark other")).toEqual(["event 4: future-kind to=b to_cpu=0"]);
  });

  it("marks another thread switched in, in the lane of the CPU it preempts, and shows it running there", () => {
    const svg = drawing(renderTimeline(bundled("33-preempting-thread-clears-flag.yaml")));
    expect(titles(svg, "mark run")).toEqual(["event 7: thread b switched in on cpu0 by scheduler (preemption): get_as_str ptr=0x1c0000"]);
    expect(titles(svg, "running")).toEqual(["a runs on cpu0 (events 1..7)", "b runs on cpu0 (events 8..14)", "a runs on cpu0 (events 15..19)"]);
  });

  it("is the same text on every run", () => {
    const t = bundled("26-interrupt-in-access.yaml");
    expect(renderTimeline(t)).toBe(renderTimeline(bundled("26-interrupt-in-access.yaml")));
  });
});

describe("memory map", () => {
  it("has one area box per area in each row, its pages present or not at the start and at the end", () => {
    const svg = renderMemoryMap(bundled("01-seed-string-across-lazy-page.yaml")) ?? "";
    for (const which of ["start", "end"] as const) {
      expect(titles(row(svg, which), "area")).toEqual([`strings: 0x10000..0x12000, r--, 2 pages (at the ${which})`]);
    }
    expect(titles(row(svg, "start"), "page (?:present|absent)")).toEqual(["page 0x10000: present", "page 0x11000: not present"]);
    expect(titles(row(svg, "end"), "page (?:present|absent)")).toEqual(["page 0x10000: present", "page 0x11000: present"]);
    expect(all(svg, /class="arealabel">([^<]*)</g)).toEqual(["strings r--"]);
  });

  it("marks each step's range and each fault with the handler's decision", () => {
    const svg = drawing(renderMemoryMap(bundled("01-seed-string-across-lazy-page.yaml")) ?? "");
    expect(titles(svg, "range")).toEqual(['main#1 get_as_str 0x10ffa..0x11007 → ok "hello, world"']);
    expect(titles(svg, "mark fault resolved")).toEqual(["event 7: page fault at 0x11000, read, kernel mode: resolved (lazy page made present)"]);
    expect(all(svg, /class="decision"[^>]*>([^<]*)</g)).toEqual(["resolved"]);
  });

  it("gives a nested operation its own range row under its step", () => {
    const svg = drawing(renderMemoryMap(bundled("25-nested-access-clears-flag.yaml")) ?? "");
    expect(titles(svg, "range")).toEqual([
      "main#1 get_as_str 0x170ffe..0x171000 → panic: Unhandled kernel page fault @0x171000",
      'main#1 nested get_as_str 0x180000..0x180003 → ok "in"',
    ]);
  });

  it("gives another thread's run inside a step its own range row", () => {
    const svg = drawing(renderMemoryMap(bundled("33-preempting-thread-clears-flag.yaml")) ?? "");
    expect(titles(svg, "range")).toEqual([
      "a#1 get_as_str 0x1b0ffc..0x1b1000 → panic: Unhandled kernel page fault @0x1b1000",
      'a#1 ⇄ b get_as_str 0x1c0000..0x1c0003 → ok "-v"',
    ]);
  });

  it("keeps the run row of a thread whose name holds a / (kworker/0:1), and the nested row of a thread named kworker/net", () => {
    const source = (name: string) => readFileSync(join(ROOT, "scenarios", name), "utf8");
    const yaml = source("33-preempting-thread-clears-flag.yaml").replace(/\bname: a\b/, "name: kworker/0:1").replace(/thread: a,/, "thread: kworker/0:1,").replace(/\bname: b\b/, "name: x/n1").replace(/thread: b\b/, "thread: x/n1");
    const svg = drawing(renderMemoryMap(run(yaml)) ?? "");
    expect(titles(svg, "range")).toEqual([
      "kworker/0:1#1 get_as_str 0x1b0ffc..0x1b1000 → panic: Unhandled kernel page fault @0x1b1000",
      'kworker/0:1#1 ⇄ x/n1 get_as_str 0x1c0000..0x1c0003 → ok "-v"',
    ]);
    const nested = source("25-nested-access-clears-flag.yaml").replace(/\bname: main\b/, "name: kworker/net").replace(/thread: main\b/g, "thread: kworker/net");
    expect(titles(drawing(renderMemoryMap(run(nested)) ?? ""), "range")).toEqual([
      "kworker/net#1 get_as_str 0x170ffe..0x171000 → panic: Unhandled kernel page fault @0x171000",
      'kworker/net#1 nested get_as_str 0x180000..0x180003 → ok "in"',
    ]);
  });

  it("shows an area unmapped during the run as gone at the end, and a fault outside every area in a gap", () => {
    const freed = renderMemoryMap(bundled("12-freed-mid-scan.yaml")) ?? "";
    expect(titles(row(freed, "start"), "area")).toEqual(["buf: 0xb0000..0xb2000, r--, 2 pages (at the start)"]);
    expect(titles(row(freed, "end"), "area")).toEqual(["buf: 0xb0000..0xb1000, r--, 1 page (at the end)"]);
    const irq = drawing(renderMemoryMap(bundled("26-interrupt-in-access.yaml")) ?? "");
    expect(titles(irq, "hole")).toContain("no area: 0x191000..2^64");
    expect(titles(irq, "mark fault segv")).toHaveLength(1);
  });

  it("folds the pages nothing touched of a huge area into one cell", () => {
    const t = run(`name: huge lazy area
memory:
  - { name: heap, start: 0x10000000, size: 0x40000000, perm: rw, populate: false, present: [0x10000000] }
threads:
  - name: main
    steps:
      - { op: get, ptr: 0x20000000, type: u64, use: read }
`);
    const start = row(renderMemoryMap(t) ?? "", "start");
    expect(titles(start, "page[^\"]*")).toEqual([
      "page 0x10000000: present",
      "65535 pages 0x10001000..0x20000000: 0 present",
      "page 0x20000000: not present",
      "196606 pages 0x20001000..0x4ffff000: 0 present",
      "page 0x4ffff000: not present",
    ]);
  });
});

describe("pictures that scale with the page (issue 21 point 13)", () => {
  const SEED = "01-seed-string-across-lazy-page.yaml";
  const NAME = "seed example: a string that runs onto a page not mapped yet";

  it("have a viewBox and no width or height of their own", () => {
    const t = bundled(SEED);
    const timeline = renderTimeline(t);
    expect(timeline.slice(0, timeline.indexOf(">") + 1)).toBe(
      `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 944 202" role="img" aria-label="state timeline of ${NAME}">`,
    );
    const map = renderMemoryMap(t) ?? "";
    expect(map.slice(0, map.indexOf(">") + 1)).toBe(`<svg xmlns="http://www.w3.org/2000/svg" class="memory-map" viewBox="0 0 944 336" role="img" aria-label="memory map of ${NAME}">`);
  });

  it("take the figure's width in the report, height from the viewBox", () => {
    expect(CSS).toContain("figure svg { width: 100%; height: auto; display: block; }");
    expect(CSS).not.toContain("max-width: 100%");
  });

  it("have no text under 12 units: every font size of the pictures' stylesheet is one of type.ts's", () => {
    expect(FONT).toEqual({ heading: 14, body: 13, small: 12 });
    for (const css of [svgStyle(PAGE_COLOURS), svgStyle(PLAIN_COLOURS), CSS.slice(CSS.indexOf("svg text"))]) {
      const sizes = [...css.matchAll(/svg[^{]*\{[^}]*font-size: ([\d.]+)px/g)].map((m) => Number(m[1]));
      expect(sizes.length).toBeGreaterThan(10);
      expect(new Set(sizes)).toEqual(new Set([12, 13, 14]));
    }
  });

  it("cut a label to the room the layout gives it, at its font size, with an ellipsis", () => {
    expect(textWidth("abc", 10)).toBeCloseTo(18.6);
    expect(textWidth("ACCESSING_USER_MEM", 14)).toBeCloseTo(181.44);
    expect(fitText("main#1 get_as_str", 200, 13)).toBe("main#1 get_as_str");
    expect(fitText("main#1 get_as_str", 60, 13)).toBe("main#1…");
    expect(fitText("main", 5, 13)).toBe("");
    // A lane label longer than the room on the left is cut, at 14 units.
    const t = bundled(SEED);
    const long = { ...t, machine: { ...t.machine, strategy: "percpu-flag" as const }, stateKeys: ["cpu0-with-a-very-long-name-for-a-cpu"] };
    expect(all(renderTimeline(long), /class="lanelabel">([^<]*)</g)).toEqual(["ACCESSING_USER_MEM cpu…"]);
  });

  it("wrap the legend into rows that stay inside the picture", () => {
    // The migration run has injected events, a hazard and a migration; a race's event and another thread switched in are added, so every mark is in the legend.
    const t = bundled("24-migration-then-lazy-fault-panics.yaml");
    const inj = t.events.find((e) => e.kind === "injected") as TraceEvent;
    const added = [{ ...inj, race: "r" }, { ...inj, kind: "run", to: "b", to_cpu: 0, op: "get", args: "" }] as TraceEvent[];
    const svg = renderTimeline({ ...t, events: [...t.events, ...added].map((e, i) => ({ ...e, seq: i + 1 })) });
    const width = Number(/viewBox="0 0 (\d+) /.exec(svg)?.[1]);
    const items = [...svg.slice(svg.indexOf('<g class="legend">')).matchAll(/<g transform="translate\(([\d.]+) ([\d.]+)\)">.*?class="legendtext">([^<]*)</g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), label: m[3] ?? "" }));
    expect(items.map((i) => i.label)).toEqual([
      "raised: accessing user memory",
      "flat: not",
      "injected event",
      "race (its name beside it)",
      "hazard",
      "migration",
      "thread switched in",
      "thread running on the CPU",
      "fault: panic",
    ]);
    for (const i of items) expect(i.x + 16 + textWidth(i.label, FONT.body)).toBeLessThanOrEqual(width);
    // Three rows: the marks wrap once, and the decisions start a row of their own.
    expect([...new Set(items.map((i) => i.y))]).toHaveLength(3);
    expect(items[items.length - 1]?.x).toBe(8);
    // The picture's height makes room for them.
    expect(Number(/viewBox="0 0 \d+ (\d+)"/.exec(svg)?.[1])).toBeGreaterThan(Math.max(...items.map((i) => i.y)) + 8);
  });
});

describe("a picture alone (report --svg)", () => {
  it("is a document of its own: XML prolog, the generator mark, the svg with a title, its stylesheet with colours written out, a white sheet", () => {
    const svg = renderTimeline(bundled("01-seed-string-across-lazy-page.yaml"));
    const alone = standaloneSvg(svg, 'state timeline of <a> & "b"');
    const open = svg.slice(0, svg.indexOf(">") + 1);
    expect(alone).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n${SVG_GENERATOR}\n${open}<title>state timeline of &lt;a&gt; &amp; &quot;b&quot;</title><style>${svgStyle(PLAIN_COLOURS)}</style><rect class="sheet" width="100%" height="100%" fill="#ffffff"/>${svg.slice(open.length)}\n`,
    );
    expect(SVG_GENERATOR).toBe("<!-- generator: axptr-sim report, a picture alone -->");
    // A comment may not hold "--" (XML 1.0): the mark is well-formed.
    expect(SVG_GENERATOR.slice(4, -3)).not.toContain("--");
    expect(svgStyle(PLAIN_COLOURS)).not.toContain("var(");
    expect(svgStyle(PAGE_COLOURS)).toContain("fill: var(--ink)");
  });
});

// The pictures in a real browser: every bundled scenario's Mermaid diagram
// rendered by the real `mermaid` package, and reports opened from file:// in
// headless Chromium (no console errors, one lane per CPU or thread, one area
// box per area, a screenshot). One browser for every case.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMermaid } from "../../src/render/mermaid/index.js";
import { renderReport } from "../../src/render/report/index.js";
import { findChromium, inCI } from "../helpers/browser.js";
import { ROOT } from "../helpers/cli.js";
import { load } from "../sim/helpers.js";
import { simulate } from "../../src/sim/simulate.js";
import type { Trace } from "../../src/sim/events.js";
import { explore } from "../../src/explore/explore.js";
import { witnessTrace } from "../../src/explore/witness.js";
import { renderRaces, timelineClasses } from "../../src/render/report/races.js";
import { renderTimeline } from "../../src/render/svg/timeline.js";
import { renderMemoryMap } from "../../src/render/svg/memory-map.js";
import { standaloneSvg } from "../../src/render/svg/standalone.js";

const chromium = findChromium();
if (!chromium && !inCI()) {
  process.stderr.write(
    "\n*** BROWSER TESTS SKIPPED: no chromium on this machine (apt-get install -y chromium, or set CHROMIUM_PATH). In CI they run and fail without it. ***\n\n",
  );
}
const SCENARIOS = join(ROOT, "scenarios");
const bundled = readdirSync(SCENARIOS)
  .filter((f) => f.endsWith(".yaml"))
  .sort();
const HOSTILE = `name: 'end: a title; with # and %% and "quotes" and <br> and \`ticks\` ->> arrows'
memory: [{ name: x, start: 0x10000, pages: 1, perm: r }]
threads: [{ name: main, steps: [{ op: get, ptr: 0x10000, type: u8 }] }]
events:
  - { when: { thread: main, step: 1, at: before-step }, do: { frames: 1 }, by: 'end: as participant ->> x; y # z %% c' }
  - { when: { thread: main, step: 1, at: after-step }, do: { frames: 2 }, by: 'alt' }
`;
const traceOf = (name: string) => simulate(load(readFileSync(join(SCENARIOS, name), "utf8")));

describe.skipIf(!chromium && !inCI())("in headless Chromium", () => {
  let browser: Browser;
  let dir: string;
  const errors: string[] = [];

  async function openPage(): Promise<Page> {
    const page = await browser.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warn") errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => errors.push(`page error: ${String(e)}`));
    page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
    return page;
  }

  beforeAll(async () => {
    if (!chromium) throw new Error("CI is set and no chromium was found: install it (apt-get install -y chromium) or set CHROMIUM_PATH");
    dir = mkdtempSync(join(tmpdir(), "axptr-browser-"));
    browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ["--no-sandbox", "--disable-gpu", "--font-render-hinting=none"] });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("renders every bundled scenario's Mermaid diagram with the real mermaid package", async () => {
    errors.length = 0;
    const page = await openPage();
    await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="out"></div></body></html>');
    await page.addScriptTag({ path: join(ROOT, "node_modules", "mermaid", "dist", "mermaid.min.js") });
    await page.evaluate(() => (globalThis as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({ startOnLoad: false, securityLevel: "strict" }));
    const failures: string[] = [];
    // Every bundled scenario, one whose every text is hostile to Mermaid's syntax, and replayed races (named where they fire).
    const replayed = (name: string, token: string): [string, Trace] => {
      const s = load(readFileSync(join(SCENARIOS, name), "utf8"));
      return [`${name} --replay ${token}`, witnessTrace(s, token, s.machine.strategy)];
    };
    const cases: [string, Trace][] = [
      ...bundled.map((name): [string, Trace] => [name, traceOf(name)]),
      ["hostile text", simulate(load(HOSTILE))],
      replayed("41-races-migration-two-cpus.yaml", "migrate@main#1:flag-set"),
      replayed("42-races-nested-and-interrupt.yaml", "nested@main#1:flag-set"),
      replayed("44-races-other-thread-syscall.yaml", "syscall@a#1:flag-set"),
    ];
    for (const [i, [name, trace]] of cases.entries()) {
      const text = renderMermaid(trace, `scenarios/${name}`, { color: false });
      const r = await page.evaluate(
        async (text: string, id: string) => {
          const m = (globalThis as unknown as { mermaid: { render(id: string, text: string): Promise<{ svg: string }> } }).mermaid;
          try {
            const { svg } = await m.render(id, text);
            const out = document.getElementById("out") as HTMLElement;
            out.innerHTML = svg;
            return { ok: out.querySelector("svg") !== null && !svg.includes("Syntax error"), messages: out.querySelectorAll(".messageText, .noteText").length };
          } catch (e) {
            return { ok: false, messages: 0, error: String(e) };
          }
        },
        text,
        `d${i}`,
      );
      if (!r.ok || r.messages === 0) failures.push(`${name}: ${"error" in r ? r.error : "no diagram"}`);
    }
    expect(failures).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("draws a hazard's whole sentence in Mermaid on lines of its own, and a replayed race's name", async () => {
    errors.length = 0;
    const page = await openPage();
    await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="out"></div></body></html>');
    await page.addScriptTag({ path: join(ROOT, "node_modules", "mermaid", "dist", "mermaid.min.js") });
    await page.evaluate(() => (globalThis as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({ startOnLoad: false, securityLevel: "strict" }));
    const s = load(readFileSync(join(SCENARIOS, "41-races-migration-two-cpus.yaml"), "utf8"));
    const text = renderMermaid(witnessTrace(s, "migrate@main#1:flag-set", s.machine.strategy), "scenarios/41-races-migration-two-cpus.yaml", { color: false });
    const seen = await page.evaluate(async (text: string) => {
      const m = (globalThis as unknown as { mermaid: { render(id: string, text: string): Promise<{ svg: string }> } }).mermaid;
      const { svg } = await m.render("wrapped", text);
      const out = document.getElementById("out") as HTMLElement;
      out.innerHTML = svg;
      return {
        notes: [...out.querySelectorAll(".noteText")].map((n) => n.textContent ?? ""),
        messages: [...out.querySelectorAll(".messageText")].map((n) => n.textContent ?? ""),
      };
    }, text);
    // Mermaid draws each line of a note as a text of its own: the hazard is three lines, the last one ends the sentence.
    const at = seen.notes.findIndex((n) => n.startsWith("⚠ HAZARD migrated-in-access:"));
    expect(seen.notes.slice(at, at + 3)).toEqual([
      "⚠ HAZARD migrated-in-access: Thread main moved from cpu0 to cpu1 in the middle",
      "of a user access: its protection stayed on cpu0, so a fault on cpu1 will panic,",
      'and cpu0 says "accessing" for whatever runs there next.',
    ]);
    expect(seen.messages).toContain("⚡ race migrate: move thread main to cpu1");
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("opens a picture alone (report --svg) from file:// at two window widths: it fills the width and its text grows with it", async () => {
    errors.length = 0;
    const trace = traceOf("24-migration-then-lazy-fault-panics.yaml");
    const measure = async (file: string, width: number, label: string) => {
      const page = await openPage();
      // Tall enough that the width decides the scale (a picture alone keeps its aspect ratio within the window).
      await page.setViewport({ width, height: 4 * width });
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      const seen = await page.evaluate((label: string) => {
        const root = document.documentElement;
        const text = root.querySelector(`text.${label}`) as SVGTextElement;
        const sheet = root.querySelector("rect.sheet") as SVGRectElement;
        return {
          root: root.tagName,
          parseErrors: document.getElementsByTagName("parsererror").length,
          width: root.getBoundingClientRect().width,
          viewBox: (root as unknown as SVGSVGElement).viewBox.baseVal.width,
          fontSize: getComputedStyle(text).fontSize,
          fontWeight: getComputedStyle(text).fontWeight,
          fill: getComputedStyle(text).fill,
          // Pixels on the screen per unit of the picture, and the label's drawn width.
          scale: (text.getScreenCTM() as DOMMatrix).a,
          textWidth: text.getBoundingClientRect().width,
          sheetFill: getComputedStyle(sheet).fill,
        };
      }, label);
      await page.screenshot({ path: file.replace(/\.svg$/, `-${width}.png`) });
      await page.close();
      return seen;
    };
    for (const [picture, svg, label] of [
      ["timeline", renderTimeline(trace), "lanelabel"],
      ["memory", renderMemoryMap(trace) ?? "", "rowlabel"],
    ] as const) {
      const file = join(dir, `${picture}.svg`);
      writeFileSync(file, standaloneSvg(svg, `${picture} of ${trace.scenario.name}`));
      const narrow = await measure(file, 700, label);
      const wide = await measure(file, 1400, label);
      for (const seen of [narrow, wide]) {
        expect(seen.root).toBe("svg");
        expect(seen.parseErrors).toBe(0);
        // Its own stylesheet applies: 14-unit bold labels in the ink colour, on a white sheet.
        expect(seen.fontSize).toBe("14px");
        expect(Number(seen.fontWeight)).toBeGreaterThanOrEqual(600);
        expect(seen.fill).toBe("rgb(29, 35, 42)");
        expect(seen.sheetFill).toBe("rgb(255, 255, 255)");
      }
      expect(narrow.width).toBeCloseTo(700, 0);
      expect(wide.width).toBeCloseTo(1400, 0);
      // Twice the window, twice the text: a 14-unit label is drawn at 14 × 700/W and 14 × 1400/W pixels.
      expect(narrow.scale).toBeCloseTo(700 / narrow.viewBox, 3);
      expect(wide.scale).toBeCloseTo(1400 / wide.viewBox, 3);
      expect(wide.textWidth / narrow.textWidth).toBeGreaterThan(1.95);
      expect(wide.textWidth / narrow.textWidth).toBeLessThan(2.05);
    }
    expect(errors).toEqual([]);
  }, 60_000);

  it("lets the report's pictures take the page's width at two window widths", async () => {
    errors.length = 0;
    const trace = traceOf("24-migration-then-lazy-fault-panics.yaml");
    const file = join(dir, "scaled.html");
    writeFileSync(file, renderReport([{ file: "scenarios/24-migration-then-lazy-fault-panics.yaml", trace }], { color: false }));
    const sizes: { figure: number; svg: number; label: number }[] = [];
    for (const width of [800, 1600]) {
      const page = await openPage();
      await page.setViewport({ width, height: 900 });
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      sizes.push(
        await page.evaluate(() => ({
          figure: (document.querySelector("figure.timeline") as HTMLElement).getBoundingClientRect().width,
          svg: (document.querySelector("figure.timeline svg") as SVGSVGElement).getBoundingClientRect().width,
          label: ((document.querySelector("figure.timeline text.lanelabel") as SVGTextElement).getScreenCTM() as DOMMatrix).a,
        })),
      );
      await page.close();
    }
    const [narrow, wide] = sizes as [(typeof sizes)[number], (typeof sizes)[number]];
    // The body's padding is 32 px a side: the figure is the page less 64, and the picture fills it.
    expect(narrow.figure).toBeCloseTo(800 - 64, 0);
    expect(wide.figure).toBeCloseTo(1600 - 64, 0);
    expect(narrow.svg).toBeCloseTo(narrow.figure, 0);
    expect(wide.svg).toBeCloseTo(wide.figure, 0);
    // The labels' scale follows the picture's width.
    expect(wide.label / narrow.label).toBeCloseTo(wide.svg / narrow.svg, 3);
    expect(errors).toEqual([]);
  }, 60_000);

  // The seed example, the migration on two CPUs, and injected events with a hazard (an interrupt).
  it.each([
    ["01-seed-string-across-lazy-page.yaml", ["cpu0"]],
    ["24-migration-then-lazy-fault-panics.yaml", ["cpu0", "cpu1"]],
    ["26-interrupt-in-access.yaml", ["cpu0"]],
    ["30-nested-nesting-counter.yaml", ["main"]],
    ["34-preempting-thread-per-thread-flag.yaml", ["a", "b"]],
  ])("opens the report of %s from file:// without errors: lanes %j, one box per area, a screenshot", async (name, lanes) => {
    errors.length = 0;
    const trace = traceOf(name);
    const file = join(dir, name.replace(/\.yaml$/, ".html"));
    writeFileSync(file, renderReport([{ file: `scenarios/${name}`, trace }], { color: false }));
    const page = await openPage();
    await page.setViewport({ width: 1100, height: 800 });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const seen = await page.evaluate(() => ({
      lanes: [...document.querySelectorAll("svg.timeline g.lane")].map((g) => g.getAttribute("data-lane")),
      startAreas: document.querySelectorAll("svg.memory-map g.row.start g.area").length,
      areaWidths: [...document.querySelectorAll("svg.memory-map g.row.start g.area rect")].map((r) => (r as SVGGraphicsElement).getBBox().width),
      timelineWidth: (document.querySelector("svg.timeline") as SVGSVGElement).getBoundingClientRect().width,
      faults: [...document.querySelectorAll("svg.timeline .mark.fault")].filter((m) => m.closest(".legend") === null).length,
      scripts: document.scripts.length,
    }));
    expect(seen.lanes).toEqual(lanes);
    expect(seen.startAreas).toBe(trace.memory?.start.areas.length);
    expect(seen.areaWidths.every((w) => w > 10)).toBe(true);
    expect(seen.timelineWidth).toBeGreaterThan(300);
    expect(seen.faults).toBe(trace.summary.faults);
    expect(seen.scripts).toBe(0);
    const png = file.replace(/\.html$/, ".png");
    await page.screenshot({ path: png, fullPage: true });
    expect(readFileSync(png).subarray(1, 4).toString()).toBe("PNG");
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);

  it("opens a report with races without errors: one witness timeline per class shown, race marks named", async () => {
    errors.length = 0;
    const name = "41-races-migration-two-cpus.yaml";
    const s = load(readFileSync(join(SCENARIOS, name), "utf8"));
    const r = explore(s, { depth: s.explore?.depth ?? 1, strategy: s.machine.strategy });
    const shown = timelineClasses(r);
    const races = renderRaces(r, new Map(shown.map((i) => [i, witnessTrace(s, r.classes[i]?.witness ?? "", s.machine.strategy)])), {
      file: `scenarios/${name}`,
      never: s.explore?.never ?? [],
      hazardsForbidden: s.explore?.hazards === "forbidden",
    });
    const file = join(dir, "races.html");
    writeFileSync(file, renderReport([{ file: `scenarios/${name}`, trace: simulate(s), sections: [races] }], { color: false }));
    const page = await openPage();
    await page.setViewport({ width: 1100, height: 800 });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const seen = await page.evaluate(() => ({
      classes: document.querySelectorAll("div.races li.class").length,
      timelines: [...document.querySelectorAll("div.races li.class")].map((li) => li.querySelectorAll("figure.witness svg.timeline").length),
      lanes: [...document.querySelectorAll("div.races svg.timeline")].map((svg) => [...svg.querySelectorAll("g.lane")].map((g) => g.getAttribute("data-lane")).join(",")),
      widths: [...document.querySelectorAll("div.races svg.timeline")].map((svg) => svg.getBoundingClientRect().width),
      raceTitles: [...document.querySelectorAll("div.races svg .mark.injected.race title")].map((t) => t.textContent ?? ""),
      raceLabels: [...document.querySelectorAll("div.races svg .mark.injected.race text.racelabel")].map((t) => (t as SVGGraphicsElement).getBBox().width),
      scripts: document.scripts.length,
    }));
    expect(seen.classes).toBe(r.classes.length);
    expect(shown).toHaveLength(r.classes.length);
    expect(seen.timelines).toEqual(r.classes.map(() => 1));
    expect(seen.lanes).toEqual(r.classes.map(() => "cpu0,cpu1"));
    expect(seen.widths.every((w) => w > 300)).toBe(true);
    const fired = r.classes.filter((c) => c.witness !== "").length;
    expect(seen.raceTitles).toHaveLength(fired);
    expect(seen.raceTitles.every((t) => /^event \d+: race [a-z][a-z0-9_-]*/.test(t))).toBe(true);
    expect(seen.raceLabels.every((w) => w > 5)).toBe(true);
    expect(seen.scripts).toBe(0);
    await page.screenshot({ path: file.replace(/\.html$/, ".png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);
});

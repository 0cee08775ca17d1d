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
    // Every bundled scenario, and one whose every text is hostile to Mermaid's syntax.
    const cases: [string, Trace][] = [...bundled.map((name): [string, Trace] => [name, traceOf(name)]), ["hostile text", simulate(load(HOSTILE))]];
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
});

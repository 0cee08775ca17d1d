// Regenerates docs/report.png, the README's picture of a report: the report of
// the migration scenario (two CPUs, a hazard, a fault), made by the built CLI
// and photographed in headless Chromium. `npm run screenshot` (builds first).
// A PNG depends on the machine's fonts, so it is regenerated, not compared.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const SCENARIO = "scenarios/24-migration-then-lazy-fault-panics.yaml";
const OUT = "docs/report.png";
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const dir = mkdtempSync(join(tmpdir(), "axptr-screenshot-"));
const html = join(dir, "report.html");
execFileSync(process.execPath, ["bin/axptr-sim.js", "report", SCENARIO, "-o", html], { stdio: "inherit" });
const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ["--no-sandbox", "--disable-gpu", "--font-render-hinting=none"] });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1000, height: 800, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(html).href, { waitUntil: "load" });
  // From the top of the page to the end of the state timeline: the summary and both pictures.
  const bottom = await page.evaluate(() => {
    const fig = document.querySelector("figure.timeline");
    return fig ? Math.ceil(fig.getBoundingClientRect().bottom + window.scrollY + 16) : 1200;
  });
  mkdirSync("docs", { recursive: true });
  await page.screenshot({ path: OUT, clip: { x: 0, y: 0, width: 1000, height: bottom } });
  console.log(`wrote ${OUT}`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}

// Regenerates docs/report.png, the README's picture of a report: the report of
// a file with races (a scan on cpu0 that the scheduler may move to cpu1: two
// CPUs, a hazard, a panic), made by the built CLI and photographed in headless
// Chromium, from the top through the Races section's first class where a race
// fires, its witness's timeline with the race named. `npm run screenshot`
// (builds first). A PNG depends on the machine's fonts, so it is regenerated,
// not compared.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const SCENARIO = "scenarios/41-races-migration-two-cpus.yaml";
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
  // From the top of the page to the end of the first class whose witness fires a race: the summary, both pictures, the Races section's summary and its first classes.
  const bottom = await page.evaluate(() => {
    const fired = [...document.querySelectorAll("div.races li.class")].find((li) => li.querySelector("figure.witness .mark.injected.race") !== null);
    return fired ? Math.ceil(fired.getBoundingClientRect().bottom + window.scrollY + 16) : undefined;
  });
  if (bottom === undefined) throw new Error(`${SCENARIO}: its report has no class where a race fires: choose another scenario for the screenshot`);
  mkdirSync("docs", { recursive: true });
  await page.screenshot({ path: OUT, clip: { x: 0, y: 0, width: 1000, height: bottom } });
  console.log(`wrote ${OUT}`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}

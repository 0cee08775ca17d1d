// The report's Races section: the exploration's summary, every class with its
// verdict (a word and a mark), witness and replay command, and the witness's
// timeline (race events named) for the classes under the cap.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { explore, type ExploreResult } from "../../src/explore/explore.js";
import { witnessTrace } from "../../src/explore/witness.js";
import { renderRaces, timelineClasses, MAX_RACE_TIMELINES, type RacesOptions } from "../../src/render/report/races.js";
import { renderReport } from "../../src/render/report/index.js";
import type { Scenario } from "../../src/scenario/validate.js";
import type { StrategyName } from "../../src/sim/simulate.js";
import { simulate } from "../../src/sim/simulate.js";
import { ROOT } from "../helpers/cli.js";
import { load } from "../sim/helpers.js";

const FILE = "scenarios/39-races-seed-munmap-evict.yaml";
const seed39 = load(readFileSync(join(ROOT, FILE), "utf8"));

function section(s: Scenario, strategy: StrategyName, max = MAX_RACE_TIMELINES, strategyArg?: string): { r: ExploreResult; html: string } {
  const r = explore(s, { depth: s.explore?.depth ?? 1, strategy });
  const witnesses = new Map(timelineClasses(r, max).map((i) => [i, witnessTrace(s, r.classes[i]?.witness ?? "", strategy)]));
  const o: RacesOptions = { file: FILE, never: s.explore?.never ?? [], hazardsForbidden: s.explore?.hazards === "forbidden", maxTimelines: max, ...(strategyArg ? { strategyArg } : {}) };
  const sec = renderRaces(r, witnesses, o);
  expect(sec.id).toBe("races");
  expect(sec.title).toBe("Races");
  return { r, html: sec.html };
}

const lines = (html: string) => html.split("\n");
const noSvg = (html: string) => html.replace(/<svg[\s\S]*?<\/svg>/g, "<svg/>");

describe("Races section", () => {
  it("lists every class of scenario 39 with its count, share, outcome, steps, hazards, verdict, witness and replay command, and a timeline each", () => {
    const { html } = section(seed39, "percpu-flag");
    expect(lines(noSvg(html))).toEqual([
      '<div class="races">',
      '<p class="races-summary">369 schedules, 3 classes: <span class="badge good">✓ no violations</span> <span class="dim">(depth 2, strategy percpu-flag, never: panic, hazards: allowed)</span></p>',
      `<p class="dim">Every way the file's races can fire up to the depth, run once each and grouped by what came out (as <code>axptr-sim explore ${FILE}</code> prints it). Each class names its witness, the first schedule that gave it, and the command that runs it.</p>`,
      '<ol class="classes">',
      '<li class="class" data-class="1">',
      '<p class="classhead"><span class="badge good verdict">✓ allowed</span> <b>class 1</b>: 66 schedules (17.9%), outcome <span class="badge good">completed</span></p>',
      '<ul class="checks steps"><li class="mono">main#1 get_as_str: ok &quot;hello, world&quot;</li></ul>',
      "<p>hazards: none</p>",
      `<p>witness: <code>(the schedule where no race fires)</code> (schedule 0 of the exploration); replay: <code class="replay">axptr-sim run ${FILE} --replay &#39;&#39;</code></p>`,
      '<figure class="timeline witness"><svg/><figcaption>The witness&#39;s state timeline: no race fires in it.</figcaption></figure>',
      "</li>",
      '<li class="class" data-class="2">',
      '<p class="classhead"><span class="badge good verdict">✓ allowed</span> <b>class 2</b>: 164 schedules (44.4%), outcome <span class="badge good">completed</span></p>',
      '<ul class="checks steps"><li class="mono">main#1 get_as_str: err EFAULT</li></ul>',
      "<p>hazards: none</p>",
      `<p>witness: <code>munmap@main#1:before-step</code> (schedule 1 of the exploration); replay: <code class="replay">axptr-sim run ${FILE} --replay &#39;munmap@main#1:before-step&#39;</code></p>`,
      '<figure class="timeline witness"><svg/><figcaption>The witness&#39;s state timeline; each race that fires is a ⚡ mark labelled with its name (munmap). Hover a mark for its event.</figcaption></figure>',
      "</li>",
      '<li class="class" data-class="3">',
      '<p class="classhead"><span class="badge good verdict">✓ allowed</span> <b>class 3</b>: 139 schedules (37.7%), outcome <span class="badge bad">killed</span></p>',
      '<ul class="checks steps"><li class="mono">main#1 get_as_str: killed (SIGSEGV)</li></ul>',
      "<p>hazards: none</p>",
      `<p>witness: <code>munmap@main#1:before-read[6]</code> (schedule 23 of the exploration); replay: <code class="replay">axptr-sim run ${FILE} --replay &#39;munmap@main#1:before-read[6]&#39;</code></p>`,
      '<figure class="timeline witness"><svg/><figcaption>The witness&#39;s state timeline; each race that fires is a ⚡ mark labelled with its name (munmap). Hover a mark for its event.</figcaption></figure>',
      "</li>",
      "</ol>",
      "</div>",
    ]);
  });

  it("draws each timeline from the witness's own run: the race's event marked, titled and labelled with the race's name", () => {
    const { html } = section(seed39, "percpu-flag");
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(3);
    // Class 1's witness fires no race: its timeline is the plain run's.
    expect(svgs[0]).toBe((renderReport([{ file: FILE, trace: simulate(seed39) }], { color: false }).match(/<svg [^>]*class="timeline"[\s\S]*?<\/svg>/) ?? [])[0]);
    expect(svgs[0]).not.toContain("mark injected");
    const races = (svg: string) => [...svg.matchAll(/<g class="mark injected race" data-race="([^"]+)"><title>([^<]*)<\/title><path [^>]*\/><text [^>]*class="racelabel">([^<]*)<\/text><\/g>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(races(svgs[1] as string)).toEqual([["munmap", "event 2: race munmap by thread2: unmap 0x11000..0x12000", "munmap"]]);
    // The legend says what the named bolt is; the plain run's has no such item.
    expect(svgs[1]).toContain('<text x="16" y="4" class="legendtext">race (its name beside it)</text>');
    expect(svgs[1]).not.toContain(">injected event<");
    expect(svgs[0]).not.toContain("race (its name beside it)");
    expect(races(svgs[2] as string)).toEqual([["munmap", "event 7: race munmap by thread2: unmap 0x11000..0x12000", "munmap"]]);
  });

  it("marks a violating class with a word and a sign, not colour alone, and names the strategy in its replay command", () => {
    const { r, html } = section(seed39, "none", MAX_RACE_TIMELINES, "none");
    expect(r.violations).toBe(97);
    const text = noSvg(html);
    expect(lines(text)[1]).toBe(
      '<p class="races-summary">141 schedules, 2 classes: <span class="badge bad">✗ 1 class violating (97 schedules)</span> <span class="dim">(depth 2, strategy none, never: panic, hazards: allowed)</span></p>',
    );
    expect(text).toContain(
      '<li class="class violates" data-class="1">\n<p class="classhead"><span class="badge bad verdict">✗ VIOLATES never: panic</span> <b>class 1</b>: 97 schedules (68.8%), outcome <span class="badge bad">panic</span></p>',
    );
    expect(text).toContain(`replay: <code class="replay">axptr-sim run ${FILE} --strategy none --replay &#39;&#39;</code>`);
    expect(text).toContain('<li class="class" data-class="2">\n<p class="classhead"><span class="badge good verdict">✓ allowed</span> <b>class 2</b>');
    expect(text.match(/✗ VIOLATES/g)).toHaveLength(1);
  });

  it("says why under hazards: forbidden", () => {
    // Scenario 41 has classes with hazards (its outcome golden shows them); forbid them.
    const s41 = load(readFileSync(join(ROOT, "scenarios/41-races-migration-two-cpus.yaml"), "utf8"));
    const s = { ...s41, explore: { ...(s41.explore ?? {}), never: [], hazards: "forbidden" as const } } as Scenario;
    const r = explore(s, { depth: s.explore?.depth ?? 1, strategy: s.machine.strategy });
    const html = renderRaces(r, new Map(), { file: FILE, never: [], hazardsForbidden: true });
    const violating = r.classes.filter((c) => c.violates);
    expect(violating.length).toBeGreaterThan(0);
    expect(html.html.match(/✗ VIOLATES hazards: forbidden/g)?.length ?? 0).toBe(violating.length);
    expect(html.html.match(/<li class="class violates"/g)?.length ?? 0).toBe(violating.length);
    expect(html.html).toContain('<p>hazards: <span class="badge warn">⚠ migrated-in-access</span></p>');
    // No witness given: no timeline, and the line says all are listed without one.
    expect(html.html).not.toContain("<figure");
    expect(html.html).toContain(`Timelines are drawn for 0 of the ${r.classes.length} classes`);
  });

  it("caps the timelines: the violating classes first, a line saying how many are left without one", () => {
    const { r } = section(seed39, "none");
    expect(timelineClasses(r, 20)).toEqual([0, 1]);
    expect(timelineClasses(r, 1)).toEqual([0]);
    const ok = explore(seed39, { depth: 2, strategy: "percpu-flag" });
    expect(timelineClasses(ok, 2)).toEqual([0, 1]);
    expect(timelineClasses(ok, 0)).toEqual([]);
    // Violating class last: it is still drawn first when the cap is 1.
    const flipped: ExploreResult = { ...ok, classes: ok.classes.map((c, i) => ({ ...c, violates: i === 2 })) };
    expect(timelineClasses(flipped, 1)).toEqual([2]);

    const { html } = section(seed39, "percpu-flag", 1);
    expect(html.match(/<figure class="timeline witness">/g)).toHaveLength(1);
    expect(html.match(/<li class="class/g)).toHaveLength(3);
    expect(lines(html).slice(-2)).toEqual([
      '<p class="races-more">Timelines are drawn for 1 of the 3 classes (at most 1: the violating ones first, then in class order); 2 more classes are listed without one: run the replay command to see its witness.</p>',
      "</div>",
    ]);
    expect(section(seed39, "percpu-flag").html).not.toContain("races-more");
    expect(MAX_RACE_TIMELINES).toBe(20);
  });

  it("is byte-identical from run to run", () => {
    expect(section(seed39, "percpu-flag").html).toBe(section(seed39, "percpu-flag").html);
  });
});

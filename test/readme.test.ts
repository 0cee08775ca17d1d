// The README and docs/ show real output: their examples are checked against the tool.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EVENT_KINDS } from "../src/sim/events.js";
import { cli } from "./helpers/cli.js";
import { readDoc, section } from "./helpers/docs.js";

const readme = readDoc("README.md");
const format = readDoc("docs/format.md");
const SEED = "scenarios/01-seed-string-across-lazy-page.yaml";

describe("README", () => {
  it("opens with the two commands a newcomer types: install and run the seed example, then the tests", () => {
    const first = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(first.split("\n")[0]).toMatch(/^npm ci && npx axptr-sim run scenarios\/01-seed-string-across-lazy-page\.yaml\s+#/);
    expect(first.split("\n")[1]).toMatch(/^npm test\s+#/);
  });

  it("shows the seed example's trace exactly as `run` prints it", () => {
    const shown = /```\n(scenario {2}seed example[\s\S]*?)```/.exec(readme)?.[1];
    const r = cli(["run", SEED]);
    expect(r.code).toBe(0);
    expect(shown).toBe(r.stdout);
  });

  it("shows the seed example's Mermaid diagram exactly as `run --format mermaid` draws it", () => {
    const shown = /```mermaid\n([\s\S]*?)```/.exec(readme)?.[1];
    const r = cli(["run", "--format", "mermaid", SEED]);
    expect(r.code).toBe(0);
    expect(shown).toBe(r.stdout);
  });

  it("runs the scenario of \"Writing a scenario\" as written: its expectation met, its schema line first", () => {
    const block = /```yaml\n([\s\S]*?)```/.exec(section(readme, "## Writing a scenario"))?.[1] ?? "";
    expect(block.split("\n")[0]).toBe("# yaml-language-server: $schema=../schema/scenario.schema.json");
    const r = cli(["run", "-", "--quiet"], { input: block });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  ✓ main#1 get_as_str ptr=0x10ffa → ok "hello, world"  (expected ok "hello, world")\n');
  });

  it("shows a committed screenshot of a report (docs/pictures.md)", () => {
    expect(readDoc("docs/pictures.md")).toContain("![The report of scenario 24: summary, memory map and state timeline](report.png)");
    expect(readFileSync(new URL("../docs/report.png", import.meta.url)).subarray(1, 4).toString()).toBe("PNG");
  });

  it.each(["01", "11", "24", "25", "26", "27", "32", "33", "38"])("shows `compare` on scenario %s as it prints it (docs/designs.md)", (n) => {
    const r = cli(["compare", `scenarios/${n}-${nameOf(n)}`]);
    expect(r.code).toBe(0);
    const table = r.stdout.split("\n").slice(3).join("\n");
    expect(readDoc("docs/designs.md")).toContain("```\n" + table + "```");
  });
});

describe("docs: the run action (behaviour.md) and the JSON event kinds (format.md)", () => {
  it("shows scenario 33's trace rows exactly as `run` prints them", () => {
    const shown = /```\n( {2}1 {4}0 {2}a {10}1 [\s\S]*?)```/.exec(readDoc("docs/behaviour.md"))?.[1];
    const r = cli(["run", "scenarios/33-preempting-thread-clears-flag.yaml"]);
    expect(r.code).toBe(0);
    expect(shown).toBeDefined();
    const rows = r.stdout.split("\n").filter((l) => /^ *\d+ {4}\d {2}/.test(l));
    expect(shown).toBe(rows.join("\n") + "\n");
  });

  it("documents every event kind the simulator can emit, in one table, each once", () => {
    const kinds = [...section(format, "## JSON event kinds").matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(kinds).toEqual([...EVENT_KINDS]);
  });
});

describe("docs/format.md's syscall-shapes example", () => {
  it("runs as its comments say: argv[0] read holding fs, no argv[1] so not-run with why", () => {
    const start = format.indexOf("name: execve copies argv while holding the fs lock");
    expect(start).toBeGreaterThan(0);
    const text = format.slice(start, format.indexOf("```", start));
    const r = cli(["run", "-", "--format", "text"], { input: text });
    expect(r.code).toBe(0);
    const steps = r.stdout.slice(r.stdout.indexOf("\nsteps\n") + 7, r.stdout.indexOf("\n\noutcome"));
    expect(steps.split("\n")).toEqual([
      "    main#1 get_as_null_terminated ptr=0xe0000 T=ptr → ok [0xe0100]",
      '    main#2 get_as_str ptr=argv[0] (0xe0100, from main#1) hold=fs → ok "ls"',
      "    main#3 get_as_str ptr=argv[1] (from main#1) → not-run (no pointer: main#1's value has 1 element, none at index 1)",
    ]);
  });
});

function nameOf(n: string): string {
  const list = readFileSync(new URL("../scenarios/README.md", import.meta.url), "utf8");
  const m = new RegExp("`" + n + "-([^`]+\\.yaml)`").exec(list);
  if (!m?.[1]) throw new Error(`scenario ${n} not in scenarios/README.md`);
  return m[1];
}

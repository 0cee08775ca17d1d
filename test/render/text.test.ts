// The plain-text trace: exactly the goldens, abbreviated values for people, colour only when asked.
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { goldenText } from "../../src/cli/commands/check.js";
import { renderCompareText } from "../../src/render/compare.js";
import { renderJson, traceJson } from "../../src/render/json.js";
import { renderText, valueText } from "../../src/render/text.js";
import { loadScenario, type Scenario } from "../../src/scenario/validate.js";
import { simulate } from "../../src/sim/simulate.js";
import { ROOT } from "../helpers/cli.js";

const SEED = "01-seed-string-across-lazy-page";
const ESC = "\u001b";

function load(text: string, file = "test.yaml"): Scenario {
  const r = loadScenario(text, file);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.line}:${p.col} ${p.message}`).join("\n"));
  return r.scenario;
}

const bundled = (name: string) => readFileSync(join(ROOT, "scenarios", name), "utf8");

/** A 100-character string, a 20-element list, and a short string, read through axptr. */
const LONG = `name: long values
memory:
  - start: 0x10000
    pages: 1
    perm: r
    contents:
      - { at: 0x10000, str: "${"abcdefghij".repeat(10)}\\0" }
      - { at: 0x10800, u8: [${Array.from({ length: 20 }, (_, i) => i).join(", ")}] }
      - { at: 0x10900, str: "short\\0" }
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: 0x10000 }
      - { op: get_as_slice, ptr: 0x10800, len: 20, use: read }
      - { op: get_as_str, ptr: 0x10900 }
`;

describe("renderText", () => {
  it("renders the seed scenario exactly as its golden", () => {
    const file = `${SEED}.yaml`;
    const trace = simulate(load(bundled(file), `scenarios/${file}`));
    const text = renderText(trace, file, { color: false });
    expect(text).toBe(bundled(`${SEED}.trace`));
    expect(goldenText(trace, `some/folder/${file}`)).toBe(text);
  });

  it("renders the seed scenario as the documentation's table", () => {
    const text = renderText(simulate(load(bundled(`${SEED}.yaml`))), "seed.yaml", { color: false });
    const rows = text.split("\n").filter((l) => /^ {0,2}\d+ {4}0  main/.test(l));
    expect(rows.map((l) => l.replace(/^.*cpu0=[01] {2}/, ""))).toEqual([
      "▶ get_as_str ptr=0x10ffa",
      "align check 0x10ffa % 1: ok",
      "access_user_memory begins: state set",
      "page check 0x10000: ok",
      "kernel read 0x10ffa..0x11000 (6 bytes)",
      "page check 0x11000: ok",
      "PAGE FAULT at 0x11000: read, kernel mode",
      "handler: resolved (lazy page made present)",
      "page 0x11000 mapped",
      "kernel read 0x11000..0x11007 (7 bytes)",
      "access_user_memory ends: state cleared",
      '◀ ok "hello, world"',
    ]);
    expect(rows.map((l) => /cpu0=([01])/.exec(l)?.[1]).join("")).toBe("001111111100");
    expect(text).toMatch(/^file      seed\.yaml$/m);
    expect(text.endsWith("\noutcome   completed\nfaults    1 (1 resolved) in 12 events\nhazards   none\nexpected  2 met\n")).toBe(true);
  });

  it("renders every bundled scenario as its golden", () => {
    const files = ["02-seed-without-flag-panics.yaml", "23-migration-mid-scan-percpu-flag.yaml", "30-nested-nesting-counter.yaml"];
    for (const f of files) expect(renderText(simulate(load(bundled(f))), basename(f), { color: false })).toBe(bundled(f.replace(/\.yaml$/, ".trace")));
  });

  it("abbreviates long strings and long lists; JSON keeps them whole", () => {
    const trace = simulate(load(LONG));
    const text = renderText(trace, "long.yaml", { color: false });
    const long = "abcdefghij".repeat(10);
    expect(text).toContain(`    main#1 get_as_str ptr=0x10000 → ok "${long.slice(0, 48)}"… (100 chars)\n`);
    expect(text).not.toContain(long);
    expect(text).toContain("    main#2 get_as_slice ptr=0x10800 T=u8 len=20 use=read → ok [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … 8 more]\n");
    expect(text).toContain('    main#3 get_as_str ptr=0x10900 → ok "short"\n');
    // The step-end event in the table is abbreviated the same way.
    expect(text).toContain(`◀ ok "${long.slice(0, 48)}"… (100 chars)\n`);

    const doc = traceJson(trace, "long.yaml");
    expect(doc.steps).toEqual([
      { thread: "main", step: 1, op: "get_as_str", result: { status: "ok", value: long }, expected: null, met: null },
      { thread: "main", step: 2, op: "get_as_slice", result: { status: "ok", value: Array.from({ length: 20 }, (_, i) => i) }, expected: null, met: null },
      { thread: "main", step: 3, op: "get_as_str", result: { status: "ok", value: "short" }, expected: null, met: null },
    ]);
    expect(renderJson([{ trace, file: "long.yaml" }], true)).toContain(JSON.stringify(long));
  });

  it("abbreviates at exactly 48 characters and 12 elements", () => {
    expect(valueText("x".repeat(48))).toBe(JSON.stringify("x".repeat(48)));
    expect(valueText("x".repeat(49))).toBe(`${JSON.stringify("x".repeat(48))}… (49 chars)`);
    const list = (n: number) => Array.from({ length: n }, (_, i) => BigInt(i));
    expect(valueText(list(12))).toBe("[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]");
    expect(valueText(list(13))).toBe("[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … 1 more]");
    expect(valueText([])).toBe("[]");
    expect(valueText(null)).toBe("None");
    expect(valueText(0xffffn)).toBe("65535");
    expect(valueText(0x10000n)).toBe("0x10000");
    expect(valueText(-5n)).toBe("-5");
    expect(valueText('a "quoted"\nline')).toBe('"a \\"quoted\\"\\nline"');
  });

  it("counts and cuts a long string in characters, never inside a surrogate pair", () => {
    const s = "a".repeat(47) + "😀".repeat(30);
    expect(valueText(s)).toBe(`"${"a".repeat(47)}😀"… (77 chars)`);
    expect(valueText("😀".repeat(48))).toBe(JSON.stringify("😀".repeat(48)));
  });

  it("colours with color true, and not at all with color false", () => {
    const trace = simulate(load(bundled(`${SEED}.yaml`)));
    const plain = renderText(trace, "seed.yaml", { color: false });
    const colored = renderText(trace, "seed.yaml", { color: true });
    expect(plain).not.toContain(ESC);
    expect(colored).toContain(`${ESC}[`);
    expect(colored.replace(/\u001b\[[0-9;]*m/g, "")).toBe(plain);
    const quiet = renderText(trace, "seed.yaml", { color: false, quiet: true });
    expect(quiet).not.toContain(ESC);
    expect(renderText(trace, "seed.yaml", { color: true, quiet: true })).toContain(`${ESC}[`);
  });
});

describe("renderCompareText", () => {
  it("cuts long cells in characters, never inside a surrogate pair", () => {
    const yaml = `name: emoji
memory:
  - { start: 0x10000, pages: 1, perm: r, contents: [{ at: 0x10000, str: "${"a".repeat(18)}${"😀".repeat(30)}\\0" }] }
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: 0x10000 }
`;
    const trace = simulate(load(yaml));
    const out = renderCompareText("emoji", "e.yaml", [{ strategy: "none", trace }], false);
    expect(out).toContain(`main#1 get_as_str  ok "${"a".repeat(18)}😀…\n`);
    expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it("colours only with color true, and the colours add nothing else", () => {
    const trace = simulate(load(bundled(`${SEED}.yaml`)), { strategy: "none" });
    const other = simulate(load(bundled(`${SEED}.yaml`)));
    const runs = [{ strategy: "none", trace }, { strategy: "percpu-flag", trace: other }];
    const plain = renderCompareText("seed", "s.yaml", runs, false);
    const colored = renderCompareText("seed", "s.yaml", runs, true);
    expect(plain).not.toContain(ESC);
    expect(colored).toContain(`${ESC}[`);
    expect(colored.replace(/\u001b\[[0-9;]*m/g, "")).toBe(plain);
    expect(plain.split("\n").every((l) => l === l.trimEnd())).toBe(true);
  });
});

// README's "Finding races" shows real `explore` output.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers/cli.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README: Finding races", () => {
  it("shows explore's text for scenario 42 exactly as it prints it", () => {
    const r = cli(["explore", "scenarios/42-races-nested-and-interrupt.yaml"]);
    expect(r.code).toBe(0);
    expect(readme).toContain("```\n" + r.stdout + "```");
  });

  it("shows the --strategy all summary of scenario 43 exactly as it prints it", () => {
    const r = cli(["explore", "scenarios/43-races-toctou-get-freed.yaml", "--strategy", "all"]);
    expect(r.code).toBe(1);
    const summary = r.stdout.split("\n\n")[0];
    expect(readme).toContain("```\n" + summary + "\n```");
  });

  it("names every class of scenario 42 in its explanation", () => {
    const section = readme.slice(readme.indexOf("## Finding races"), readme.indexOf("### Choices made for explore"));
    for (const words of ["**completed, no hazard**", "**panic, `flag-cleared-early`**", "**killed, `interrupt-in-access`**", "**completed, `flag-cleared-early`**"])
      expect(section).toContain(words);
  });
});

// docs/races.md ("Finding races") shows real `explore` output.
import { describe, expect, it } from "vitest";
import { cli } from "./helpers/cli.js";
import { readDoc } from "./helpers/docs.js";

const readme = readDoc("docs/races.md");

describe("docs/races.md: Finding races", () => {
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
    const section = readme.slice(0, readme.indexOf("**Replaying a witness.**"));
    for (const words of ["**completed, no hazard**", "**panic, `flag-cleared-early`**", "**killed, `interrupt-in-access`**", "**completed, `flag-cleared-early`**"])
      expect(section).toContain(words);
  });
});

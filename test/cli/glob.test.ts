// The globs of check --exclude.
import { describe, expect, it } from "vitest";
import { excluded, excludeGlobs, globRegExp } from "../../src/cli/glob.js";

describe("globRegExp", () => {
  it("* and ? stay within a folder, ** crosses folders (none included)", () => {
    expect(globRegExp("scenarios/*.yaml").test("scenarios/a.yaml")).toBe(true);
    expect(globRegExp("scenarios/*.yaml").test("scenarios/wip/a.yaml")).toBe(false);
    expect(globRegExp("scenarios/**/*.yaml").test("scenarios/a.yaml")).toBe(true);
    expect(globRegExp("scenarios/**/*.yaml").test("scenarios/x/y/a.yaml")).toBe(true);
    expect(globRegExp("s/wip/**").test("s/wip/x/a.yml")).toBe(true);
    expect(globRegExp("a?.yaml").test("ab.yaml")).toBe(true);
    expect(globRegExp("a?.yaml").test("a/.yaml")).toBe(false);
    expect(globRegExp("a.yaml").test("aXyaml")).toBe(false);
  });

  it("a glob without / names a file in any folder; ./ and \\ are the same paths", () => {
    const g = excludeGlobs(["wip-*.yaml", "./scenarios/old/**"]);
    expect(excluded("scenarios/x/wip-1.yaml", g.paths, g.names)).toBe(true);
    expect(excluded("./scenarios/old/a.yaml", g.paths, g.names)).toBe(true);
    expect(excluded("scenarios\\old\\a.yaml", g.paths, g.names)).toBe(true);
    expect(excluded("scenarios/new/a.yaml", g.paths, g.names)).toBe(false);
  });
});

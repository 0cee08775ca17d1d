// The README and docs/ as a package user reads them: every link leads to a file the package
// carries (and a heading that exists), nothing names a file a user does not have, and the
// README's first commands are the ones CI runs.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";
import { readDoc } from "./helpers/docs.js";

const DOCS = ["README.md", "scenarios/README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
const { files } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { files: string[] };

/** Whether `path` (from the root) is in the tarball: npm always packs README.md and package.json. */
function packed(path: string): boolean {
  return path === "README.md" || path === "package.json" || files.some((f) => (f.endsWith("/") ? path.startsWith(f) : path === f));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

/** The headings of a Markdown file, outside code blocks. */
function anchors(text: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const m = /^#+ (.*)$/.exec(line);
    if (!fenced && m?.[1]) out.add(slug(m[1]));
  }
  return out;
}

/** The text outside code blocks (what a reader follows as prose and links). */
function prose(text: string): string {
  let fenced = false;
  return text
    .split("\n")
    .filter((line) => {
      if (line.startsWith("```")) fenced = !fenced;
      return !fenced && !line.startsWith("```");
    })
    .join("\n");
}

describe("the documentation's links", () => {
  it("has the docs the README points to", () => {
    expect(DOCS).toEqual(expect.arrayContaining(["docs/format.md", "docs/behaviour.md", "docs/ci.md", "docs/choices.md", "docs/races.md", "docs/library.md"]));
  });

  it.each(DOCS)("%s: every relative link leads to a file in the package, and to a heading that exists", (doc) => {
    const text = readDoc(doc);
    const links = [...prose(text).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? "");
    if (doc === "README.md") expect(links.length).toBeGreaterThan(10);
    for (const link of links) {
      expect(link, `${doc}: ${link}`).not.toMatch(/^[a-z]+:/); // no public URL is known: nothing links out
      const [file = "", anchor] = link.split("#");
      const target = file === "" ? doc : normalize(join(dirname(doc), file));
      expect(relative(ROOT, join(ROOT, target)).startsWith(".."), `${doc}: ${link} leaves the package`).toBe(false);
      expect(existsSync(join(ROOT, target)), `${doc}: ${link}: no ${target}`).toBe(true);
      expect(packed(target), `${doc}: ${link}: ${target} is not in package.json's files`).toBe(true);
      if (anchor !== undefined) expect([...anchors(readDoc(target))], `${doc}: ${link}`).toContain(anchor);
    }
  });
});

describe("the documentation names no file a user does not have", () => {
  // The specifications live in the development workplace, not in a clone or the package.
  const SPEC = /\.\.\/shared|\bspec\/|\b(semantics|kernels|explore|scenario-format)\.md\b|the (format )?spec's|section \d/;
  it.each(DOCS)("%s: no specification file or section", (doc) => {
    const hits = readDoc(doc)
      .split("\n")
      .filter((l) => SPEC.test(l));
    expect(hits).toEqual([]);
  });

  // Paths of a clone only (sources, tests, benchmarks) belong to docs/development.md alone.
  it.each(DOCS.filter((d) => d !== "docs/development.md"))("%s: no path of a clone only", (doc) => {
    const hits = readDoc(doc)
      .split("\n")
      .filter((l) => /(^|[\s`(])(src|test|bench|scripts|\.ci)\/[\w.-]/.test(l));
    expect(hits).toEqual([]);
  });
});

describe("the README's first commands", () => {
  it("are the ones CI runs: .ci/run installs with npm ci and runs exactly the README's test command", () => {
    const first = /```sh\n([\s\S]*?)```/.exec(readDoc("README.md"))?.[1] ?? "";
    const test = first.split("\n")[1]?.replace(/\s+#.*$/, "");
    expect(test).toBe("npm test");
    const ci = readFileSync(join(ROOT, ".ci/run"), "utf8");
    const commands = ci.split("\n").filter((l) => /^(npm|npx) /.test(l));
    expect(commands).toEqual(["npm ci --no-audit --no-fund || { echo \"tests: 0 passed, 1 failed\"; exit 1; }", `${test} 2>&1 | tee "$log"`]);
  });

  it("the package carries the documentation", () => {
    expect(files).toContain("docs/");
  });
});

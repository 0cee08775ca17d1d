// Writes the reference tables of docs/*.md (between their "generated" markers)
// from the meanings the JSON Schema's descriptions come from
// (src/scenario/meanings.ts, rendered by src/scenario/doc-tables.ts).
// test/docs-tables.test.ts fails when a doc's table differs from them.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const bundle = await build({ entryPoints: ["src/scenario/doc-tables.ts"], bundle: true, platform: "node", format: "esm", write: false, logLevel: "warning" });
const { regenerate } = await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString("base64")}`);

for (const name of readdirSync("docs").filter((f) => f.endsWith(".md")).sort()) {
  const path = `docs/${name}`;
  const before = readFileSync(path, "utf8");
  const { text, blocks } = regenerate(before);
  if (blocks.length === 0) continue;
  if (text === before) console.log(`${path}: ${blocks.join(", ")}: unchanged`);
  else {
    writeFileSync(path, text);
    console.log(`${path}: ${blocks.join(", ")}: written`);
  }
}

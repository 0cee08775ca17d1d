// npm pack / npm publish hooks. `prepare` builds dist/ in a clone (`npm ci`),
// but a tarball ships dist/ built: a `prepare` in its package.json would only
// make npm warn its users about a script they never need (and which needs
// this repository's dev tools). So the tarball's package.json has none:
//   prepack: build everything (CLI, library, declarations), set package.json's
//            `prepare` aside in a file beside it, then pack;
//   postpack: put it back.
// A pack that stopped half-way leaves that file: the next pack (or
// `node scripts/pack.mjs restore`) puts `prepare` back first.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

const PKG = "package.json";
const SAVED = ".package.json.before-pack";

function restore() {
  if (!existsSync(SAVED)) return;
  renameSync(SAVED, PKG);
}

function write(path, text) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

const step = process.argv[2];
if (step === "prepack") {
  restore();
  const b = spawnSync(process.execPath, ["scripts/build.mjs", "--types"], { stdio: "inherit" });
  if (b.status !== 0) process.exit(b.status ?? 1);
  const text = readFileSync(PKG, "utf8");
  const pkg = JSON.parse(text);
  delete pkg.scripts.prepare;
  writeFileSync(SAVED, text);
  write(PKG, JSON.stringify(pkg, null, 2) + "\n");
} else if (step === "postpack" || step === "restore") {
  restore();
} else {
  console.error("usage: node scripts/pack.mjs prepack|postpack|restore");
  process.exit(2);
}

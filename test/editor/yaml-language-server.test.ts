// The editor as a user has it: the real yaml-language-server (VS Code's YAML
// extension, Neovim's yamlls), started over stdio, opens scenarios in a
// subfolder of a project whose first line is the README's schema comment,
// exactly as written, with the schema where the package puts it
// (node_modules/axptr-sim/schema/, and schema/ in a clone). Hover, completion
// and diagnostics must say what meanings.ts says.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY_MEANINGS, OP_MEANINGS, STRATEGY_MEANINGS, TRIGGER_MEANINGS } from "../../src/scenario/meanings.js";
import { ALL_STRATEGIES, TRIGGERS } from "../../src/scenario/schema.js";
import { ROOT } from "../helpers/cli.js";
import { readDoc, section } from "../helpers/docs.js";
import { LspClient } from "../helpers/lsp.js";

const SERVER = join(ROOT, "node_modules/yaml-language-server/bin/yaml-language-server");
const TITLE = "#### axptr-sim scenario, format v1";

/** The README's two schema comments: in a clone's scenarios/, and in a project that installed axptr-sim. */
const editor = section(readDoc("README.md"), "## Writing a scenario");
const blocks = [...editor.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
const CLONE_LINE = blocks[0]?.split("\n")[0] ?? "";
const INSTALLED_LINE = blocks[1]?.split("\n")[0] ?? "";

const GOOD = `${INSTALLED_LINE}
name: the editor explains the format
machine:
  cpus: 2
  strategy: percpu-flag
${"  "}
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: 0x10ffa }
events:
  - when: { thread: main, step: 1, at: before-read, index: 2 }
    do: { evict: { start: 0x10000, pages: 1 } }
`;
const BAD = `${INSTALLED_LINE}
name: a misspelt strategy
machine: { strategy: per-cpu-flag }
`;

let dir = "";
let lsp: LspClient | undefined;
const uriOf = (path: string) => pathToFileURL(join(dir, path)).href;

/** Where `needle` is in `text` (its first character, or `offset` characters into it). */
function position(text: string, needle: string, offset = 0): { line: number; character: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`no ${needle}`);
  const before = text.slice(0, at + offset).split("\n");
  return { line: before.length - 1, character: before[before.length - 1]?.length ?? 0 };
}

async function hover(path: string, text: string, needle: string, offset = 1): Promise<string> {
  const r = (await lsp?.request("textDocument/hover", { textDocument: { uri: uriOf(path) }, position: position(text, needle, offset) })) as { contents: { value: string } } | null;
  return r?.contents.value ?? "(no hover)";
}

function open(path: string, text: string): void {
  lsp?.notify("textDocument/didOpen", { textDocument: { uri: uriOf(path), languageId: "yaml", version: 1, text } });
}

/** yaml-language-server's list of an enum's values, the hovered one first, each with its meaning. */
function allowed(values: readonly string[], meanings: Readonly<Record<string, string>>, first: string): string {
  const order = [first, ...values.filter((v) => v !== first)];
  return `Allowed Values:\n\n${order.map((v) => `* \`${v}\`: ${meanings[v]}\n`).join("")}`;
}

const SOURCE = () => `Source: [scenario.schema.json](${uriOf("node_modules/axptr-sim/schema/scenario.schema.json")})`;

describe.skipIf(!existsSync(SERVER))("yaml-language-server on a scenario with the README's schema comment", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "axptr-sim-editor-"));
    // The schema where installing the package puts it, and where a clone has it.
    for (const schemaDir of ["node_modules/axptr-sim/schema", "clone/schema"]) {
      mkdirSync(join(dir, schemaDir), { recursive: true });
      copyFileSync(join(ROOT, "schema/scenario.schema.json"), join(dir, schemaDir, "scenario.schema.json"));
    }
    mkdirSync(join(dir, "scenarios"));
    mkdirSync(join(dir, "clone/scenarios"));
    lsp = new LspClient(process.execPath, [SERVER, "--stdio"], (method, params) =>
      method === "workspace/configuration"
        ? (params as { items: { section?: string }[] }).items.map((i) => (i.section === "yaml" ? { validate: true, hover: true, completion: true, schemaStore: { enable: false } } : null))
        : null,
    );
    await lsp.request("initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      capabilities: { textDocument: { hover: { contentFormat: ["markdown"] }, completion: { completionItem: { documentationFormat: ["markdown"] } } } },
    });
    lsp.notify("initialized", {});
    open("scenarios/good.yaml", GOOD);
    open("scenarios/bad.yaml", BAD);
  }, 15_000);

  afterAll(async () => {
    await lsp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("reads the README's two schema comments", () => {
    expect(CLONE_LINE).toBe("# yaml-language-server: $schema=../schema/scenario.schema.json");
    expect(INSTALLED_LINE).toBe("# yaml-language-server: $schema=../node_modules/axptr-sim/schema/scenario.schema.json");
  });

  it("finds the schema from a subfolder: a misspelt value is an error, a valid file has none", async () => {
    expect(await lsp?.diagnosticsOf(uriOf("scenarios/bad.yaml"))).toEqual([
      {
        range: { start: { line: 2, character: 21 }, end: { line: 2, character: 33 } },
        message: `Value is not accepted. Valid values: ${ALL_STRATEGIES.map((s) => `"${s}"`).join(", ")}.`,
        severity: 1,
        code: 1,
        source: "yaml-schema: axptr-sim scenario, format v1",
        data: { schemaUri: [uriOf("node_modules/axptr-sim/schema/scenario.schema.json")], values: [...ALL_STRATEGIES] },
      },
    ]);
    expect(await lsp?.diagnosticsOf(uriOf("scenarios/good.yaml"))).toEqual([]);
  });

  it("explains a key on hover: strategy's meaning, then every strategy's", async () => {
    expect(await hover("scenarios/good.yaml", GOOD, "strategy:")).toBe(
      `${TITLE}\n\n${KEY_MEANINGS.machine.strategy}\n\n${allowed(ALL_STRATEGIES, STRATEGY_MEANINGS, "percpu-flag")}\n${SOURCE()}`,
    );
  });

  it("explains a number key by its meaning before its notation", async () => {
    const cpus = `${KEY_MEANINGS.machine.cpus}; a CPU count (1..64): decimal or 0x hex, as a YAML integer or a string`;
    expect(await hover("scenarios/good.yaml", GOOD, "cpus:")).toBe(`${TITLE} || axptr-sim scenario, format v1\n\n${cpus}\n\n${SOURCE()}`);
  });

  it("explains an op on hover: the axptr call it makes", async () => {
    const m = OP_MEANINGS.get_as_str;
    expect(await hover("scenarios/good.yaml", GOOD, "get_as_str")).toBe(`${TITLE}\n\n${m.call} (keys: ${m.keys})\n\n${SOURCE()}`);
  });

  it("explains a trigger point on hover, the hovered one first", async () => {
    const meanings = Object.fromEntries(TRIGGERS.map((p) => [p, `${TRIGGER_MEANINGS[p].when} (reached by ${TRIGGER_MEANINGS[p].reachedBy})`]));
    expect(await hover("scenarios/good.yaml", GOOD, "before-read")).toBe(`${TITLE}\n\n${KEY_MEANINGS.when.at}\n\n${allowed(TRIGGERS, meanings, "before-read")}\n${SOURCE()}`);
  });

  it("completes the keys of a file and of its machine with their meanings", async () => {
    const complete = async (offset: number) => {
      const r = (await lsp?.request("textDocument/completion", { textDocument: { uri: uriOf("scenarios/good.yaml") }, position: position(GOOD, "\n  \nthreads:", offset) })) as {
        items: { label: string; documentation?: { value: string } }[];
      };
      return Object.fromEntries(r.items.map((i) => [i.label, i.documentation?.value]));
    };
    const top = await complete(1);
    expect(top.memory).toBe(KEY_MEANINGS.scenario.memory);
    expect(top.races).toBe(KEY_MEANINGS.scenario.races);
    const docs = await complete(3);
    expect(docs.kernel).toBe(KEY_MEANINGS.machine.kernel);
    expect(docs.aspace_lock).toBe(KEY_MEANINGS.machine.aspace_lock);
    expect(docs.page_size).toBe(`${KEY_MEANINGS.machine.page_size}\n\na page size: a power of two from 4096 to 65536: decimal or 0x hex, as a YAML integer or a string`);
  });

  it("completes a strategy with each strategy's meaning", async () => {
    const r = (await lsp?.request("textDocument/completion", { textDocument: { uri: uriOf("scenarios/good.yaml") }, position: position(GOOD, "percpu-flag") })) as {
      items: { label: string; documentation?: { value: string } }[];
    };
    expect(r.items.map((i) => [i.label, i.documentation?.value])).toEqual(ALL_STRATEGIES.map((s) => [s, STRATEGY_MEANINGS[s]]));
  });

  it("finds the schema from a clone's scenarios/ with the clone's comment", async () => {
    const text = `${CLONE_LINE}\nname: in a clone\nmachine: { kernel: axptr-doc }\n`;
    open("clone/scenarios/mine.yaml", text);
    const shown = await hover("clone/scenarios/mine.yaml", text, "kernel");
    expect(shown.split("\n\n").slice(0, 2)).toEqual([TITLE, KEY_MEANINGS.machine.kernel]);
    expect(shown.endsWith(`Source: [scenario.schema.json](${uriOf("clone/schema/scenario.schema.json")})`)).toBe(true);
  });
});

// The JSON Schemas of the JSON output (`schema --trace`, `--compare`, `--explore`):
// committed under schema/, and the real output of every bundled scenario
// valid against them (ajv, JSON Schema 2020-12, strict mode).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { EVENT_FIELDS, ExploreDocument, compareJsonSchema, exploreJsonSchema, traceJsonSchema } from "../../src/render/trace-schema.js";
import { cli } from "../helpers/cli.js";
import { readDoc, section } from "../helpers/docs.js";

const committed = (name: string) => readFileSync(new URL(`../../schema/${name}`, import.meta.url), "utf8");
const SCENARIOS = readdirSync(new URL("../../scenarios", import.meta.url))
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => `scenarios/${f}`);

/** No bundled scenario fetches an instruction: this one does, so every kind is seen. */
const EXECUTE = `name: execute
memory:
  - { start: 0x10000, pages: 1, perm: rx }
threads:
  - name: main
    steps:
      - { op: user_access, addr: 0x10000, access: execute }
`;

function ajv(): Ajv2020 {
  const warnings: unknown[] = [];
  const a = new Ajv2020({ strict: true, allErrors: true, logger: { log: () => {}, warn: (...m: unknown[]) => warnings.push(m), error: (...m: unknown[]) => warnings.push(m) } });
  a.addSchema(JSON.parse(committed("trace.schema.json")), "trace");
  a.addSchema(JSON.parse(committed("compare.schema.json")), "compare");
  a.addSchema(JSON.parse(committed("explore.schema.json")), "explore");
  a.getSchema("trace");
  a.getSchema("compare");
  a.getSchema("explore");
  expect(warnings).toEqual([]);
  return a;
}

function validator(a: Ajv2020, ref: string) {
  const v = a.getSchema(ref);
  if (!v) throw new Error(`no schema ${ref}`);
  return (doc: unknown) => {
    const ok = v(doc);
    return ok ? "valid" : a.errorsText(v.errors);
  };
}

describe("the trace JSON Schema", () => {
  it("committed in schema/ is what the zod description gives, and `schema --trace` prints it byte for byte", () => {
    expect(JSON.parse(committed("trace.schema.json"))).toEqual(traceJsonSchema());
    const r = cli(["schema", "--trace"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(committed("trace.schema.json"));
  });

  it("compiles under ajv's strict mode with no warning", () => {
    ajv();
  });

  it("accepts the JSON output of every bundled scenario, one at a time and all together", () => {
    const a = ajv();
    const trace = validator(a, "trace");
    const all = cli(["run", "--format", "json", ...SCENARIOS]);
    expect(all.stderr).toBe("");
    const docs = JSON.parse(all.stdout) as { scenario: { file: string } }[];
    expect(docs.map((d) => d.scenario.file)).toEqual(SCENARIOS);
    expect(trace(docs)).toBe("valid");
    for (const d of docs) expect(trace(d), d.scenario.file).toBe("valid");
  });

  it("knows every event kind the bundled scenarios produce, and each one's fields", () => {
    const a = ajv();
    const event = validator(a, "trace#/$defs/Event");
    const r = cli(["run", "--format", "ndjson", ...SCENARIOS, "-"], { input: EXECUTE });
    const lines = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as { kind: string });
    const events = lines.filter((l) => l.kind !== "result");
    for (const e of events) expect(event(e), JSON.stringify(e)).toBe("valid");
    // The scenarios show every kind the schema knows (a kind no scenario shows would be untested here).
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(Object.keys(EVENT_FIELDS)));
  });

  it("refuses what the output never holds: an unknown kind, a field too many, an address in upper case", () => {
    const a = ajv();
    const event = validator(a, "trace#/$defs/Event");
    const base = { seq: 1, thread: "main", step: 1, cpu: 0, flags: { cpu0: false } };
    expect(event({ ...base, kind: "page-mapped", addr: "0x11000" })).toBe("valid");
    expect(event({ ...base, kind: "page-unmapped", addr: "0x11000" })).not.toBe("valid");
    expect(event({ ...base, kind: "page-mapped", addr: "0x11000", size: 1 })).not.toBe("valid");
    expect(event({ ...base, kind: "page-mapped", addr: "0x1100A" })).not.toBe("valid");
    expect(event({ ...base, kind: "page-mapped" })).not.toBe("valid");
  });
});

describe("the compare JSON Schema", () => {
  it("committed in schema/ is what `schema --compare` prints", () => {
    expect(JSON.parse(committed("compare.schema.json"))).toEqual(compareJsonSchema());
    const r = cli(["schema", "--compare"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(committed("compare.schema.json"));
  });

  // The scenarios the README compares, and those where another thread runs (compare's `runs`): a spawn each, so not all.
  const COMPARED = SCENARIOS.filter((s) => /^scenarios\/(01|11|24|25|26|27|3[2-8])-/.test(s));

  it("accepts `compare --format json` of the bundled scenarios that show every part of it", () => {
    expect(COMPARED.length).toBe(13);
    const compare = validator(ajv(), "compare");
    for (const s of COMPARED) {
      const r = cli(["compare", "--format", "json", s]);
      expect(r.code, s).toBe(0);
      expect(compare(JSON.parse(r.stdout)), s).toBe("valid");
    }
  }, 60_000);

  it("accepts compare --kernel all and compare under a named kernel (kernels.md section 1)", () => {
    const compare = validator(ajv(), "compare");
    for (const args of [["--kernel", "all"], ["--kernel", "axptr-0.1"]]) {
      const r = cli(["compare", "--format", "json", ...args, "scenarios/56-openat-path-under-every-kernel.yaml"]);
      expect(r.code).toBe(0);
      expect(compare(JSON.parse(r.stdout)), args.join(" ")).toBe("valid");
    }
  });

  it("--trace and --compare together are a command-line mistake", () => {
    const r = cli(["schema", "--trace", "--compare"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("axptr-sim: schema: give one of --trace, --compare, --explore, not --trace and --compare\n");
  });
});

describe("the explore JSON Schema", () => {
  // Every bundled scenario with races: the files `explore` takes.
  const RACES = SCENARIOS.filter((f) => /^races:/m.test(readFileSync(new URL(`../../${f}`, import.meta.url), "utf8")));
  const SEED_RACES = "scenarios/39-races-seed-munmap-evict.yaml";

  /** `explore --format json ARGS`, which exits 0 (no class violates) or 1 (one does), never 2, and writes nothing on standard error. */
  function explored(args: readonly string[]): unknown {
    const r = cli(["explore", "--format", "json", ...args]);
    expect(r.stderr, args.join(" ")).toBe("");
    expect([0, 1], args.join(" ")).toContain(r.code);
    return JSON.parse(r.stdout) as unknown;
  }

  it("committed in schema/ is what the zod description gives, and `schema --explore` prints it byte for byte", () => {
    expect(JSON.parse(committed("explore.schema.json"))).toEqual(exploreJsonSchema());
    const r = cli(["schema", "--explore"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(committed("explore.schema.json"));
  });

  it("accepts `explore --format json` of every bundled scenario with races", () => {
    expect(RACES.length).toBe(10);
    const explore = validator(ajv(), "explore");
    for (const f of RACES) {
      const doc = explored([f]);
      expect(explore(doc), f).toBe("valid");
      // One document (not an array), of the file explored, and the zod description parses it as the library would.
      expect(ExploreDocument.parse(doc).scenario.file).toBe(f);
    }
  }, 60_000);

  it("accepts explore --kernel all (one document per kernel, each naming it)", () => {
    const explore = validator(ajv(), "explore");
    const all = explored(["--kernel", "all", "scenarios/41-races-migration-two-cpus.yaml"]) as { machine: { kernel: string } }[];
    expect(all.map((d) => d.machine.kernel)).toEqual(["axptr-doc", "axptr-0.1", "starry-2025-04", "starry-2025-07", "starry-2025-08", "starry-2025-12"]);
    expect(explore(all)).toBe("valid");
  });

  it("accepts --strategy all (an array, one document per strategy), a shard, and the shards merged", () => {
    const explore = validator(ajv(), "explore");
    const all = explored(["--strategy", "all", SEED_RACES]) as { machine: { strategy: string } }[];
    expect(all.map((d) => d.machine.strategy)).toEqual(["none", "percpu-flag", "per-thread-flag", "nesting-counter", "exception-table"]);
    expect(explore(all)).toBe("valid");

    const dir = mkdtempSync(join(tmpdir(), "axptr-sim-explore-schema-"));
    try {
      const shards = [1, 2, 3].map((i) => {
        const doc = explored(["--shard", `${i}/3`, SEED_RACES]);
        expect(explore(doc), `shard ${i}/3`).toBe("valid");
        expect((doc as { shard: unknown }).shard).toEqual({ index: i, count: 3 });
        const file = join(dir, `shard-${i}.json`);
        writeFileSync(file, JSON.stringify(doc));
        return file;
      });
      const merged = cli(["explore", "--merge", "--format", "json", ...shards]);
      expect(merged.stderr).toBe("");
      expect(explore(JSON.parse(merged.stdout))).toBe("valid");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("refuses what the output never holds: a malformed witness, an unknown field, depth 4", () => {
    const explore = validator(ajv(), "explore");
    const doc = explored([SEED_RACES]) as { classes: { witness: string }[]; depth: number };
    const witnesses = doc.classes.map((c) => c.witness);
    expect(witnesses).toEqual(["", "munmap@main#1:before-step", "munmap@main#1:before-read[6]"]);
    const withWitness = (w: string) => ({ ...doc, classes: [{ ...doc.classes[1], witness: w }] });
    for (const w of witnesses) expect(explore(withWitness(w)), w).toBe("valid");
    expect(explore(withWitness("munmap@main#1:before-read[6]+evict@main#1:page-fault[0]"))).toBe("valid");
    expect(explore(withWitness("munmap@main#1:before-read"))).not.toBe("valid"); // before-read needs [k]
    expect(explore(withWitness("munmap@main#1:before-step[0]"))).not.toBe("valid"); // before-step has none
    expect(explore(withWitness("munmap@main#01:before-step"))).not.toBe("valid"); // no leading zeros
    expect(explore(withWitness("munmap@main#1:before-step+"))).not.toBe("valid");
    expect(explore(withWitness("Munmap@main#1:before-step"))).not.toBe("valid");
    expect(explore(withWitness("munmap@ma in#1:before-step"))).not.toBe("valid"); // a space is written %20
    expect(explore(withWitness("munmap@ma%20in#1:before-step"))).toBe("valid");
    expect(explore({ ...doc, traces: [] })).not.toBe("valid");
    expect(explore({ ...doc, depth: 4 })).not.toBe("valid");
  });

  it("a shard's fingerprint: sha256: and 64 lowercase hex digits, or none; anything else refused (issue 17)", () => {
    const explore = validator(ajv(), "explore");
    const shard = explored(["--shard", "1/2", SEED_RACES]) as { fingerprint: string };
    expect(shard.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(explore(shard)).toBe("valid");
    const { fingerprint, ...without } = shard;
    expect(explore(without)).toBe("valid");
    for (const bad of [`md5:${"0".repeat(32)}`, fingerprint.toUpperCase(), `${fingerprint}0`, fingerprint.slice(0, -1), "", 7]) {
      expect(explore({ ...shard, fingerprint: bad }), String(bad)).not.toBe("valid");
      expect(ExploreDocument.safeParse({ ...shard, fingerprint: bad }).success, String(bad)).toBe(false);
    }
  });
});

describe("the JSON event kinds of docs/format.md", () => {
  const kinds = section(readDoc("docs/format.md"), "## JSON event kinds");

  it.each(Object.keys(EVENT_FIELDS))("documents the event kind %s and each of its fields", (kind) => {
    const row = kinds.split("\n").find((l) => l.startsWith("| ") && l.split("|")[1]?.includes(`\`${kind}\``));
    expect(row, `a table row for ${kind}`).toBeDefined();
    const fields = row?.split("|")[2] ?? "";
    for (const field of Object.keys(EVENT_FIELDS[kind as keyof typeof EVENT_FIELDS])) expect(fields, `${kind}.${field}`).toContain(`\`${field}\``);
  });
});

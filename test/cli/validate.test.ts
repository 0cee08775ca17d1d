// `validate` and `run` on folders, and validate's warning about events that can never fire.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "axptr-sim-validate-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const UNREACHABLE = `name: a race that cannot happen
memory:
  - { start: 0x10000, pages: 1, perm: rw }
threads:
  - name: main
    steps:
      - { op: get_as_slice, ptr: 0x10000, len: 4 }
      - { op: get, ptr: 0x10000, type: u32 }
events:
  - when: { step: 1, at: flag-set }
    do: { unmap: { start: 0x10000, pages: 1 } }
  - when: { step: 2, at: before-use }
    do: { evict: { start: 0x10000, pages: 1 } }
  - when: { step: 1, at: after-populate }
    do: { evict: { start: 0x10000, pages: 1 } }
`;

describe("validate: events whose point the step never reaches", () => {
  it("are warnings on standard error, exit 0, each at its when.at", () => {
    const r = cli(["validate", "-"], { input: UNREACHABLE });
    expect(r.stdout).toBe("-: valid (a race that cannot happen)\n");
    expect(r.stderr).toBe(
      [
        "-:10:26: events.0.when.at: warning: this event never fires: a get_as_slice step has no flag-set point (only get_as_null_terminated, get_as_str)",
        "-:12:26: events.1.when.at: warning: this event never fires: the step has no use: the kernel never touches the reference",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(0);
  });

  it("say the same as run's unfired lines", () => {
    const r = cli(["run", "--format", "json", "-"], { input: UNREACHABLE });
    const doc = JSON.parse(r.stdout) as { unfired: { event: number; why: string }[] };
    expect(doc.unfired.map((u) => u.event)).toEqual([0, 1]);
    expect(doc.unfired[0]?.why).toBe("a get_as_slice step has no flag-set point (only get_as_null_terminated, get_as_str)");
  });
});

describe("folders for run and validate", () => {
  const dir = join(tmp, "suite");
  mkdirSync(join(dir, "b"), { recursive: true });
  mkdirSync(join(dir, "node_modules"));
  const scenario = (name: string) => `name: ${name}\nmemory:\n  - { start: 0x10000, pages: 1, perm: r, contents: [{ at: 0x10000, str: "${name}\\0" }] }\nthreads:\n  - name: main\n    steps:\n      - { op: get_as_str, ptr: 0x10000 }\n`;
  writeFileSync(join(dir, "z.yaml"), scenario("z"));
  writeFileSync(join(dir, "a.yml"), scenario("a"));
  writeFileSync(join(dir, "b", "c.yaml"), scenario("c"));
  writeFileSync(join(dir, "notes.txt"), "not a scenario");
  writeFileSync(join(dir, "node_modules", "x.yaml"), "not: a scenario");

  it("validate takes a folder as its scenarios, recursively and sorted", () => {
    const r = cli(["validate", dir]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([`${dir}/a.yml: valid (a)`, `${dir}/b/c.yaml: valid (c)`, `${dir}/z.yaml: valid (z)`, ""].join("\n"));
  });

  it("run takes a folder too, and prints an array of JSON documents for it", () => {
    const r = cli(["run", "--format", "json", dir]);
    expect(r.code).toBe(0);
    const docs = JSON.parse(r.stdout) as { scenario: { file: string } }[];
    expect(docs.map((d) => d.scenario.file)).toEqual([`${dir}/a.yml`, `${dir}/b/c.yaml`, `${dir}/z.yaml`]);
    const one = cli(["run", "--format", "json", join(dir, "b")]);
    expect(Array.isArray(JSON.parse(one.stdout))).toBe(true);
  });

  it("run refuses a folder with no scenario, running nothing", () => {
    const empty = join(tmp, "empty");
    mkdirSync(empty);
    const r = cli(["run", empty, join(dir, "a.yml")]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`${empty}:1:1: (file): the folder holds no scenario files (.yaml, .yml)\n`);
  });
});

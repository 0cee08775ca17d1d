// The one worker pool (src/workers/pool.ts) as check and explore's reference use it: a
// worker that throws, exits or runs out of memory is an error at once (never
// a wait), in one line, and nothing is left running; a typed error met in a
// worker is the same as on one thread. AXPTR_SIM_POOL_FAULT is the pool's
// test hook: each worker meets the fault at its first chunk.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "axptr-pool-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const BUG = "axptr-sim: internal error (a bug; please report it with the scenario): ";

describe("a worker that dies", () => {
  // explore's own schedules run by states on one thread (src/explore/explore.ts); its pool serves the
  // schedule-by-schedule reference only where it falls back (a trace near its cap, below).
  it("check: a worker that exits is exit 3 at once (no patience timer, no redo)", () => {
    const dir = join(tmp, "many");
    rmSync(dir, { recursive: true, force: true });
    const files = Array.from({ length: 70 }, (_, i) => join(dir, `s${i}.yaml`));
    mkdirSync(dir);
    for (const [i, f] of files.entries())
      writeFileSync(f, `name: s${i}\nmemory:\n  - { start: 0x10000, pages: 1, perm: r, contents: [{ at: 0x10000, str: "hi\\0" }] }\nthreads:\n  - { name: main, steps: [ { op: get_as_str, ptr: 0x10000 } ] }\n`);
    const r = cli(["check", dir], { env: { AXPTR_SIM_CHECK_THREADS: "2", AXPTR_SIM_POOL_FAULT: "exit" } });
    expect(r).toEqual({ code: 3, stdout: "", stderr: `${BUG}a worker thread stopped (exit code 7) before finishing its work\n` });
  });
});

describe("the same answer whatever the threads", () => {
  it("a trace too large met in the full-depth schedules (two races both evicting) is the same exit 2 and message with 1 thread and 2", () => {
    const slice = (len: string) => `      - { op: get_as_slice, type: u8, ptr: 0x10000000, len: ${len} }`;
    const file = join(tmp, "big.yaml");
    writeFileSync(
      file,
      `name: the last slice has too many pages to populate\nmemory:\n  - { start: 0x10000000, pages: 600000, perm: r, populate: true }\nthreads:\n  - name: main\n    steps:\n${[slice("4096"), slice("4096"), slice("2457600000")].join("\n")}\n` +
        `races:\n  - { name: noise, do: { write: { at: 0x10000000, bytes: [1] } }, at: [before-step] }\n` +
        `  - { name: low, do: { evict: { start: 0x10000000, pages: 300000 } }, at: [before-step], during: ["main#3"] }\n` +
        `  - { name: high, do: { evict: { start: 0x593e0000, pages: 300000 } }, at: [before-step], during: ["main#3"] }\nexplore: { depth: 2 }\n`,
    );
    const want = {
      code: 2,
      stdout: "",
      stderr: `${file}:1:1: (file): too large to trace: populate 0x10000000..0xa27c0000 would map more than 500000 pages, each an event; make the range smaller\n`,
    };
    expect(cli(["explore", file, "--workers", "1"])).toEqual(want);
    for (let i = 0; i < 2; i++) expect(cli(["explore", file, "--workers", "2"])).toEqual(want);
    // Every chunk left to the worker: the worker meets it, and says it as this thread would.
    expect(cli(["explore", file, "--workers", "2"], { env: { AXPTR_SIM_POOL_FAULT: "idle" } })).toEqual(want);
  });
});

// The package root's functions called wrongly: each throws one ArgumentError
// (a TypeError) naming the function, the argument's path and what it takes,
// before anything runs. No bare V8 error, no trace of a scenario that
// loadScenario would refuse, no "no violations" from an exploration that never ran.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ArgumentError,
  eventJson,
  explore,
  exploreJson,
  exploreTextAll,
  exploreTextBlock,
  formatProblem,
  kernelProfile,
  loadScenario,
  mergeShards,
  occurrenceText,
  parseOccurrence,
  parseToken,
  raceEvents,
  renderCompareJson,
  renderCompareText,
  renderExploreJson,
  renderJson,
  renderMermaid,
  renderMermaidAll,
  renderNdjson,
  renderReport,
  renderText,
  replayCommand,
  simulate,
  tokenOf,
  traceJson,
  witnessTrace,
  type Scenario,
} from "../../src/index.js";
import { cli } from "../helpers/cli.js";

const FILE = "scenarios/39-races-seed-munmap-evict.yaml";
const loaded = loadScenario(readFileSync(FILE, "utf8"), FILE);
if (!loaded.ok) throw new Error(`${FILE} does not load`);
const s: Scenario = loaded.scenario;
const main = s.threads[0] as Scenario["threads"][number];
const STRATEGIES = "none, percpu-flag, per-thread-flag, nesting-counter, exception-table, global-flag";

/** Calls a function as JavaScript may, whatever its types say. */
function call<A extends unknown[]>(f: (...args: A) => unknown, ...args: unknown[]): unknown {
  return (f as unknown as (...a: unknown[]) => unknown)(...args);
}

/** What `f` threw: an ArgumentError, its argument, what it expected and its message. */
function thrown(f: () => unknown): { argument: string; expected: string; functionName: string; message: string } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e).toBeInstanceOf(TypeError);
    const a = e as ArgumentError;
    expect(a.name).toBe("ArgumentError");
    return { argument: a.argument, expected: a.expected, functionName: a.functionName, message: a.message };
  }
  throw new Error("nothing thrown");
}

describe("the error", () => {
  it("is an ArgumentError, a TypeError, naming the function, the argument and what it takes", () => {
    expect(thrown(() => explore(s, { depth: 0, strategy: "none" }))).toEqual({
      functionName: "explore",
      argument: "options.depth",
      expected: "an integer from 1 to 3",
      message: "explore: options.depth must be an integer from 1 to 3, got 0",
    });
  });
});

describe("no arguments, or the wrong types", () => {
  it.each<[string, () => unknown, string, string]>([
    ["loadScenario()", () => call(loadScenario), "text", "loadScenario: text must be a string, got undefined"],
    ["loadScenario(text)", () => call(loadScenario, "name: x\n"), "file", "loadScenario: file must be a string, got undefined"],
    ["simulate()", () => call(simulate), "scenario", "simulate: scenario must be a scenario as loadScenario returns it, got undefined"],
    ["simulate(s, null)", () => call(simulate, s, null), "options", "simulate: options must be an object, got null"],
    ["explore(s)", () => call(explore, s), "options", "explore: options must be an object { depth, strategy, shard?, maxSchedules? }, got undefined"],
    ["explore(s, { depth: 1 })", () => call(explore, s, { depth: 1 }), "options.strategy", `explore: options.strategy must be one of ${STRATEGIES}, got undefined`],
    ["parseToken(s, 42)", () => call(parseToken, s, 42), "token", "parseToken: token must be a string, got 42"],
    ["parseToken([], '')", () => call(parseToken, [], ""), "scenario", "parseToken: scenario must be a scenario as loadScenario returns it, got an array"],
    ["tokenOf(s)", () => call(tokenOf, s), "schedule", "tokenOf: schedule must be an array of pairs { race, occ }, got undefined"],
    ["raceEvents(s, [{}])", () => call(raceEvents, s, [{}]), "schedule[0].race", "raceEvents: schedule[0].race must be the index of one of the scenario's races, 0 to 1, got undefined"],
    ["tokenOf(s, [race 5])", () => call(tokenOf, s, [{ race: 5, occ: { thread: "main", step: 1, at: "before-step" } }]), "schedule[0].race", "tokenOf: schedule[0].race must be the index of one of the scenario's races, 0 to 1, got 5"],
    ["parseOccurrence()", () => call(parseOccurrence), "text", "parseOccurrence: text must be a string, got undefined"],
    ["occurrenceText(no k)", () => call(occurrenceText, { thread: "main", step: 1, at: "before-read" }), "occurrence.k", "occurrenceText: occurrence.k must be a bigint from 0n to 2^64-1 (before-read counts its occurrences), got undefined"],
    ["witnessTrace(s, 1, 'none')", () => call(witnessTrace, s, 1, "none"), "token", "witnessTrace: token must be a string, got 1"],
    ["mergeShards()", () => call(mergeShards), "docs", "mergeShards: docs must be an array of { doc, where }, got undefined"],
    ["mergeShards([{ doc }])", () => call(mergeShards, [{ doc: {} }]), "docs[0].where", "mergeShards: docs[0].where must be a string, got undefined"],
    ["renderText()", () => call(renderText), "trace", "renderText: trace must be a Trace (as simulate returns it), got undefined"],
    ["renderText(trace, file)", () => call(renderText, simulate(s), "x.yaml"), "opts", "renderText: opts must be an object { color, quiet? }, got undefined"],
    ["renderJson()", () => call(renderJson), "traces", "renderJson: traces must be an array of { trace, file }, got undefined"],
    ["renderNdjson([{}])", () => call(renderNdjson, [{}]), "traces[0].trace", "renderNdjson: traces[0].trace must be a Trace (as simulate returns it), got undefined"],
    ["renderCompareText(…, [{ strategy }], false)", () => call(renderCompareText, "n", "f", [{ strategy: "none" }], false), "runs[0].trace", "renderCompareText: runs[0].trace must be a Trace (as simulate returns it), got undefined"],
    ["renderCompareJson(…, runs, 1)", () => call(renderCompareJson, "n", "f", [], 1), "kernel", "renderCompareJson: kernel must be a string, got 1"],
    ["renderMermaid({}, …)", () => call(renderMermaid, {}, "f", { color: false }), "trace.scenario", "renderMermaid: trace.scenario must be an object, got undefined"],
    ["renderMermaidAll([])", () => call(renderMermaidAll, []), "opts", "renderMermaidAll: opts must be an object { color, fences? }, got undefined"],
    ["renderReport([{ file }], …)", () => call(renderReport, [{ file: "f" }], { color: false }), "items[0].trace", "renderReport: items[0].trace must be a Trace (as simulate returns it), got undefined"],
    ["exploreJson()", () => call(exploreJson), "result", "exploreJson: result must be an ExploreResult (as explore returns it), got undefined"],
    ["renderExploreJson([{ a: 1n }], true)", () => call(renderExploreJson, [{ a: 1n }], true), "docs[0].a", "renderExploreJson: docs[0].a must be a JSON value (null, a boolean, a number, a string, an array or an object), got 1n"],
    ["exploreTextBlock(result)", () => call(exploreTextBlock, explore(s, { depth: 1, strategy: "none" })), "o", "exploreTextBlock: o must be an object { color, file, never, hazardsForbidden, … }, got undefined"],
    ["exploreTextAll()", () => call(exploreTextAll), "results", "exploreTextAll: results must be an array of ExploreResults, got undefined"],
    ["replayCommand(file)", () => call(replayCommand, "f"), "token", "replayCommand: token must be a string, got undefined"],
    ["kernelProfile('linux')", () => call(kernelProfile, "linux"), "name", 'kernelProfile: name must be one of axptr-doc, axptr-0.1, starry-2025-04, starry-2025-07, starry-2025-08, starry-2025-12, got "linux"'],
    ["formatProblem(no message)", () => call(formatProblem, { file: "f", line: 1, col: 1, path: [] }), "problem.message", "formatProblem: problem.message must be a string, got undefined"],
    ["traceJson(trace, 3)", () => call(traceJson, simulate(s), 3), "file", "traceJson: file must be a string, got 3"],
    ["eventJson({ kind })", () => call(eventJson, { kind: "nope" }), "event.kind", `eventJson: event.kind must be one of ${"step-start, align-check, region-check, populate, page-mapped, flag-set, flag-clear, page-check, read, write, execute, page-fault, handler, injected, migrate, interrupt, lock, check, nested-result, run, run-result, hazard, step-end"}, got "nope"`],
  ])("%s", (_, f, argument, message) => {
    expect(thrown(f)).toMatchObject({ argument, message });
  });
});

describe("options", () => {
  it("an unknown strategy is named, with the near one (not a V8 error reading 'fixups')", () => {
    expect(thrown(() => call(simulate, s, { strategy: "per-cpu-flag" }))).toEqual({
      functionName: "simulate",
      argument: "options.strategy",
      expected: `one of ${STRATEGIES}`,
      message: `simulate: options.strategy must be one of ${STRATEGIES}, got "per-cpu-flag" (did you mean "percpu-flag"?)`,
    });
    expect(thrown(() => call(explore, s, { depth: 1, strategy: "bogus" })).message).toBe(`explore: options.strategy must be one of ${STRATEGIES}, got "bogus"`);
    expect(thrown(() => call(witnessTrace, s, "", "per-thread-flg")).message).toBe(`witnessTrace: strategy must be one of ${STRATEGIES}, got "per-thread-flg" (did you mean "per-thread-flag"?)`);
  });

  it("a misspelt option is refused, not ignored", () => {
    expect(thrown(() => call(simulate, s, { strateg: "none" }))).toMatchObject({
      argument: "options.strateg",
      message: 'simulate: options.strateg is not an option (expected one of the options strategy, kernel, races, onPoint, pointsWanted, keepEvents, start, probe, explain) (did you mean "strategy"?)',
    });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ["depth 0", { depth: 0 }, "options.depth", "explore: options.depth must be an integer from 1 to 3, got 0"],
    ["depth NaN", { depth: NaN }, "options.depth", "explore: options.depth must be an integer from 1 to 3, got NaN"],
    ["depth 1.5", { depth: 1.5 }, "options.depth", "explore: options.depth must be an integer from 1 to 3, got 1.5"],
    ["depth 4", { depth: 4 }, "options.depth", "explore: options.depth must be an integer from 1 to 3, got 4"],
    ["shard 0/0", { shard: { index: 0, count: 0 } }, "options.shard.count", "explore: options.shard.count must be an integer from 1 to 10000, got 0"],
    ["shard 3/2", { shard: { index: 3, count: 2 } }, "options.shard.index", "explore: options.shard.index must be an integer from 1 to options.shard.count (2), got 3"],
    ["shard 0/2", { shard: { index: 0, count: 2 } }, "options.shard.index", "explore: options.shard.index must be an integer from 1 to options.shard.count (2), got 0"],
    ["maxSchedules NaN", { maxSchedules: NaN }, "options.maxSchedules", "explore: options.maxSchedules must be an integer from 1, got NaN"],
    ["maxSchedules 0", { maxSchedules: 0 }, "options.maxSchedules", "explore: options.maxSchedules must be an integer from 1, got 0"],
    ["progress 1", { progress: 1 }, "options.progress", "explore: options.progress must be a function, got 1"],
  ])("explore with %s is refused, never a result", (_, extra, argument, message) => {
    expect(thrown(() => call(explore, s, { depth: 1, strategy: "none", ...extra }))).toMatchObject({ argument, message });
  });

  it("explore under a starry-* kernel takes only the kernel's strategy (as explore --strategy beside it is refused)", () => {
    const starry = loadScenario("name: starry\nmachine: { kernel: starry-2025-07 }\nthreads: [{ name: main }]\nraces: [{ name: zap, do: { frames: 0 } }]\n", "starry.yaml");
    if (!starry.ok) throw new Error(starry.problems.map(formatProblem).join("\n"));
    expect(thrown(() => explore(starry.scenario, { depth: 1, strategy: "none" }))).toMatchObject({
      argument: "options.strategy",
      message: 'explore: options.strategy must be percpu-flag (the scenario\'s kernel starry-2025-07 fixes the strategy), got "none"',
    });
    expect(explore(starry.scenario, { depth: 1, strategy: "percpu-flag" }).machine.strategy).toBe("percpu-flag");
  });

  it("simulate's races must be race events a scenario's events could hold", () => {
    const races = [{ race: "x", spec: { when: { step: 1, at: "before-step" }, do: { evict: { start: 0x10000n, pages: 1n } }, repeat: false } }];
    expect(thrown(() => call(simulate, s, { races }))).toMatchObject({
      argument: "options.races[0].spec.when.step",
      message: "simulate: options.races[0].spec.when.step must be a bigint (1n), got the number 1",
    });
  });

  it("simulate's kernel must have the operations the scenario's steps use (as run --kernel)", () => {
    const vm = loadScenario("name: vm\nmachine: { kernel: starry-2025-08 }\nmemory: [{ start: 0x10000, pages: 1, perm: rw }]\nthreads: [{ name: main, steps: [{ op: vm_read, ptr: 0x10000, len: 4 }] }]\n", "vm.yaml");
    if (!vm.ok) throw new Error(vm.problems.map(formatProblem).join("\n"));
    expect(thrown(() => simulate(vm.scenario, { kernel: "axptr-doc" })).argument).toBe("options.kernel");
  });
});

describe("a scenario loadScenario would refuse", () => {
  it.each<[string, () => Scenario, string, string]>([
    ["page_size 0n", () => ({ ...s, machine: { ...s.machine, page_size: 0n } }), "scenario.machine.page_size", "simulate: scenario.machine.page_size: page size 0 is not a power of two from 4096 to 65536"],
    ["page_size 4096 (a number)", () => ({ ...s, machine: { ...s.machine, page_size: 4096 as unknown as bigint } }), "scenario.machine.page_size", "simulate: scenario.machine.page_size must be a bigint (4096n), got the number 4096"],
    ["cpus 0", () => ({ ...s, machine: { ...s.machine, cpus: 0 } }), "scenario.machine.cpus", "simulate: scenario.machine.cpus: 0 is out of range (expected a CPU count, 1..64)"],
    [
      "an unknown op",
      () => ({ ...s, threads: [{ ...main, steps: [{ ...main.steps[0], op: "get_as_strr" } as unknown as Scenario["threads"][number]["steps"][number]] }] }),
      "scenario.threads[0].steps[0].op",
      'simulate: scenario.threads[0].steps[0].op: expected op to be one of get, get_as_slice, get_as_null_terminated, get_as_str, user_access, kernel_access, vm_read, vm_write, vm_load_string, got the string "get_as_strr" (did you mean "get_as_str"?)',
    ],
    ["a thread on CPU 99", () => ({ ...s, threads: [{ ...main, cpu: 99 }] }), "scenario.threads[0].cpu", "simulate: scenario.threads[0].cpu: 99 is out of range (expected a CPU number, 0..63)"],
    ["a thread on CPU 3 of 1", () => ({ ...s, threads: [{ ...main, cpu: 3 }] }), "scenario.threads[0].cpu", "simulate: scenario.threads[0].cpu: CPU 3 does not exist (machine.cpus is 1: CPUs 0..0)"],
    ["no threads", () => ({ ...s, threads: undefined as unknown as Scenario["threads"] }), "scenario.threads", "simulate: scenario.threads: required key is missing (expected an array of threads; loadScenario fills in the default thread main)"],
    ["an unknown key", () => ({ ...s, extra: 1 }) as Scenario, "scenario.extra", 'simulate: scenario.extra: unknown key "extra" (allowed here: name, description, machine, memory, threads, locks, events, races, explore, expect)'],
    ["perm as a string", () => ({ ...s, memory: [{ ...(s.memory[0] as Scenario["memory"][number]), perm: "r" as unknown as Scenario["memory"][number]["perm"] }] }), "scenario.memory[0].perm", 'simulate: scenario.memory[0].perm must be an object, as loadScenario returns it; got "r"'],
  ])("%s: refused by simulate, naming the key", (_, make, argument, message) => {
    expect(thrown(() => simulate(make()))).toMatchObject({ functionName: "simulate", argument, expected: "a scenario as loadScenario returns it", message });
  });

  it("refused by explore, parseToken and witnessTrace alike", () => {
    const bad = { ...s, machine: { ...s.machine, page_size: 0n } };
    const message = (fn: string) => `${fn}: scenario.machine.page_size: page size 0 is not a power of two from 4096 to 65536`;
    expect(thrown(() => explore(bad, { depth: 1, strategy: "none" })).message).toBe(message("explore"));
    expect(thrown(() => parseToken(bad, "")).message).toBe(message("parseToken"));
    expect(thrown(() => witnessTrace(bad, "", "none")).message).toBe(message("witnessTrace"));
    expect(thrown(() => tokenOf(bad, [])).message).toBe(message("tokenOf"));
  });
});

describe("tokens", () => {
  it("witnessTrace of a token that is not of the scenario's races is an ArgumentError with parseToken's message", () => {
    expect(thrown(() => witnessTrace(s, "nope@main#1:before-step", "none"))).toMatchObject({
      argument: "token",
      message: 'witnessTrace: token: the file has no race named "nope" (its races: munmap, evict)',
    });
  });

  it("parseToken refuses a [k] of 100 million digits at once, reading none of it", () => {
    const token = `munmap@main#1:before-read[${"1".repeat(100_000_000)}]`;
    const r = parseToken(s, token);
    expect(r).toEqual({
      ok: false,
      message: '"main#1:before-read[…]": its [k] has 100000000 characters (expected k in decimal, at most 20 digits: a count or an element index is below 2^64)',
    });
    expect(parseOccurrence(token.slice("munmap@".length))).toBeUndefined();
  });

  it("run --replay gives the same message for a [k] of 21 digits", () => {
    const token = "munmap@main#1:before-read[100000000000000000000]";
    const r = parseToken(s, token);
    expect(r).toEqual({ ok: false, message: '"main#1:before-read[…]": its [k] has 21 characters (expected k in decimal, at most 20 digits: a count or an element index is below 2^64)' });
    const run = cli(["run", FILE, "--replay", token]);
    expect(run.stderr).toBe(`axptr-sim: ${FILE}: --replay '${token}': ${r.ok ? "" : r.message}\n`);
    expect(run.code).toBe(2);
  });

  it("a [k] of 20 digits is still read (2^64-1 has 20)", () => {
    const r = parseToken(s, "munmap@main#1:before-read[18446744073709551615]");
    expect(r.ok && r.schedule[0]?.occ.k).toBe(18446744073709551615n);
  });
});

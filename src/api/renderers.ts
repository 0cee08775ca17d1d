// The package root's renderers, their arguments checked (args.ts); the CLI
// calls the unchecked ones directly. Each returns a string.
import type { ExploreResult } from "../explore/explore.js";
import { renderCompareJson as renderCompareJsonUnchecked, renderCompareText as renderCompareTextUnchecked, type Compared } from "../render/compare.js";
import { exploreJson as exploreJsonUnchecked, renderExploreJson as renderExploreJsonUnchecked } from "../render/explore-json.js";
import { exploreTextAll as exploreTextAllUnchecked, exploreTextBlock as exploreTextBlockUnchecked, replayCommand as replayCommandUnchecked, type ExploreTextOptions } from "../render/explore-text.js";
import { eventJson as eventJsonUnchecked, renderJson as renderJsonUnchecked, traceJson as traceJsonUnchecked, type Json } from "../render/json.js";
import { renderMermaid as renderMermaidUnchecked, renderMermaidAll as renderMermaidAllUnchecked, type MermaidOptions } from "../render/mermaid/index.js";
import { renderNdjson as renderNdjsonUnchecked } from "../render/ndjson.js";
import { renderReport as renderReportUnchecked, type ReportOptions, type ReportScenario } from "../render/report/index.js";
import { renderText as renderTextUnchecked, type TextOptions } from "../render/text.js";
import { EVENT_KINDS, type Trace, type TraceEvent } from "../sim/events.js";
import { Args } from "./args.js";
import { checkExploreResult, checkTrace } from "./shapes.js";

/** `[{ trace, file }]`, as renderJson, renderNdjson and renderMermaidAll take them. */
function checkTraces(a: Args, argument: string, value: unknown): void {
  a.array(argument, value, "an array of { trace, file }").forEach((item, i) => {
    const o = a.options(`${argument}[${i}]`, item, ["trace", "file"], "an object { trace, file }");
    checkTrace(a, `${argument}[${i}].trace`, o.trace);
    a.string(`${argument}[${i}].file`, o.file);
  });
}

/** A JSON value: null, true or false, a finite number, a string, or arrays and plain objects of them, with no cycle. */
function checkJson(a: Args, argument: string, value: unknown, within: readonly object[] = []): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) a.fail(argument, "a JSON value (a finite number)", value);
    return;
  }
  if (typeof value !== "object") return a.fail(argument, "a JSON value (null, a boolean, a number, a string, an array or an object)", value);
  if (within.includes(value)) return a.fail(argument, "a JSON value without cycles", value);
  if (within.length >= 1000) return a.fail(argument, "a JSON value nested at most 1000 deep", value);
  const inner = [...within, value];
  if (Array.isArray(value)) value.forEach((v, i) => checkJson(a, `${argument}[${i}]`, v, inner));
  else for (const [k, v] of Object.entries(value)) checkJson(a, `${argument}.${k}`, v, inner);
}

function checkJsonObject(a: Args, argument: string, value: unknown): void {
  a.object(argument, value, "an object of JSON values");
  checkJson(a, argument, value);
}

/**
 * The text trace, as `run` prints it (and as `.trace` goldens hold it, with `color: false`).
 *
 * @throws {ArgumentError} when `trace` is not a Trace, `file` not a string, or `options` not `{ color, quiet? }`.
 */
export function renderText(trace: Trace, file: string, opts: TextOptions): string {
  const a: Args = new Args("renderText");
  checkTrace(a, "trace", trace);
  a.string("file", file);
  const o = a.options("opts", opts, ["color", "quiet"], "an object { color, quiet? }");
  a.boolean("opts.color", o.color);
  a.optional("opts.quiet", o.quiet, (k, v) => a.boolean(k, v));
  return renderTextUnchecked(trace, file, opts);
}

/**
 * `run --format json`: one document (`single`, the default for one trace) or an array of them.
 *
 * @throws {ArgumentError} when `traces` is not an array of `{ trace, file }` or `single` not a boolean.
 */
export function renderJson(traces: readonly { trace: Trace; file: string }[], single: boolean = Array.isArray(traces) && traces.length === 1): string {
  const a: Args = new Args("renderJson");
  checkTraces(a, "traces", traces);
  a.boolean("single", single);
  return renderJsonUnchecked(traces, single);
}

/**
 * One trace's JSON document as a plain object (`events: false` leaves the events out; `extra` keys are added at the end).
 *
 * @throws {ArgumentError} when an argument is not of its type.
 */
export function traceJson(trace: Trace, file: string, events = true, extra: { readonly [k: string]: Json } = {}): { [k: string]: Json } {
  const a: Args = new Args("traceJson");
  checkTrace(a, "trace", trace);
  a.string("file", file);
  a.boolean("events", events);
  checkJsonObject(a, "extra", extra);
  return traceJsonUnchecked(trace, file, events, extra);
}

/**
 * One event as the JSON trace holds it.
 *
 * @throws {ArgumentError} when `event` is not an event of a trace.
 */
export function eventJson(event: TraceEvent): Json {
  const a: Args = new Args("eventJson");
  a.oneOf("event.kind", a.object("event", event, "a TraceEvent (an element of a trace's events)").kind, EVENT_KINDS);
  return eventJsonUnchecked(event);
}

/**
 * `run --format ndjson`: one line per event, then the summary.
 *
 * @throws {ArgumentError} when `traces` is not an array of `{ trace, file }`.
 */
export function renderNdjson(traces: readonly { trace: Trace; file: string }[]): string {
  checkTraces(new Args("renderNdjson"), "traces", traces);
  return renderNdjsonUnchecked(traces);
}

function checkRuns(a: Args, value: unknown): void {
  a.array("runs", value, "an array of { strategy, trace, kernel? }").forEach((r, i) => {
    const o = a.options(`runs[${i}]`, r, ["strategy", "kernel", "trace"], "an object { strategy, trace, kernel? }");
    a.string(`runs[${i}].strategy`, o.strategy);
    a.optional(`runs[${i}].kernel`, o.kernel, (k, v) => a.string(k, v));
    checkTrace(a, `runs[${i}].trace`, o.trace);
  });
}

/**
 * `compare`'s table: one column per run.
 *
 * @throws {ArgumentError} when an argument is not of its type.
 */
export function renderCompareText(name: string, file: string, runs: readonly Compared[], color: boolean, kernel?: string): string {
  const a: Args = new Args("renderCompareText");
  a.string("name", name);
  a.string("file", file);
  checkRuns(a, runs);
  a.boolean("color", color);
  a.optional("kernel", kernel, (k, v) => a.string(k, v));
  return renderCompareTextUnchecked(name, file, runs, color, kernel);
}

/**
 * `compare --format json`.
 *
 * @throws {ArgumentError} when an argument is not of its type.
 */
export function renderCompareJson(name: string, file: string, runs: readonly Compared[], kernel?: string, extra: { readonly [k: string]: Json } = {}): string {
  const a: Args = new Args("renderCompareJson");
  a.string("name", name);
  a.string("file", file);
  checkRuns(a, runs);
  a.optional("kernel", kernel, (k, v) => a.string(k, v));
  checkJsonObject(a, "extra", extra);
  return renderCompareJsonUnchecked(name, file, runs, kernel, extra);
}

function checkMermaidOptions(a: Args, value: unknown): void {
  const o = a.options("opts", value, ["color", "fences"], "an object { color, fences? }");
  a.boolean("opts.color", o.color);
  a.optional("opts.fences", o.fences, (k, v) => a.boolean(k, v));
}

/**
 * The trace as a Mermaid sequence diagram (`run --format mermaid`).
 *
 * @throws {ArgumentError} when an argument is not of its type.
 */
export function renderMermaid(trace: Trace, file: string, opts: MermaidOptions): string {
  const a: Args = new Args("renderMermaid");
  checkTrace(a, "trace", trace);
  a.string("file", file);
  checkMermaidOptions(a, opts);
  return renderMermaidUnchecked(trace, file, opts);
}

/**
 * Several traces' diagrams, one after another.
 *
 * @throws {ArgumentError} when an argument is not of its type.
 */
export function renderMermaidAll(traces: readonly { trace: Trace; file: string }[], opts: MermaidOptions): string {
  const a: Args = new Args("renderMermaidAll");
  checkTraces(a, "traces", traces);
  checkMermaidOptions(a, opts);
  return renderMermaidAllUnchecked(traces, opts);
}

/**
 * The HTML report (`axptr-sim report`): one part per scenario.
 *
 * @throws {ArgumentError} when `items` is not an array of `{ file, trace, sections? }` or `opts` not `{ color }`.
 */
export function renderReport(items: readonly ReportScenario[], opts: ReportOptions): string {
  const a: Args = new Args("renderReport");
  a.array("items", items, "an array of { file, trace, sections? }").forEach((item, i) => {
    const o = a.options(`items[${i}]`, item, ["file", "trace", "sections"], "an object { file, trace, sections? }");
    a.string(`items[${i}].file`, o.file);
    checkTrace(a, `items[${i}].trace`, o.trace);
    a.optional(`items[${i}].sections`, o.sections, (k, v) =>
      a.array(k, v, "an array of { id, title, html }").forEach((sec, j) => {
        const s = a.options(`${k}[${j}]`, sec, ["id", "title", "html"], "an object { id, title, html }");
        for (const key of ["id", "title", "html"] as const) a.string(`${k}[${j}].${key}`, s[key]);
      }),
    );
  });
  a.boolean("opts.color", a.options("opts", opts, ["color"], "an object { color }").color);
  return renderReportUnchecked(items, opts);
}

/**
 * An exploration's JSON document (`explore --format json`) as a plain object.
 *
 * @throws {ArgumentError} when `result` is not an ExploreResult or `file` not a string.
 */
export function exploreJson(result: ExploreResult, file: string): { [k: string]: Json } {
  const a: Args = new Args("exploreJson");
  checkExploreResult(a, "result", result);
  a.string("file", file);
  return exploreJsonUnchecked(result, file);
}

/**
 * Explore documents as `explore --format json` prints them: the first alone (`single`) or all in an array.
 *
 * @throws {ArgumentError} when `docs` is not an array of JSON objects or `single` not a boolean.
 */
export function renderExploreJson(docs: readonly { [k: string]: Json }[], single: boolean): string {
  const a: Args = new Args("renderExploreJson");
  a.array("docs", docs, "an array of JSON objects").forEach((d, i) => checkJsonObject(a, `docs[${i}]`, d));
  a.boolean("single", single);
  return renderExploreJsonUnchecked(docs, single);
}

const TEXT_OPTIONS = ["color", "file", "strategyArg", "kernelArg", "never", "hazardsForbidden", "command"] as const;

function checkExploreTextOptions(a: Args, value: unknown, known: readonly string[]): void {
  const o = a.options("o", value, known, "an object { color, file, never, hazardsForbidden, … }");
  a.boolean("o.color", o.color);
  a.string("o.file", o.file);
  a.array("o.never", o.never, "an array of outcomes").forEach((n, i) => a.string(`o.never[${i}]`, n));
  a.boolean("o.hazardsForbidden", o.hazardsForbidden);
  for (const key of ["strategyArg", "kernelArg", "command"] as const) if (known.includes(key)) a.optional(`o.${key}`, o[key], (k, v) => a.string(k, v));
}

/**
 * `explore`'s text for one strategy: each class with its replay command (also the `.outcomes` golden).
 *
 * @throws {ArgumentError} when `result` is not an ExploreResult or `o` not its options.
 */
export function exploreTextBlock(result: ExploreResult, o: ExploreTextOptions): string {
  const a: Args = new Args("exploreTextBlock");
  checkExploreResult(a, "result", result);
  checkExploreTextOptions(a, o, TEXT_OPTIONS);
  return exploreTextBlockUnchecked(result, o);
}

/**
 * `explore --strategy all`'s text (`byKernel`: `--kernel all`'s): a line per result, then each one's block.
 *
 * @throws {ArgumentError} when `results` is not an array of ExploreResults or `o` not its options.
 */
export function exploreTextAll(results: readonly ExploreResult[], o: Omit<ExploreTextOptions, "strategyArg">, byKernel = false): string {
  const a: Args = new Args("exploreTextAll");
  a.array("results", results, "an array of ExploreResults").forEach((r, i) => checkExploreResult(a, `results[${i}]`, r));
  // strategyArg is allowed (and unused): one options object may serve both.
  checkExploreTextOptions(a, o, TEXT_OPTIONS);
  a.boolean("byKernel", byKernel);
  return exploreTextAllUnchecked(results, o, byKernel);
}

/**
 * The command that replays a token: `axptr-sim run FILE --replay 'TOKEN'`.
 *
 * @throws {ArgumentError} when an argument is not a string.
 */
export function replayCommand(file: string, token: string, strategyArg?: string, kernelArg?: string, command = "axptr-sim"): string {
  const a: Args = new Args("replayCommand");
  a.string("file", file);
  a.string("token", token);
  a.optional("strategyArg", strategyArg, (k, v) => a.string(k, v));
  a.optional("kernelArg", kernelArg, (k, v) => a.string(k, v));
  a.string("command", command);
  return replayCommandUnchecked(file, token, strategyArg, kernelArg, command);
}


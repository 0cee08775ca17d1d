// `--format text`: the trace as a person reads it, like the seed's table:
// every event with its number, CPU, thread, step and the flag state, then
// each step's result against its expectation, then a summary. Names and
// texts from the scenario are printed through printable() (p): one line, no
// control characters a terminal or a CI log would obey.
import { hex } from "../scenario/numbers.js";
import type { Expected, Flags, RunResult, StepResult, Trace, TraceEvent, Value } from "../sim/events.js";
import { printable as p } from "../scenario/printable.js";
import { palette, type Palette } from "./colors.js";

export interface TextOptions {
  color: boolean;
  /** Only the step results and the summary. */
  quiet?: boolean;
}

const MAX_STRING = 48;
const MAX_LIST = 12;

export function renderText(t: Trace, file: string, opts: TextOptions): string {
  return [...textChunks(t, file, opts)].join("");
}

/** The text trace line by line, so a trace of hundreds of thousands of events is written without being held whole. */
export function* textChunks(t: Trace, file: string, opts: TextOptions): Generator<string> {
  const c = palette(opts.color);
  yield `${c.bold("scenario")}  ${p(t.scenario.name)}\n`;
  yield `${c.bold("file")}      ${p(file)}\n`;
  yield `${c.bold("machine")}   ${machineLine(t)}\n`;
  if (t.locks !== undefined) yield `${c.bold("locks")}     ${p(t.locks.map((l) => `${l.name} (${l.kind})`).join(", "))}\n`;
  yield `${c.bold("state")}     ${STATE_LEGEND[t.machine.strategy] ?? ""}\n`;
  if (!opts.quiet) {
    yield "\n";
    for (const line of eventTable(t, c)) yield line + "\n";
  }
  yield "\n";
  yield c.bold("steps") + "\n";
  for (const s of t.steps) {
    const mark = s.met === null ? " " : s.met ? c.ok("✓") : c.bad("✗");
    const expected = s.expected === null ? "" : `  (expected ${resultText(s.expected)})`;
    const call = p(`${s.op} ${s.args}`.trimEnd());
    const reason = s.reason !== undefined ? c.warn(` (${p(s.reason)})`) : "";
    yield `  ${mark} ${p(s.thread)}#${s.step} ${call} → ${colorResult(s.result, c)}${reason}${s.met === false ? c.bad(expected) : c.dim(expected)}\n`;
  }
  for (const e of t.expectations) yield `  ${e.met ? c.ok("✓") : c.bad("✗")} run: ${p(e.what)}${e.met ? "" : c.bad(" (not met)")}\n`;
  yield "\n";
  for (const line of summaryLines(t, c)) yield line + "\n";
}

/** What the `state` column holds under each strategy. */
const STATE_LEGEND: Record<string, string> = {
  none: "- (no state: every kernel-mode fault is taken for a kernel bug)",
  "percpu-flag": "ACCESSING_USER_MEM, one bool per CPU (1 = accessing user memory)",
  "per-thread-flag": "one bool per thread (1 = accessing user memory)",
  "nesting-counter": "one counter per thread (above 0 = accessing user memory)",
  "exception-table": "- (no state: the faulting instruction decides, through the exception table)",
  "global-flag": "ACCESSING_USER_MEM, one bool for the whole machine (1 = accessing user memory)",
};

function machineLine(t: Trace): string {
  const m = t.machine;
  const kib = Number(m.page_size) / 1024;
  const frames = m.frames === "unlimited" ? "frames unlimited" : `${m.frames} frame${m.frames === 1n ? "" : "s"}`;
  return `${m.cpus} CPU${m.cpus === 1 ? "" : "s"}, ${kernelWords(m.kernel)}strategy ${m.strategy}, page ${kib} KiB, ${frames}, lock ${m.aspace_lock}`;
}

/** "kernel NAME, " when one is named; nothing otherwise (the line stays as it was before kernels). */
export function kernelWords(kernel: string | undefined): string {
  return kernel === undefined ? "" : `kernel ${kernel}, `;
}

function summaryLines(t: Trace, c: Palette): string[] {
  const s = t.summary;
  const outcome = t.outcome === "completed" ? c.ok(t.outcome) : c.bad(t.outcome);
  const lines = [
    `${c.bold("outcome")}   ${outcome}`,
    `${c.bold("faults")}    ${s.faults} (${s.resolved} resolved) in ${s.events} events`,
    `${c.bold("hazards")}   ${t.hazards.length === 0 ? "none" : c.warn(t.hazards.map((h) => `${h.kind} (event ${h.seq})`).join(", "))}`,
  ];
  for (const u of t.unfired) lines.push(`${c.bold("unfired")}   ${c.warn(p(`${u.race !== undefined ? `race ${u.race}` : `events.${u.event}`} (${u.when}) never fired: ${u.why}`))}`);
  const ex = s.expectations;
  if (ex.met + ex.failed > 0) lines.push(`${c.bold("expected")}  ${ex.failed === 0 ? c.ok(`${ex.met} met`) : `${ex.met} met, ${c.bad(`${ex.failed} failed`)}`}`);
  return lines;
}

// ---- the event table ------------------------------------------------------------

function* eventTable(t: Trace, c: Palette): Generator<string> {
  // Column widths first (a loop, not Math.max(...): a long trace has too many values to spread).
  let threadW = 6;
  let stateW = 5;
  // Events share their flags object while the state does not change: each state is written out once.
  const states = new Map<Flags, string>();
  const stateOf = (f: Flags) => {
    let text = states.get(f);
    if (text === undefined) states.set(f, (text = flagsText(f, t.stateKeys)));
    return text;
  };
  // A thread's name as printed, once per name (there are few names and many events).
  const names = new Map<string, string>();
  const nameOf = (n: string) => {
    let text = names.get(n);
    if (text === undefined) names.set(n, (text = p(n)));
    return text;
  };
  for (const e of t.events) {
    threadW = Math.max(threadW, nameOf(e.thread).length);
    stateW = Math.max(stateW, stateOf(e.flags).length);
  }
  const seqW = Math.max(3, String(t.events.length).length);
  yield c.dim(`${pad("#", seqW, true)}  cpu  ${pad("thread", threadW)}  step  ${pad("state", stateW)}  event`);
  let prevState = "";
  // The threads interrupted by `run` actions, innermost last: a run-result says who goes on.
  const interrupted: string[] = [];
  for (const e of t.events) {
    if (e.kind === "run") interrupted.push(e.thread);
    const back = e.kind === "run-result" ? interrupted.pop() : undefined;
    const state = stateOf(e.flags);
    const stateCell = state !== prevState ? c.accent(pad(state, stateW)) : pad(state, stateW);
    prevState = state;
    // A switched-in thread's events sit under its `run` line, its run-result back level with it.
    const indent = (e.in_run && e.kind !== "run-result" ? "  │ " : "") + "  ".repeat(e.nested ?? 0);
    yield `${pad(String(e.seq), seqW, true)}  ${pad(String(e.cpu), 3, true)}  ${pad(nameOf(e.thread), threadW)}  ${pad(String(e.step), 4, true)}  ${stateCell}  ${indent}${describe(e, c, back)}`;
  }
}

function pad(s: string, w: number, right = false): string {
  return right ? s.padStart(w) : s.padEnd(w);
}

/** The strategy's state: `cpu0=1 cpu1=0`, `main=2`, or `-` where it has none. Long lists show only what is set. */
export function flagsText(f: Flags, keys: readonly string[] = Object.keys(f)): string {
  const entries = keys.filter((k) => k in f).map((k) => [k, f[k] as boolean | number] as const);
  if (entries.length === 0) return "-";
  const show = (v: boolean | number) => (typeof v === "boolean" ? (v ? "1" : "0") : String(v));
  if (entries.length <= 4) return entries.map(([k, v]) => `${p(k)}=${show(v)}`).join(" ");
  const set = entries.filter(([, v]) => v !== false && v !== 0);
  return set.length === 0 ? "all 0" : `${set.map(([k, v]) => `${p(k)}=${show(v)}`).join(" ")} rest 0`;
}

/** The reason a failing check or populate carries (run --explain): the handler's lines say theirs the same way. */
function because(why: string | undefined, c: Palette): string {
  return why === undefined ? "" : c.bad(` (${why})`);
}

function okText(ok: boolean, c: Palette): string {
  return ok ? c.ok("ok") : c.bad("fails");
}

function describe(e: TraceEvent, c: Palette, back?: string): string {
  switch (e.kind) {
    case "step-start":
      return c.bold(p(`▶ ${e.op} ${e.args}`.trimEnd()));
    case "align-check":
      return `align check ${hex(e.addr)} % ${e.align}: ${okText(e.ok, c)}`;
    case "region-check":
      return `region check ${range(e.addr, e.size)} needs ${e.access}: ${okText(e.ok, c)}${because(e.why, c)}`;
    case "populate":
      return `populate ${range(e.addr, e.size)}: ${e.ok ? c.ok("ok") : c.bad(e.errno ?? "stopped, the budget ran out")}${because(e.why, c)}`;
    case "page-mapped":
      return `page ${hex(e.addr)} mapped`;
    case "flag-set":
      return c.accent(`access_user_memory begins${Object.keys(e.flags).length === 0 ? " (this design keeps no state)" : ": state set"}`);
    case "flag-clear":
      return c.accent(`access_user_memory ends${Object.keys(e.flags).length === 0 ? " (this design keeps no state)" : ": state cleared"}`);
    case "page-check":
      return `page check ${hex(e.addr)}: ${okText(e.ok, c)}${because(e.why, c)}`;
    case "read":
    case "write":
    case "execute":
      return `${e.mode} ${e.kind} ${range(e.addr, e.size)} (${e.size} byte${e.size === 1n ? "" : "s"})${"interrupt" in e && e.interrupt ? " in interrupt" : ""}`;
    case "page-fault":
      return c.warn(`PAGE FAULT at ${hex(e.addr)}: ${e.access}, ${e.mode} mode${e.interrupt ? ", in an interrupt handler" : ""}`);
    case "handler": {
      const word = e.decision === "resolved" || e.decision === "fixup" ? c.ok(e.decision) : c.bad(e.decision);
      return `handler: ${word} (${p(e.reason)})`;
    }
    case "injected":
      return c.accent(p(`⚡ ${e.race !== undefined ? `race ${e.race} ` : ""}injected${e.by ? ` by ${e.by}` : ""}: ${e.detail}`));
    case "migrate":
      return `thread moves cpu${e.from} → cpu${e.to}`;
    case "interrupt":
      return `interrupt handler runs, ${e.access} at ${hex(e.addr)}`;
    case "lock":
      if (e.decision === "relock") return c.bad(`${e.lock !== undefined ? `lock ${e.lock}` : "address-space lock"}: already held by this thread: the Mutex asserts (panic)`);
      if (e.lock !== undefined) return c.bad(`lock ${e.lock}: already held by this thread: deadlock`);
      return e.decision === "deadlock" ? c.bad("address-space lock: already held by this thread: deadlock") : `address-space lock ${e.decision}`;
    case "check":
      return `access check ${range(e.addr, e.size)} inside the user address space: ${okText(e.ok, c)}${because(e.why, c)}`;
    case "nested-result":
      return `◀ nested ${e.op} → ${resultText(e.result)}`;
    case "run":
      return c.accent(p(`⇄ thread ${e.to} switched in on cpu${e.to_cpu}${e.by !== undefined ? ` by ${e.by}` : ""}: ${`${e.op} ${e.args}`.trimEnd()}`));
    case "run-result": {
      const held = e.lock !== undefined ? `lock ${e.lock}` : "the address-space lock";
      const blocked = e.result.status === "blocked" ? ` (${held} is held by thread ${e.blocked_by ?? "?"}: it sleeps, the rest does not happen here)` : "";
      return c.accent(p(`⇄ thread ${e.thread}'s ${e.op} → ${resultText(e.result)}${blocked}; back to thread ${back ?? "?"}`));
    }
    case "hazard":
      return c.warn(p(`⚠ HAZARD ${e.hazard}: ${e.message}`));
    case "step-end":
      return c.bold(`◀ ${resultText(e.result)}`);
  }
}

function range(addr: bigint, size: bigint): string {
  return `${hex(addr)}..${hex(addr + size)}`;
}

function colorResult(r: StepResult, c: Palette): string {
  const s = resultText(r);
  return r.status === "ok" ? c.ok(s) : r.status === "err" || r.status === "not-run" ? c.warn(s) : c.bad(s);
}

export function resultText(r: RunResult | Expected): string {
  switch (r.status) {
    case "ok":
      return "value" in r ? `ok ${valueText(r.value ?? null)}` : "ok";
    case "err":
      return `err ${r.errno}`;
    case "panic":
      return "message" in r ? `panic: ${p(r.message)}` : "panic";
    case "killed":
      return "killed (SIGSEGV)";
    default:
      return r.status;
  }
}

const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function codePoints(s: string): number {
  // No high surrogate (the usual case): one code point a unit, found by a native scan instead of a loop.
  if (!HIGH_SURROGATE.test(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) if (isHighSurrogate(s.charCodeAt(i)) && i + 1 < s.length) i++;
  return n;
}

/** The first `n` code points of `s`. */
function prefix(s: string, n: number): string {
  let i = 0;
  for (let k = 0; k < n && i < s.length; k++) i += isHighSurrogate(s.charCodeAt(i)) && i + 1 < s.length ? 2 : 1;
  return s.slice(0, i);
}

/** Values for people: long strings and lists abbreviated (JSON never is). */
export function valueText(v: Value): string {
  // A long string is shown twice (its step-end event and its step): measured once.
  if (typeof v === "string" && v.length > MAX_STRING && v === lastLong.value) return lastLong.text;
  const text = valueTextOf(v);
  if (typeof v === "string" && v.length > MAX_STRING) lastLong = { value: v, text };
  return text;
}

let lastLong = { value: "", text: "" };

function valueTextOf(v: Value): string {
  if (v === null) return "None";
  if (typeof v === "bigint") return v > 0xffffn ? hex(v) : v.toString();
  if (typeof v === "string") {
    // Counted and cut in characters (code points): a cut must not split a surrogate pair.
    // Walked in place: a 64 MiB string must not become an array of 64M one-character strings.
    const count = codePoints(v);
    // JSON.stringify escapes the C0 controls; p() the rest (DEL, C1, bidi, separators), in the same \uXXXX form.
    if (count <= MAX_STRING) return p(JSON.stringify(v));
    return `${p(JSON.stringify(prefix(v, MAX_STRING)))}… (${count} chars)`;
  }
  const shown = v.slice(0, MAX_LIST).map(valueText).join(", ");
  return v.length <= MAX_LIST ? `[${shown}]` : `[${shown}, … ${v.length - MAX_LIST} more]`;
}

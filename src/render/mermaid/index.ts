// `run --format mermaid`: the run as a Mermaid sequence diagram in the seed
// document's style. Participants: the kernel code of each thread that acts,
// access_user_memory(), the strategy's state (one participant per CPU flag,
// thread flag or counter that the run touches), the page-fault handler, user
// memory, and one actor per `by` label of injected events. State changes are
// notes, faults are `alt` blocks labelled with the handler's decision,
// hazards are notes in a highlighted `rect`, each step's result ends it.
import { hex } from "../../scenario/numbers.js";
import type { Flags, StepRecord, Trace, TraceEvent } from "../../sim/events.js";
import { genericText } from "../generic.js";
import { resultText } from "../text.js";
import { esc, idOf, wrap } from "./text.js";

export interface MermaidOptions {
  /** Unused (a diagram has no terminal colour); kept so every renderer takes the same options. */
  color: boolean;
  /** Wrap the diagram in a Markdown ```mermaid fence, for pasting into an issue or pull request. */
  fences?: boolean;
}

/** A diagram with more messages than this is cut (Mermaid refuses very large texts); a note says so. */
export const MAX_MESSAGES = 400;

/** The state's participant label, named as the strategy names it. */
function stateLabel(strategy: string, key: string): string {
  switch (strategy) {
    case "percpu-flag":
      return `ACCESSING_USER_MEM (${key})`;
    case "per-thread-flag":
      return `flag of thread ${key}`;
    case "nesting-counter":
      return `counter of thread ${key}`;
    case "global-flag":
      return "ACCESSING_USER_MEM (global)";
    default:
      return `state ${key}`;
  }
}

const isAccessing = (v: boolean | number | undefined): boolean => v === true || (typeof v === "number" && v > 0);
const shown = (v: boolean | number | undefined): string => (v === undefined ? "-" : String(v));

/** Which state key the handler consults for a fault: the CPU's flag or the thread's. */
function keyOf(t: Trace, e: TraceEvent): string | undefined {
  if (t.stateKeys.length === 0) return undefined;
  return t.machine.strategy === "percpu-flag" ? `cpu${e.cpu}` : e.thread;
}

const MEMORY_ACTIONS = new Set(["unmap", "protect", "evict", "map", "write", "frames"]);

export function renderMermaid(t: Trace, file: string, opts: MermaidOptions): string {
  const body = diagram(t, file);
  return opts.fences ? "```mermaid\n" + body + "```\n" : body;
}

/** Several files: one diagram each, plain (a blank line between) or each in its own fence. */
export function renderMermaidAll(traces: readonly { trace: Trace; file: string }[], opts: MermaidOptions): string {
  return traces.map(({ trace, file }) => renderMermaid(trace, file, opts)).join("\n");
}

function diagram(t: Trace, file: string): string {
  const ids = new Map<string, string>();
  const events = t.events;
  const threads: string[] = [];
  const byLabels: string[] = [];
  const stateKeys = new Set<string>();
  let usesAccess = false;
  let faults = false;
  for (const e of events) {
    if (!threads.includes(e.thread)) threads.push(e.thread);
    if (e.kind === "flag-set" || e.kind === "flag-clear") usesAccess = true;
    if (e.kind === "page-fault") faults = true;
    if (e.kind === "injected") {
      const by = e.by ?? "injected event";
      if (!byLabels.includes(by)) byLabels.push(by);
    }
  }
  // Steps that could have run but did not (kernels.md section 8) are notes over their thread, in step order.
  const notRun = t.steps.filter((s) => s.reason !== undefined);
  for (const s of notRun) if (!threads.includes(s.thread)) threads.push(s.thread);
  // The state participants: every key the run sets or consults, in the trace's key order.
  let prev: Flags | undefined;
  for (const e of events) {
    for (const k of t.stateKeys) if (prev && prev[k] !== e.flags[k]) stateKeys.add(k);
    if (e.kind === "page-fault" || e.kind === "flag-set" || e.kind === "flag-clear") {
      const k = keyOf(t, e);
      if (k !== undefined) stateKeys.add(k);
    }
    prev = e.flags;
  }
  const T = (name: string) => idOf("T", name, ids);
  const S = (key: string) => idOf("S", key, ids);
  const A = (by: string) => idOf("A", by, ids);
  const AUM = "AUM";
  const PF = "PF";
  const MEM = "MEM";

  // The file is escaped as every label: a `%%{init: …}%%` directive in its name would restyle the diagram. Not cut: a path is not drawn.
  const out: string[] = ["sequenceDiagram", `  %% ${esc(file, Infinity)}`];
  out.push(`  title ${esc(t.scenario.name)}`);
  for (const th of threads) out.push(`  participant ${T(th)} as Kernel code (${esc(th, 40)})`);
  if (usesAccess) out.push(`  participant ${AUM} as access_user_memory()`);
  for (const k of t.stateKeys) if (stateKeys.has(k)) out.push(`  participant ${S(k)} as ${esc(stateLabel(t.machine.strategy, k), 48)}`);
  if (faults) out.push(`  participant ${PF} as Page-fault handler`);
  out.push(`  participant ${MEM} as User memory`);
  // Injected events come from outside the kernel code: their actors stand beside user memory, which they mostly change.
  for (const by of byLabels) out.push(`  actor ${A(by)} as ${esc(by, 40)}`);

  const lines: string[] = [];
  /** The fault blocks open, innermost last; each closes after its handler's decision and the pages it maps. */
  const open: { closing: boolean }[] = [];
  let messages = 0;
  const say = (line: string) => {
    lines.push("  ".repeat(1 + open.length) + line);
    messages++;
  };
  /** Open access_user_memory sections per thread (a nested one counts too). */
  const inAccess = new Map<string, number>();
  const decisionOf = faultDecisions(events);
  /** The threads that another thread's run preempted, innermost last (its result returns to them). */
  const interrupted: string[] = [];
  let before: Flags | undefined;
  const sayNotRun = (s: StepRecord) => say(`Note over ${T(s.thread)}: ${wrap(`${`${s.thread}#${s.step} ${s.op} ${s.args}`.trimEnd()} → not-run: ${s.reason ?? ""}`)}`);

  for (let i = 0; i < events.length; i++) {
    const e = events[i] as TraceEvent;
    if (messages >= MAX_MESSAGES) {
      lines.push(`  Note over ${T(e.thread)},${MEM}: … ${events.length - i} more events not drawn (see the text trace)`);
      break;
    }
    // A fault block closes at the first event after its decision that is not a page it maps.
    while (open.length > 0 && open[open.length - 1]?.closing && e.kind !== "page-mapped") {
      open.pop();
      lines.push("  ".repeat(1 + open.length) + "end");
    }
    const th = T(e.thread);
    /** A message that follows the state notes (the return of access_user_memory comes after its flag is cleared). */
    let after: string | undefined;
    const caller = (inAccess.get(e.thread) ?? 0) > 0 && !isInterrupt(e) ? AUM : th;
    switch (e.kind) {
      case "step-start":
        while (notRun.length > 0 && t.steps.indexOf(notRun[0] as StepRecord) < t.steps.findIndex((s) => s.thread === e.thread && s.step === e.step)) sayNotRun(notRun.shift() as StepRecord);
        say(`Note over ${th}: ▶ ${esc(`${e.thread}#${e.step} ${e.op} ${e.args}`.trimEnd())}`);
        break;
      case "align-check":
        say(`${caller} ->> ${MEM}: align check ${hex(e.addr)} % ${e.align}: ${e.ok ? "ok" : "fails"}`);
        break;
      case "region-check":
        say(`${caller} ->> ${MEM}: region check ${range(e.addr, e.size)} needs ${esc(e.access)}: ${e.ok ? "ok" : "fails"}`);
        break;
      case "populate":
        say(`${caller} ->> ${MEM}: populate ${range(e.addr, e.size)}: ${e.ok ? "ok" : esc(e.errno ?? "stopped, the budget ran out")}`);
        break;
      case "page-mapped":
        say(`Note over ${MEM}: page ${hex(e.addr)} mapped`);
        break;
      case "flag-set": {
        inAccess.set(e.thread, (inAccess.get(e.thread) ?? 0) + 1);
        say(`${th} ->> ${AUM}: call with the closure that scans user memory`);
        const k = changedKey(t, before, e) ?? keyOf(t, e);
        if (k !== undefined) say(`${AUM} ->> ${S(k)}: set ${shown(e.flags[k])}`);
        else say(`Note over ${AUM}: access begins (this design keeps no state)`);
        break;
      }
      case "flag-clear": {
        const k = changedKey(t, before, e) ?? keyOf(t, e);
        if (k !== undefined) say(`${AUM} ->> ${S(k)}: set ${shown(e.flags[k])}`);
        else say(`Note over ${AUM}: access ends (this design keeps no state)`);
        after = `${AUM} -->> ${th}: return`;
        inAccess.set(e.thread, Math.max(0, (inAccess.get(e.thread) ?? 0) - 1));
        break;
      }
      case "page-check": {
        // A long scan (page checks that pass and the reads between them, nothing else): one message with its counts.
        const run = scanRun(events, i);
        if (run.checks >= SCAN_FOLD) {
          const from = e.addr;
          say(
            `${caller} ->> ${MEM}: scan ${hex(from)}..${hex(run.end)}: ${run.checks} page checks ok, ${run.reads} reads (${run.bytes} byte${run.bytes === 1n ? "" : "s"})`,
          );
          i = run.last;
          break;
        }
        say(`${caller} ->> ${MEM}: page check ${hex(e.addr)}: ${e.ok ? "ok" : "fails"}`);
        break;
      }
      case "read":
      case "write":
      case "execute": {
        // Consecutive accesses of one page, of one kind, by one caller: one message with a count.
        let last = i;
        let bytes = e.size;
        let end = e.addr + e.size;
        while (last + 1 < events.length) {
          const n = events[last + 1] as TraceEvent;
          if (!sameRun(e, n, t.machine.page_size)) break;
          last++;
          bytes += (n as { size: bigint }).size;
          end = (n as { addr: bigint; size: bigint }).addr + (n as { size: bigint }).size;
        }
        const count = last - i + 1;
        const what = `${e.mode} ${e.kind}${isInterrupt(e) ? " in interrupt" : ""}`;
        const span = count === 1 ? range(e.addr, e.size) : `${hex(e.addr)}..${hex(end)}`;
        say(`${caller} ->> ${MEM}: ${what} ${span} (${bytes} byte${bytes === 1n ? "" : "s"}${count > 1 ? `, ${count} ${e.kind}s` : ""})`);
        i = last;
        break;
      }
      case "page-fault": {
        const decision = decisionOf.get(i);
        const label = `page fault at ${hex(e.addr)} (${e.access}, ${e.mode} mode${e.interrupt ? ", in an interrupt" : ""})${decision ? `: ${decision}` : ""}`;
        lines.push("  ".repeat(1 + open.length) + `alt ${esc(label)}`);
        open.push({ closing: false });
        say(`${MEM} ->> ${PF}: page fault ${hex(e.addr)}, ${e.access}, ${e.mode} mode`);
        const k = keyOf(t, e);
        if (e.mode === "kernel" && k !== undefined && stateKeys.has(k)) {
          say(`${PF} ->> ${S(k)}: is_accessing_user_memory()?`);
          say(`${S(k)} -->> ${PF}: ${shown(e.flags[k])}${isAccessing(e.flags[k]) ? " (accessing user memory)" : ""}`);
        }
        break;
      }
      case "handler": {
        const to = e.decision === "resolved" ? MEM : th;
        say(`${PF} ->> ${to}: ${wrap(`${e.decision}: ${e.reason}`)}`);
        const top = open[open.length - 1];
        if (top) top.closing = true;
        break;
      }
      case "injected": {
        const target = MEMORY_ACTIONS.has(e.action) ? MEM : th;
        // A race of a replayed schedule is named, as the text trace and the timeline name it.
        say(`${A(e.by ?? "injected event")} ->> ${target}: ⚡ ${e.race !== undefined ? `race ${esc(e.race, 40)}: ` : ""}${esc(e.detail)}`);
        break;
      }
      case "migrate":
        say(`Note over ${th}: thread ${esc(e.thread, 40)} moves cpu${e.from} → cpu${e.to}`);
        break;
      case "interrupt":
        say(`Note over ${th}: interrupt handler runs: ${e.access} at ${hex(e.addr)}`);
        break;
      case "lock":
        say(
          e.decision === "relock"
            ? `Note over ${th}: ${e.lock !== undefined ? `lock ${esc(e.lock, 40)}` : "address-space lock"} already held by this thread: the Mutex asserts (panic)`
            : e.lock !== undefined
              ? `Note over ${th}: lock ${esc(e.lock, 40)} already held by this thread: deadlock`
              : e.decision === "deadlock"
                ? `Note over ${th}: address-space lock already held by this thread: deadlock`
                : `Note over ${th}: address-space lock ${e.decision}`,
        );
        break;
      case "check":
        say(`Note over ${th}: access check ${hex(e.addr)}+${e.size} inside the user address space: ${e.ok ? "ok" : "fails"}`);
        break;
      case "nested-result":
        say(`Note over ${th}: ◀ nested ${e.op} → ${esc(resultText(e.result))}`);
        break;
      case "run":
        // Another thread is switched in: a message to it (its own participant), then its operation's events.
        interrupted.push(e.thread);
        say(`${th} ->> ${T(e.to)}: ⇄ switched in on cpu${e.to_cpu}: ${esc(`${e.op} ${e.args}`.trimEnd())}`);
        break;
      case "run-result": {
        const back = interrupted.pop();
        const text = wrap(`${e.op} → ${resultText(e.result)}${e.result.status === "blocked" ? ` (${e.lock !== undefined ? `lock ${e.lock}` : "the lock"} is held by ${e.blocked_by ?? "another thread"}: it sleeps)` : ""}`);
        say(back !== undefined ? `${th} -->> ${T(back)}: ⇄ ${text}` : `Note over ${th}: ⇄ ${text}`);
        break;
      }
      case "hazard":
        lines.push("  ".repeat(1 + open.length) + "rect rgb(255, 214, 153)");
        say(`  Note over ${th},${MEM}: ${wrap(`⚠ HAZARD ${e.hazard}: ${e.message}`)}`);
        lines.push("  ".repeat(1 + open.length) + "end");
        break;
      case "step-end":
        while (open.length > 0) {
          open.pop();
          lines.push("  ".repeat(1 + open.length) + "end");
        }
        say(`Note over ${th}: ${wrap(`◀ ${e.thread}#${e.step} → ${resultText(e.result)}`)}`);
        break;
      default:
        // A kind this renderer does not know yet: shown by name with its fields, never dropped.
        say(`Note over ${th}: ${esc(genericText(e))}`);
    }
    // State changes as notes over the state's participant.
    for (const k of t.stateKeys) {
      if (before !== undefined && before[k] !== e.flags[k] && stateKeys.has(k)) {
        say(`Note over ${S(k)}: ${esc(k, 40)}: ${shown(before[k])} → ${shown(e.flags[k])}`);
      }
    }
    if (after !== undefined) say(after);
    before = e.flags;
  }
  while (open.length > 0) {
    open.pop();
    lines.push("  ".repeat(1 + open.length) + "end");
  }
  for (const s of notRun) sayNotRun(s);
  if (events.length === 0) lines.push(`  Note over ${MEM}: no events`);
  return [...out, ...lines].join("\n") + "\n";
}

function isInterrupt(e: TraceEvent): boolean {
  return "interrupt" in e && e.interrupt === true;
}

/** The state key that changed between two events, if exactly the first such one. */
function changedKey(t: Trace, before: Flags | undefined, e: TraceEvent): string | undefined {
  if (before === undefined) return undefined;
  return t.stateKeys.find((k) => before[k] !== e.flags[k]);
}

/** A scan with at least this many page checks in a row (and nothing but its reads between them) is one message. */
export const SCAN_FOLD = 3;

/** From a page check at `i`: the page checks that pass and the kernel reads that follow it in one context, up to the last read. */
function scanRun(events: readonly TraceEvent[], i: number): { checks: number; reads: number; bytes: bigint; end: bigint; last: number } {
  const first = events[i] as TraceEvent;
  let checks = 0;
  let reads = 0;
  let bytes = 0n;
  let end = 0n;
  let last = i;
  let checksAtLast = 0;
  for (let j = i; j < events.length; j++) {
    const e = events[j] as TraceEvent;
    if (e.thread !== first.thread || e.cpu !== first.cpu || e.nested !== first.nested || JSON.stringify(e.flags) !== JSON.stringify(first.flags)) break;
    if (e.kind === "page-check" && e.ok) checks++;
    else if (e.kind === "read" && e.mode === "kernel" && !e.interrupt) {
      reads++;
      bytes += e.size;
      end = e.addr + e.size;
      last = j;
      checksAtLast = checks;
    } else break;
  }
  return { checks: checksAtLast, reads, bytes, end, last };
}

/** Two access events that read as one: same kind, caller, mode and page, contiguous, nothing else between, the state unchanged. */
function sameRun(a: TraceEvent, b: TraceEvent, pageSize: bigint): boolean {
  if (a.kind !== b.kind || (a.kind !== "read" && a.kind !== "write" && a.kind !== "execute")) return false;
  const x = a as Extract<TraceEvent, { kind: "read" }>;
  const y = b as Extract<TraceEvent, { kind: "read" }>;
  return (
    x.thread === y.thread &&
    x.cpu === y.cpu &&
    x.nested === y.nested &&
    x.mode === y.mode &&
    isInterrupt(x) === isInterrupt(y) &&
    x.addr / pageSize === y.addr / pageSize &&
    JSON.stringify(x.flags) === JSON.stringify(y.flags)
  );
}

/** The decision of each fault (by event index): the handler event that answers it, fault blocks nesting like brackets. */
function faultDecisions(events: readonly TraceEvent[]): Map<number, string> {
  const out = new Map<number, string>();
  const stack: number[] = [];
  events.forEach((e, i) => {
    if (e.kind === "page-fault") stack.push(i);
    else if (e.kind === "handler") {
      const f = stack.pop();
      if (f !== undefined) out.set(f, e.decision);
    } else if (e.kind === "step-end") stack.length = 0;
  });
  return out;
}

function range(addr: bigint, size: bigint): string {
  return `${hex(addr)}..${hex(addr + size)}`;
}

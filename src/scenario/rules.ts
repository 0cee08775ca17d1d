// The rules of format section 2 that a schema cannot say: alignment, overlap,
// references between parts of the file, values that must fit their types.
import { elementInfo, primitiveRange } from "./elements.js";
import { hex, parseNumberText, U64_MAX } from "./numbers.js";
import type { KeyPath } from "./problems.js";
import { DEFAULT_KERNEL, isVmOp, VM_KERNELS, type KernelName } from "./kernels.js";
import { closest } from "./suggest.js";
import { checkHold, checkLocks, checkPtrFrom } from "./syscall-rules.js";
import {
  PRIMITIVE_TYPES,
  type ActionSpec,
  type AreaSpec,
  type WriteContentsSpec,
  type ElementTypeSpec,
  type NestedStepSpec,
  type PrimitiveTypeName,
  type RangeSpec,
  type RawValueSpec,
  type ScenarioSpec,
  type StepSpec,
} from "./schema.js";

export interface RuleProblem {
  path: KeyPath;
  message: string;
  /** Point at the key rather than its value (unknown or misplaced keys). */
  atKey?: boolean;
}

/** The largest single fill: keeps a typo'd length from allocating gigabytes. */
export const MAX_FILL = 256n * 1024n * 1024n;

export function checkRules(s: ScenarioSpec): RuleProblem[] {
  const out: RuleProblem[] = vmProblems(s, s.machine.kernel ?? DEFAULT_KERNEL);
  const add = (path: KeyPath, message: string, atKey = false) => out.push({ path, message, atKey });
  const m = s.machine;
  const P = m.page_size;
  const pageOk = P >= 4096n && P <= 65536n && (P & (P - 1n)) === 0n;
  if (!pageOk) add(["machine", "page_size"], `page size ${P} is not a power of two from 4096 to 65536`);
  const page = pageOk ? P : 4096n;
  const base = m.aspace.base;
  const end = base + m.aspace.size;
  if (base % page !== 0n) add(["machine", "aspace", "base"], `base ${hex(base)} is not page-aligned (page size ${hex(page)})`);
  if (m.aspace.size % page !== 0n) add(["machine", "aspace", "size"], `size ${hex(m.aspace.size)} is not a multiple of the page size ${hex(page)}`);
  if (end > U64_MAX + 1n) add(["machine", "aspace", "size"], `the address space ${hex(base)}+${hex(m.aspace.size)} ends past 2^64`);

  const ctx = { page, base, end, add };
  // Areas: aligned, inside, not overlapping, names unique.
  const placed: { start: bigint; end: bigint; index: number; name: string | undefined }[] = [];
  const names = new Map<string, number>();
  let framesAtStart = 0n;
  s.memory.forEach((a, i) => {
    const path = ["memory", i];
    const span = checkArea(a, path, ctx);
    if (a.name !== undefined) {
      const prev = names.get(a.name);
      if (prev !== undefined) add([...path, "name"], `area name "${a.name}" is already used by memory.${prev} (expected each area name once)`);
      else names.set(a.name, i);
    }
    if (!span) return;
    placed.push({ ...span, index: i, name: a.name });
    framesAtStart += a.populate ? (span.end - span.start) / page : BigInt(new Set(a.present ?? []).size);
  });
  for (const [o, a] of overlaps(placed)) {
    const other = o.name ? `memory.${o.index} ("${o.name}")` : `memory.${o.index}`;
    add(["memory", a.index, "start"], `area ${hex(a.start)}..${hex(a.end)} and ${other} ${hex(o.start)}..${hex(o.end)} overlap`);
  }
  if (m.frames !== "unlimited" && framesAtStart > m.frames)
    add(["machine", "frames"], `${m.frames} frames cannot hold the ${framesAtStart} pages present at the start`);

  // Threads, their steps, and the locks those hold (kernels.md section 8).
  const locks = checkLocks(s.locks ?? [], add);
  const threads = s.threads ?? [{ name: "main", cpu: 0, steps: [] }];
  const threadNames = new Map<string, number>();
  threads.forEach((t, i) => {
    if (threadNames.has(t.name)) add(["threads", i, "name"], `thread name "${t.name}" is already used by threads.${threadNames.get(t.name)} (expected each thread name once)`);
    else threadNames.set(t.name, i);
    if (t.cpu >= m.cpus) add(["threads", i, "cpu"], `CPU ${t.cpu} does not exist (machine.cpus is ${m.cpus}: CPUs 0..${m.cpus - 1})`);
    t.steps.forEach((st, j) => {
      const path = ["threads", i, "steps", j];
      checkStep(st, path, add);
      checkHold(st, path, locks, add);
      checkPtrFrom(st, path, t.name, j + 1, t.steps.length, add);
    });
  });

  // Injected events.
  s.events.forEach((e, i) => {
    const path = ["events", i];
    const w = e.when;
    let thread = threads[0];
    if (w.thread === undefined) {
      if (threads.length !== 1) {
        add([...path, "when"], `when.thread is required: the scenario has ${threads.length} threads (expected one of: ${threads.map((t) => t.name).join(", ")})`);
        thread = undefined;
      }
    } else {
      const ti = threadNames.get(w.thread);
      thread = ti === undefined ? undefined : threads[ti];
      if (ti === undefined) {
        const near = closest(w.thread, [...threadNames.keys()]);
        add([...path, "when", "thread"], `no thread named "${w.thread}"${near !== undefined ? ` (did you mean "${near}"?)` : ""} (expected one of the threads: ${[...threadNames.keys()].join(", ") || "none"})`);
      }
    }
    if (thread && w.step > BigInt(thread.steps.length))
      add([...path, "when", "step"], `thread "${thread.name}" has no step ${w.step} (it has ${thread.steps.length})`);
    if (w.nth !== undefined && w.at !== "page-check" && w.at !== "page-fault")
      add([...path, "when", "nth"], `nth counts page checks or page faults: it belongs with at: page-check or page-fault, not ${w.at}`, true);
    if (w.index !== undefined && w.at !== "before-read")
      add([...path, "when", "index"], `index belongs with at: before-read, not ${w.at}`, true);
    checkAction(e.do, [...path, "do"], { ...ctx, cpus: m.cpus, threads: [...threadNames.keys()], interrupted: thread?.name ?? w.thread, locks });
  });

  // A race interrupts whichever thread it lands in: a `run` race simply has no occurrences in its own thread's steps (explore.md section 3).
  checkRaces(s, threads, threadNames, (d, path) => checkAction(d, path, { ...ctx, cpus: m.cpus, threads: [...threadNames.keys()], interrupted: undefined, locks }), add);
  return out;
}

/** What an action's checks need beside the page size: the machine's CPUs and threads. */
export interface ActionCtx extends Ctx {
  cpus: number;
  /** Every thread of the file, in file order. */
  threads: readonly string[];
  /** The thread the action interrupts (its event's `when.thread`, or the default thread), when known. */
  interrupted: string | undefined;
  /** The locks the file declares. */
  locks: readonly string[];
}

/** The rules of one action (`do`), wherever actions appear: one definition for events and anything else that injects them. */
export function checkAction(d: ActionSpec, dp: KeyPath, ctx: ActionCtx): void {
  const { add, cpus } = ctx;
  const noCpu = (cpu: number) => `CPU ${cpu} does not exist (machine.cpus is ${cpus}: CPUs 0..${cpus - 1})`;
  if (d.unmap) checkRange(d.unmap, [...dp, "unmap"], ctx);
  if (d.evict) checkRange(d.evict, [...dp, "evict"], ctx);
  if (d.protect) checkRange(d.protect, [...dp, "protect"], ctx);
  if (d.map) checkArea(d.map, [...dp, "map"], ctx);
  if (d.write) checkContentValues(d.write, [...dp, "write"], add);
  if (d.migrate && d.migrate.cpu >= cpus) add([...dp, "migrate", "cpu"], noCpu(d.migrate.cpu));
  if (d.nested) {
    checkStep(d.nested, [...dp, "nested"], add);
    checkHold(d.nested, [...dp, "nested"], ctx.locks, add);
  }
  if (d.run) {
    const rp = [...dp, "run"];
    const t = d.run.thread;
    const others = ctx.threads.filter((x) => x !== ctx.interrupted);
    const expected = others.length > 0 ? `expected another thread: ${others.join(", ")}` : "expected another thread: the scenario has none, add one under threads";
    if (!ctx.threads.includes(t)) {
      const near = closest(t, others);
      add([...rp, "thread"], `no thread named "${t}"${near !== undefined ? ` (did you mean "${near}"?)` : ""} (${expected})`);
    } else if (t === ctx.interrupted) {
      add([...rp, "thread"], `thread "${t}" is the thread this event interrupts: run switches in another thread (${expected})`);
    }
    if (d.run.cpu !== undefined && d.run.cpu >= cpus) add([...rp, "cpu"], noCpu(d.run.cpu));
    checkStep(d.run.step, [...rp, "step"], add);
    checkHold(d.run.step, [...rp, "step"], ctx.locks, add);
  }
}

/** explore.md section 1: unique race names, `during` naming threads or THREAD#STEP that exist. */
function checkRaces(
  s: ScenarioSpec,
  threads: readonly { name: string; steps: readonly unknown[] }[],
  threadNames: ReadonlyMap<string, number>,
  action: (d: ActionSpec, path: KeyPath) => void,
  add: Ctx["add"],
): void {
  const seen = new Map<string, number>();
  s.races.forEach((r, i) => {
    const path = ["races", i];
    const prev = seen.get(r.name);
    if (prev !== undefined) add([...path, "name"], `race name "${r.name}" is already used by races.${prev} (expected each race name once)`);
    else seen.set(r.name, i);
    action(r.do, [...path, "do"]);
    r.during?.forEach((entry, k) => {
      const problem = duringProblem(entry, threads, threadNames);
      if (problem !== undefined) add([...path, "during", k], problem);
    });
  });
}

/** Why a `during` entry names no thread or step of the file, or undefined when it does. */
function duringProblem(entry: string, threads: readonly { name: string; steps: readonly unknown[] }[], threadNames: ReadonlyMap<string, number>): string | undefined {
  if (threadNames.has(entry)) return undefined;
  const names = [...threadNames.keys()];
  const hash = entry.lastIndexOf("#");
  if (hash < 0) {
    const near = closest(entry, names);
    return `no thread named "${entry}"${near !== undefined ? ` (did you mean "${near}"?)` : ""} (expected a thread, one of: ${names.join(", ")}, or THREAD#STEP)`;
  }
  const name = entry.slice(0, hash);
  const stepText = entry.slice(hash + 1);
  const ti = threadNames.get(name);
  if (ti === undefined) {
    const near = closest(name, names);
    return `no thread named "${name}"${near !== undefined ? ` (did you mean "${near}"?)` : ""} (expected THREAD#STEP with THREAD one of: ${names.join(", ")})`;
  }
  const count = threads[ti]?.steps.length ?? 0;
  if (!/^[1-9][0-9]*$/.test(stepText))
    return `"${stepText}" is not a step number (expected THREAD#STEP with STEP in decimal from 1, without leading zeros: ${name}#1)`;
  if (Number(stepText) > count) return `thread "${name}" has no step ${stepText} (it has ${count})`;
  return undefined;
}

/**
 * Overlapping areas as [earlier, later] in file order, each later area at
 * most once (with the first area it overlaps). Sorted by start, an area
 * overlaps something before it iff it starts before the furthest end so far:
 * O(n log n), where comparing every pair took seconds for 12,000 areas and
 * 12,000 areas at one address made 72 million problems.
 */
function overlaps<T extends { start: bigint; end: bigint; index: number }>(areas: readonly T[]): [T, T][] {
  const sorted = [...areas].sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : x.index - y.index));
  const found = new Map<number, [T, T]>();
  let furthest: T | undefined;
  for (const a of sorted) {
    if (furthest !== undefined && a.start < furthest.end) {
      const [first, later] = furthest.index < a.index ? [furthest, a] : [a, furthest];
      const seen = found.get(later.index);
      if (seen === undefined || first.index < seen[0].index) found.set(later.index, [first, later]);
    }
    if (furthest === undefined || a.end > furthest.end) furthest = a;
  }
  return [...found.values()].sort((x, y) => x[1].index - y[1].index);
}

interface Ctx {
  page: bigint;
  base: bigint;
  end: bigint;
  add: (path: KeyPath, message: string, atKey?: boolean) => void;
}

export function spanOf(r: { start: bigint; size?: bigint | undefined; pages?: bigint | undefined }, page: bigint): { start: bigint; end: bigint } {
  return { start: r.start, end: r.start + (r.size ?? (r.pages ?? 0n) * page) };
}

function checkRange(r: RangeSpec, path: KeyPath, { page, add }: Ctx): void {
  const { start, end } = spanOf(r, page);
  if (start % page !== 0n) add([...path, "start"], `start ${hex(start)} is not page-aligned (page size ${hex(page)})`);
  if (r.size !== undefined && r.size % page !== 0n) add([...path, "size"], `size ${hex(r.size)} is not a multiple of the page size ${hex(page)}`);
  if (end > U64_MAX + 1n) add([...path, r.size !== undefined ? "size" : "pages"], `the range ${hex(start)}.. ends past 2^64`);
}

function checkArea(a: AreaSpec, path: KeyPath, ctx: Ctx): { start: bigint; end: bigint } | undefined {
  const { page, base, end: asEnd, add } = ctx;
  const { start, end } = spanOf(a, page);
  let ok = true;
  if (start % page !== 0n) {
    add([...path, "start"], `start ${hex(start)} is not page-aligned (page size ${hex(page)})`);
    ok = false;
  }
  if (a.size !== undefined && a.size % page !== 0n) {
    add([...path, "size"], `size ${hex(a.size)} is not a multiple of the page size ${hex(page)}`);
    ok = false;
  }
  if (end === start) {
    add([...path, a.size !== undefined ? "size" : "pages"], "an area must not be empty");
    ok = false;
  }
  if (ok && (start < base || end > asEnd)) {
    add([...path, "start"], `area ${hex(start)}..${hex(end)} leaves the address space ${hex(base)}..${hex(asEnd)}`);
    ok = false;
  }
  if (a.present !== undefined) {
    if (a.populate) add([...path, "present"], "present lists the present pages of a lazy area: it needs populate: false", true);
    a.present.forEach((p, k) => {
      if (p % page !== 0n) add([...path, "present", k], `page ${hex(p)} is not page-aligned (page size ${hex(page)})`);
      else if (p < start || p >= end) add([...path, "present", k], `page ${hex(p)} is outside the area ${hex(start)}..${hex(end)}`);
    });
  }
  a.contents?.forEach((c, k) => {
    const cp = [...path, "contents", k];
    const len = contentLength(c);
    if (c.fill !== undefined && len > MAX_FILL) add([...cp, "len"], `a fill may be at most ${MAX_FILL} bytes (256 MiB), not ${len}`);
    else if (c.at < start || c.at + len > end)
      add([...cp, "at"], `contents ${hex(c.at)}..${hex(c.at + len)} lie outside the area ${hex(start)}..${hex(end)}`);
    checkContentValues(c, cp, add);
  });
  return ok ? { start, end } : undefined;
}

/** Which kind a contents item is, and its element list when it has one. */
export function contentKind(c: WriteContentsSpec): { kind: "str" | "bytes" | "fill" | PrimitiveTypeName; values?: readonly bigint[] } {
  if (c.str !== undefined) return { kind: "str" };
  if (c.fill !== undefined) return { kind: "fill" };
  if (c.bytes !== undefined) return { kind: "bytes", values: c.bytes };
  for (const t of PRIMITIVE_TYPES) {
    const v = c[t];
    if (v !== undefined) return { kind: t, values: v };
  }
  return { kind: "bytes", values: [] };
}

export function contentLength(c: WriteContentsSpec): bigint {
  const { kind, values } = contentKind(c);
  if (kind === "str") return BigInt(Buffer.byteLength(c.str ?? "", "utf8"));
  if (kind === "fill") return c.len ?? 0n;
  if (kind === "bytes") return BigInt(values?.length ?? 0);
  return BigInt(values?.length ?? 0) * elementInfo(kind).size;
}

function checkContentValues(c: WriteContentsSpec, path: KeyPath, add: Ctx["add"]): void {
  const { kind, values } = contentKind(c);
  if (kind === "str" || kind === "fill" || kind === "bytes" || !values) return;
  const [lo, hi] = primitiveRange(kind);
  values.forEach((v, i) => {
    if (v < lo || v > hi) add([...path, kind, i], `${v} does not fit ${kind} (${lo}..${hi})`);
  });
}

// ---- kernels ----------------------------------------------------------------

/**
 * The vm_* steps (threads', nested, run, races') under a kernel that has no
 * starry-vm copies (kernels.md section 7). Also asked by the CLI for the
 * kernel a --kernel puts in effect.
 */
export function vmProblems(s: ScenarioSpec, kernel: KernelName): RuleProblem[] {
  if (VM_KERNELS.includes(kernel)) return [];
  const out: RuleProblem[] = [];
  const look = (st: StepSpec | NestedStepSpec, path: KeyPath) => {
    if (isVmOp(st.op))
      out.push({ path: [...path, "op"], message: `${st.op} is a starry-vm user copy: it exists only under machine.kernel ${VM_KERNELS.join(" and ")}, not under ${kernel}` });
  };
  const inAction = (d: ActionSpec, path: KeyPath) => {
    if (d.nested) look(d.nested, [...path, "nested"]);
    if (d.run) look(d.run.step, [...path, "run", "step"]);
  };
  (s.threads ?? []).forEach((t, i) => t.steps.forEach((st, j) => look(st, ["threads", i, "steps", j])));
  s.events.forEach((e, i) => inAction(e.do, ["events", i, "do"]));
  s.races.forEach((r, i) => inAction(r.do, ["races", i, "do"]));
  return out;
}

// ---- steps ------------------------------------------------------------------

function yields(st: StepSpec | NestedStepSpec): "value" | "none" {
  switch (st.op) {
    case "get":
    case "get_as_slice":
      return st.use === "read" ? "value" : "none";
    case "get_as_null_terminated":
    case "get_as_str":
    case "vm_read":
    case "vm_load_string":
      return "value";
    default:
      return "none";
  }
}

function checkStep(st: StepSpec | NestedStepSpec, path: KeyPath, add: Ctx["add"]): void {
  if (st.op === "vm_write" && st.len !== undefined && st.len > MAX_FILL)
    add([...path, "len"], `a vm_write fill of ${st.len} bytes is larger than the ${MAX_FILL} bytes (256 MiB) a fill may be`);
  if (st.op === "get" || st.op === "get_as_slice" || st.op === "vm_read") {
    if (typeof st.type !== "string") {
      const { size, align } = st.type;
      if ((align & (align - 1n)) !== 0n) add([...path, "type", "align"], `align ${align} is not a power of two (expected 1, 2, 4, 8, …)`);
      else if (size % align !== 0n) add([...path, "type", "size"], `size ${size} is not a multiple of align ${align}, as every Rust type's is`);
    }
    if (st.op !== "vm_read" && st.use !== undefined && st.use !== "read") {
      if (!st.mut) add([...path, "use"], "use: { write } needs mut: true (a UserConstPtr gives a shared reference, which cannot be written)");
      const count = st.op === "get_as_slice" ? st.len : undefined;
      const w = st.use.write;
      if (isWriteContents(w)) checkWriteContents(w, elementInfo(st.type).size * (count ?? 1n), [...path, "use", "write"], add);
      else checkValue(w, st.type, count, [...path, "use", "write"], add, "write");
    }
  }
  if (!("expect" in st) || st.expect === undefined || typeof st.expect === "string" || !("ok" in st.expect)) return;
  const value = st.expect.ok;
  const ep = [...path, "expect", "ok"];
  if (value === null) {
    if (!("nullable" in st) || !st.nullable) add(ep, "{ ok: null } is the result of a nullable operation on NULL: this step needs nullable: true");
    return;
  }
  if (yields(st) === "none") {
    add(ep, `a ${st.op} step${st.op === "get" || st.op === "get_as_slice" ? " without use: read" : ""} yields no value: expect ok instead`);
    return;
  }
  if (st.op === "get_as_str" || st.op === "vm_load_string") {
    if (typeof value !== "string") add(ep, `${st.op} yields a string: expected a quoted string`);
    return;
  }
  if (st.op === "vm_read") return checkValue(value, st.type, st.len, ep, add, "expected");
  if (st.op === "get_as_null_terminated") checkValue(value, st.type, -1n, ep, add, "expected");
  else if (st.op === "get_as_slice") checkValue(value, st.type, st.len, ep, add, "expected");
  else if (st.op === "get") checkValue(value, st.type, undefined, ep, add, "expected");
}

/**
 * Checks a raw value against a type: a number (or byte list for a struct),
 * or a list of `count` of them (-1: any length). Returns nothing; adds problems.
 */
function checkValue(v: RawValueSpec, t: ElementTypeSpec, count: bigint | undefined, path: KeyPath, add: Ctx["add"], what: string): void {
  if (count !== undefined) {
    if (!Array.isArray(v)) return add(path, `the ${what} value of a ${typeName(t)} list must be a list`);
    if (count >= 0n && BigInt(v.length) !== count) return add(path, `the ${what} list has ${v.length} elements, the slice has len ${count}`);
    v.forEach((x, i) => checkValue(x, t, undefined, [...path, i], add, what));
    return;
  }
  const info = elementInfo(t);
  if (!info.primitive) {
    if (!Array.isArray(v)) return add(path, `a ${typeName(t)} value is a list of ${info.size} bytes`);
    if (BigInt(v.length) !== info.size) return add(path, `a ${typeName(t)} value is a list of ${info.size} bytes, not ${v.length}`);
    v.forEach((x, i) => {
      const n = scalarNumber(x);
      if (n === undefined || n < 0n || n > 255n) add([...path, i], `expected a byte 0..255, got ${JSON.stringify(String(x))}`);
    });
    return;
  }
  const n = scalarNumber(v);
  const [lo, hi] = primitiveRange(t as PrimitiveTypeName);
  if (n === undefined) add(path, `expected a ${typeName(t)} number, got ${Array.isArray(v) ? "a list" : JSON.stringify(v === null ? null : String(v))}`);
  else if (n < lo || n > hi) add(path, `${n} does not fit ${typeName(t)} (${lo}..${hi})`);
}

/** `use: { write }` holds contents (a map) rather than a value. */
export function isWriteContents(w: RawValueSpec | WriteContentsSpec): w is WriteContentsSpec {
  return w !== null && typeof w === "object" && !Array.isArray(w);
}

/** Contents written through a reference: their values fit their type, and their bytes fit the reference. */
function checkWriteContents(c: WriteContentsSpec, size: bigint, path: KeyPath, add: Ctx["add"]): void {
  checkContentValues(c, path, add);
  // A fill without len fills the whole reference.
  if (c.fill !== undefined && c.len === undefined) return;
  const n = contentLength(c);
  const { kind } = contentKind(c);
  if (n > size) add([...path, kind === "fill" ? "len" : kind], `${n} bytes do not fit the reference, which has ${size} byte${size === 1n ? "" : "s"}`);
}

function typeName(t: ElementTypeSpec): string {
  return elementInfo(t).name;
}

export function scalarNumber(x: unknown): bigint | undefined {
  if (typeof x === "bigint") return x;
  if (typeof x === "number") return Number.isSafeInteger(x) ? BigInt(x) : undefined;
  if (typeof x === "string") return parseNumberText(x);
  return undefined;
}

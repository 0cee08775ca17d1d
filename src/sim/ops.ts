// The axptr operations with the crate's order of checks (semantics section 3).
import { decode, elementInfo, encode, type ElementInfo } from "../scenario/elements.js";
import { hex, U64_MAX } from "../scenario/numbers.js";
import { isWriteContents, scalarNumber } from "../scenario/rules.js";
import type { NestedStepSpec, PrimitiveTypeName, RawValueSpec, WriteContentsSpec } from "../scenario/schema.js";
import { contentBytes } from "./injector.js";
import type { Access, StepResult, Value } from "./events.js";
import { kernelTouch, kernelTouchAfterFault, userTouch } from "./handler.js";
import type { Token } from "./strategies/index.js";
import { BlockedSignal, MAX_EVENTS, MAX_STRING_BYTES, MAX_VALUE_ELEMENTS, TraceTooLarge, type Machine } from "./machine.js";
import { Hasher } from "./fingerprint.js";
import type { Progress } from "./machine.js";
import { resultKey } from "./result-key.js";
import { minB } from "./memory.js";
import { vmCopy } from "./vm.js";

const I64_MAX = (1n << 63n) - 1n;
const EFAULT: StepResult = { status: "err", errno: "EFAULT" };
const OK: StepResult = { status: "ok" };

export interface OpOptions {
  /**
   * Under `aspace_lock: held`, take the lock before anything else, NULL and
   * the layout included: a thread switched in by `run` is another system call
   * entering axptr 0.1 (semantics section 5).
   */
  lockFirst?: boolean;
}

/** Runs one operation (a step's own, a nested one, or another thread's `run`) on the current thread. */
export function runOp(m: Machine, st: NestedStepSpec, opts: OpOptions = {}, resume?: OpResume): StepResult {
  const first = opts.lockFirst === true;
  // The lock is taken once: around the whole call when it comes first, else around the checks only.
  const outerLock = <T>(body: () => T): T => (first ? withLock(m, body) : body());
  const checksLock = <T>(body: () => T): T => (first ? body() : withLock(m, body));
  // The step's own operation says how far it is (Machine.progress); nested ones and other threads' reach no point.
  if (m.outer) m.progress = OP_STAGE[st.op];
  switch (st.op) {
    case "get":
    case "get_as_slice": {
      const info = elementInfo(st.type);
      const count = st.op === "get_as_slice" ? st.len : undefined;
      const checked = outerLock((): StepResult | "reference" => {
        // nullable: NULL is None before anything else, even the layout.
        if (st.nullable && st.ptr === 0n) return { status: "ok", value: null };
        // Layout::array::<T>(len).unwrap() comes before any check.
        if (count !== undefined && count * info.size > I64_MAX)
          m.end({ status: "panic", message: `called \`Result::unwrap()\` on an \`Err\` value: LayoutError (${count} × ${info.size} bytes exceeds isize::MAX)` });
        const access: Access[] = st.mut ? ["read", "write"] : ["read"];
        return checksLock(() => checkRegion(m, st.ptr, count === undefined ? info.size : count * info.size, info.align, access)) ?? "reference";
      });
      if (checked !== "reference") return checked;
      // Without `use` the kernel never touches the reference: the before-use point is not reached.
      if (st.use === undefined) return OK;
      m.triggers.fire(m, "before-use");
      if (st.use === "read") return useRead(m, st.ptr, info, count);
      return useWrite(m, st.ptr, info, count, st.use.write);
    }
    case "get_as_null_terminated":
    case "get_as_str": {
      const type = st.op === "get_as_str" ? "c_char" : st.type;
      const access: Access[] = st.op === "get_as_null_terminated" && st.mut ? ["read", "write"] : ["read"];
      let scanned: bigint | undefined;
      const result = outerLock((): StepResult => {
        if (st.nullable && st.ptr === 0n) return { status: "ok", value: null };
        return checksLock(() => nullTerminated(m, st.ptr, type, access, st.op === "get_as_str", (len) => (scanned = len), resume));
      });
      // use: read, the kernel reading the borrowed result again later (kernels.md section 3); the value stays the scan's.
      if (st.use === undefined || result.status !== "ok" || scanned === undefined) return result;
      // From here the rest depends on the scan's result too (its value is what the step returns).
      const length = scanned;
      if (m.outer) {
        m.progressOuter = `${resultKey(result)}|${length}`;
        m.progress = USE_STAGE;
      }
      m.triggers.fire(m, "before-use");
      const info = elementInfo(type);
      if (scanned === 0n) return result;
      const used = useRead(m, st.ptr, info, scanned, false);
      return used.status === "ok" ? result : used;
    }
    case "vm_read":
    case "vm_write":
    case "vm_load_string":
      return vmCopy(m, st);
    case "user_access":
      // The access completes after any fault: its unit is spent then (a fault takes the last unit first).
      userTouch(m, st.addr, st.access);
      m.spend();
      m.emit({ kind: st.access, addr: st.addr, size: 1n, mode: "user" });
      return OK;
    case "kernel_access":
      kernelTouch(m, st.addr, st.access, { site: false, interrupt: false });
      m.spend();
      m.emit({ kind: st.access, addr: st.addr, size: 1n, mode: "kernel" });
      return OK;
  }
}

const USE_STAGE: Progress = (h) => h.string("su");

/** Where an operation is when its progress is its op alone: the checks' points have nothing else to remember. */
// The vm_* copies keep what they read in their own loop, undescribed: their states are merged with none.
const stage =
  (name: string): Progress =>
  (h) =>
    h.string(name);
const OP_STAGE: Record<NestedStepSpec["op"], Progress | undefined> = {
  get: stage("g"),
  get_as_slice: stage("g"),
  get_as_null_terminated: stage("n"),
  get_as_str: stage("n"),
  user_access: stage("u"),
  kernel_access: stage("k"),
  vm_read: undefined,
  vm_write: undefined,
  vm_load_string: undefined,
};

/** axptr 0.1's `with_addr_space` holds the lock across the whole operation; its successor never across a read. */
function withLock<T>(m: Machine, body: () => T): T {
  if (!m.lockHeld) return body();
  // Only a thread switched in by `run` can meet the lock in another thread's hands: it would sleep.
  if (m.lockHolder !== null && m.lockHolder !== m.thread) throw new BlockedSignal(m.lockHolder);
  if (m.lockHolder === m.thread) {
    m.emit({ kind: "lock", decision: "deadlock" });
    return m.end({ status: "deadlock" });
  }
  m.lockHolder = m.thread;
  m.emit({ kind: "lock", decision: "acquired" });
  const result = body();
  m.lockHolder = null;
  m.emit({ kind: "lock", decision: "released" });
  return result;
}

function overflow(m: Machine, a: bigint, b: bigint): never {
  return m.end({ status: "panic", message: `attempt to add with overflow (${hex(a)} + ${hex(b)} passes 2^64 - 1)` });
}

/** check_region: align, region, populate; undefined when the kernel now holds a reference. */
function checkRegion(m: Machine, start: bigint, size: bigint, align: bigint, access: Access[]): StepResult | undefined {
  m.spend();
  const aligned = start % align === 0n;
  m.emit({ kind: "align-check", addr: start, align, ok: aligned });
  if (!aligned) return EFAULT;
  m.triggers.fire(m, "after-align-check");

  // The range is built before the check runs: an overflow panics before the check costs its unit.
  const end = start + size;
  if (end > U64_MAX && m.kernel.rangeOverflowFails) {
    // try_from_start_size (kernels.md section 4): the check spends its unit and fails.
    m.spend();
    m.emit({ kind: "region-check", addr: start, size, access: access.join("+"), ok: false, ...(m.explain ? { why: "the range passes 2^64: try_from_start_size fails" } : {}) });
    return EFAULT;
  }
  if (end > U64_MAX) overflow(m, start, size);
  m.spend();
  const inside = m.aspace.checkRegionAccess(start, end, access);
  // With --explain a refusal says why; without, the event is as goldens have it.
  m.emit({ kind: "region-check", addr: start, size, access: access.join("+"), ok: inside, ...(inside || !m.explain ? {} : { why: m.aspace.regionRefusal(start, end, access) }) });
  if (!inside) return EFAULT;
  m.triggers.fire(m, "after-region-check");

  const P = m.aspace.pageSize;
  const first = start - (start % P);
  const last = end % P === 0n ? end : end - (end % P) + P;
  if (last > U64_MAX + 1n) overflow(m, end, P - 1n);
  // Each page made present is a unit: populate stops where the budget would be exceeded.
  if (m.aspace.pagesMissing(first, last, BigInt(MAX_EVENTS)) >= BigInt(MAX_EVENTS) && m.remaining >= BigInt(MAX_EVENTS))
    throw new TraceTooLarge(`populate ${hex(first)}..${hex(last)} would map more than ${MAX_EVENTS} pages, each an event; make the range smaller`);
  const limit = m.remaining;
  const r = m.aspace.populate(first, last, limit);
  m.spend(BigInt(r.mapped.length));
  const failed = r.error === "ENOMEM" ? { errno: "ENOMEM" as const, ...(m.explain ? { why: m.aspace.populateRefusal(first, last) } : {}) } : {};
  m.emit({ kind: "populate", addr: first, size: last - first, ok: r.error === undefined, ...failed });
  for (const page of r.mapped) m.emit({ kind: "page-mapped", addr: page });
  if (r.error === "limit") m.end({ status: "step-limit" });
  if (r.error === "ENOMEM") return { status: "err", errno: "ENOMEM" };
  m.triggers.fire(m, "after-populate");
  return undefined;
}

/** The pieces of [start, start+size) that lie in one page each. */
export function* pageChunks(start: bigint, size: bigint, P: bigint): Generator<[bigint, bigint]> {
  let a = start;
  const end = start + size;
  while (a < end) {
    const next = minB(end, a - (a % P) + P);
    yield [a, next];
    a = next;
  }
}

/** Elements of `size` bytes from `base` whose first byte lies in [lo, hi). */
export function elementsStartingIn(base: bigint, size: bigint, lo: bigint, hi: bigint): bigint {
  const ceilDiv = (x: bigint) => (x + size - 1n) / size;
  return ceilDiv(hi - base) - ceilDiv(lo - base);
}

/** Refuses a value too large to keep (each element a number, each struct a list of bytes; a zero-sized one still a list). */
export function checkValueSize(elements: bigint, info: ElementInfo): void {
  const cells = info.primitive ? elements : elements * (info.size > 0n ? info.size : 1n);
  if (cells > MAX_VALUE_ELEMENTS)
    throw new TraceTooLarge(`a value of ${elements} ${info.name} elements is larger than the ${MAX_VALUE_ELEMENTS} numbers a step may yield (a struct element counts its bytes, a zero-sized one counts 1); read fewer elements`);
}

/** The kernel reads through its reference: plain kernel accesses (user-access sites to the exception table). */
export function useRead(m: Machine, start: bigint, info: ElementInfo, count: bigint | undefined, keep = true): StepResult {
  const n = count ?? 1n;
  if (info.size === 0n) {
    // Zero-sized elements touch no memory, but each read is still a unit of work.
    m.spend(n);
    checkValueSize(n, info);
    const values = Array.from({ length: Number(n) }, (): Value => []);
    return { status: "ok", value: count === undefined ? (values[0] ?? null) : values };
  }
  // A read the budget cannot finish ends in step-limit: its bytes are never needed, so they are not kept (nor a use's that is only a read).
  const finishes = keep && n <= m.remaining;
  if (finishes) checkValueSize(n, info);
  const chunks: Uint8Array[] = [];
  for (const [lo, hi] of pageChunks(start, n * info.size, m.aspace.pageSize)) {
    // A fault's point: the rest depends on the chunk, the bytes read before it, and whether they are kept.
    if (m.outer) m.progress = (h) => h.string(`r|${lo}|${finishes}|${bytesPrint(chunks)}`);
    if (kernelTouch(m, lo, "read", { site: true, interrupt: false }) === "fixup") return EFAULT;
    m.spend(elementsStartingIn(start, info.size, lo, hi));
    if (finishes) chunks.push(m.aspace.readBytes(lo, Number(hi - lo)));
    m.access("read", lo, hi - lo, "kernel");
  }
  if (!keep) return OK;
  const values = elementValues(concat(chunks), info, n);
  return { status: "ok", value: count === undefined ? (values[0] ?? null) : values };
}

function bytesPrint(chunks: readonly Uint8Array[]): string {
  const h = new Hasher();
  for (const c of chunks) h.bytes(c);
  return h.text();
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) (out.set(c, at), (at += c.length));
  return out;
}

export function elementValues(bytes: Uint8Array, info: ElementInfo, n: bigint): Value[] {
  const size = Number(info.size);
  const out: Value[] = [];
  for (let i = 0; i < Number(n); i++) {
    if (info.primitive) out.push(decode(bytes, i * size, size, info.signed));
    else out.push(Array.from(bytes.subarray(i * size, (i + 1) * size), (b) => BigInt(b)));
  }
  return out;
}

function useWrite(m: Machine, start: bigint, info: ElementInfo, count: bigint | undefined, raw: RawValueSpec | WriteContentsSpec): StepResult {
  const { bytes, elements } = isWriteContents(raw) ? { bytes: writtenContents(raw, info.size * (count ?? 1n)), elements: count ?? 1n } : valueBytes(info, count, raw);
  const total = BigInt(bytes.length);
  // Zero-sized elements touch no memory, but each write is still a unit of work (as zero-sized reads are).
  if (info.size === 0n) m.spend(elements);
  for (const [lo, hi] of pageChunks(start, total, m.aspace.pageSize)) {
    if (m.outer) m.progress = (h) => h.string(`w|${lo}`);
    if (kernelTouch(m, lo, "write", { site: true, interrupt: false }) === "fixup") return EFAULT;
    m.spend(elementsStartingIn(start, info.size, lo, hi));
    m.aspace.writeBytes(lo, bytes.subarray(Number(lo - start), Number(hi - start)));
    m.access("write", lo, hi - lo, "kernel");
  }
  return OK;
}

/** The bytes of a written value (or list of them), element by element. */
function valueBytes(info: ElementInfo, count: bigint | undefined, raw: RawValueSpec): { bytes: Uint8Array; elements: bigint } {
  const items = count === undefined ? [raw] : Array.isArray(raw) ? raw : [raw];
  const size = Number(info.size);
  const bytes = new Uint8Array(items.length * size);
  items.forEach((item, i) => {
    if (info.primitive) bytes.set(encode(scalarNumber(item) ?? 0n, size), i * size);
    else if (Array.isArray(item)) bytes.set(item.map((b) => Number(scalarNumber(b) ?? 0n)), i * size);
  });
  return { bytes, elements: BigInt(items.length) };
}

/** Contents written through a reference of `size` bytes, from its start (validation made them fit; a fill without len fills it all). */
function writtenContents(c: WriteContentsSpec, size: bigint): Uint8Array {
  if (c.fill !== undefined) return new Uint8Array(Number(c.len ?? size)).fill(Number(c.fill));
  return contentBytes(c) ?? new Uint8Array(0);
}

/** get_as_null_terminated / get_as_str: the scan inside access_user_memory; `scanned` is told the length found. */
function nullTerminated(
  m: Machine,
  start: bigint,
  type: PrimitiveTypeName,
  access: Access[],
  asStr: boolean,
  scanned: (len: bigint) => void,
  resume?: OpResume,
): StepResult {
  const info = elementInfo(type);
  let at: ScanAt;
  let sink: Sink | undefined;
  let token: Token;
  const progress: Progress = (h) => scanPrint(h, at, sink);
  if (resume === undefined) {
    m.spend();
    const aligned = start % info.align === 0n;
    m.emit({ kind: "align-check", addr: start, align: info.align, ok: aligned });
    if (!aligned) return EFAULT;
    // Its points' progress: the stage, the scan's position, what it returned, the bytes taken so far.
    at = { stage: "a", len: 0n, page: 0n };
    if (m.outer) m.progress = progress;
    m.triggers.fire(m, "after-align-check");

    token = m.beginAccess();
    at.stage = "s";
    m.triggers.fire(m, "flag-set");
    // A borrowed str is decoded after the access ended, from a second read (kernels.md section 3): the scan keeps only its length.
    const borrowed = asStr && m.kernel.borrowedDecode;
    sink = borrowed ? lengthSink() : asStr ? utf8Sink() : bytesSink((bytes) => checkValueSize(BigInt(bytes) / info.size, info));
    at.stage = "c";
  } else {
    // A copy going on from a point of the scan: the access is open (its token is the thread's last), the sink is a copy.
    at = { ...resume.at };
    sink = resume.sink;
    token = m.openToken();
    m.progress = progress;
  }
  const scanning = sink;
  // Only a lock-free scan can be taken up in a copy: under `held`, the lock's release is still to come on the stack.
  if (m.outer)
    m.resumeAt = (point) => {
      if (m.lockHeld || at.stage !== "c") return undefined;
      // A page-fault point in the scan is its read's (nested operations and other threads reach no point); a kernel that
      // retries counts its retries in kernelTouch's loop, which a copy does not take up.
      if (point !== "page-check" && point !== "before-read" && (point !== "page-fault" || m.kernel.unresolved === "retry")) return undefined;
      // The scan as it is, not a copy: most forks of an exploration are printed only, and those that go on take their own (takeUp).
      return scanning.copyable() ? { at, sink: scanning, entry: point === "page-check" ? "check" : point === "before-read" ? "read" : "fault" } : undefined;
    };
  resume?.enter?.();
  const found = scan(m, start, info, access, scanning, at, resume?.entry);
  m.resumeAt = undefined;
  at.stage = `e${found}`;
  m.triggers.fire(m, "flag-clear");
  m.endAccess(token);
  if (found === "EFAULT") return EFAULT;
  if (scanning.kind === "length") {
    scanned(scanning.finish());
    return decodeBorrowed(m, start, scanning.finish());
  }
  if (scanning.kind === "utf8") {
    scanned(BigInt(scanning.length()));
    const text = scanning.finish();
    return text === undefined ? { status: "err", errno: "EILSEQ" } : { status: "ok", value: text };
  }
  const bytes = scanning.finish();
  const len = BigInt(bytes.length) / info.size;
  scanned(len);
  return { status: "ok", value: elementValues(bytes, info, len) };
}

/**
 * str::from_utf8 over the borrow, after access_user_memory ended: an ordinary
 * kernel read of [start, start+len), never a user-access site (no fixup entry).
 */
function decodeBorrowed(m: Machine, start: bigint, len: bigint): StepResult {
  const chunks: Uint8Array[] = [];
  for (const [lo, hi] of pageChunks(start, len, m.aspace.pageSize)) {
    // A fault's point here: the rest depends on the chunk and the bytes read before it.
    if (m.outer) m.progress = (h) => h.string(`d|${lo}|${bytesPrint(chunks)}`);
    kernelTouch(m, lo, "read", { site: false, interrupt: false });
    m.spend(hi - lo);
    chunks.push(m.aspace.readBytes(lo, Number(hi - lo)));
    m.access("read", lo, hi - lo, "kernel");
  }
  try {
    return { status: "ok", value: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(concat(chunks)) };
  } catch {
    return { status: "err", errno: "EILSEQ" };
  }
}

/** Counts the bytes a scan found (a borrowed str is read again to decode it). */
function lengthSink(from = 0): LengthSink {
  let total = from;
  return {
    kind: "length",
    take: (_buf: Uint8Array, start: number, end: number) => {
      total += end - start;
      if (total > MAX_STRING_BYTES)
        throw new TraceTooLarge(`a get_as_str string would pass ${MAX_STRING_BYTES} bytes (256 MiB, the longest string a step may yield); end the string with a NUL within 256 MiB`);
    },
    finish: (): bigint => BigInt(total),
    printInto: (h: Hasher) => (h.int(0), h.num(total)),
    copyable: () => true,
    copy: () => lengthSink(total),
  };
}

/** Where a scan is: for a state's fingerprint at its points. */
interface ScanAt {
  stage: string;
  len: bigint;
  page: bigint;
}

/**
 * Decoders no scan is using: making one per get_as_str was most of a short
 * scan's cost in an exploration. A scan takes its own (a nested scan runs
 * inside another) and gives it back clean when it finishes; one abandoned
 * by a panic or an EFAULT is simply not reused.
 */
const FREE_DECODERS: TextDecoder[] = [];

/**
 * Where scanned bytes go, as they are read (`buf[start..end)`, a page's
 * bytes, valid only during the call). get_as_str decodes as it goes, so a
 * 64 MiB string is never held twice as bytes.
 */
/** What a sink holds: enough to copy it (an exploration going on from a point in two ways). */
interface Utf8State {
  /** The text taken, newest piece first (a copy shares it: O(1) however long the text). */
  pieces: Cell<string> | null;
  valid: boolean;
  total: number;
  /** The decoder holds no partial character (the last chunk ended in ASCII): the same bytes then decode the same way. */
  clean: boolean;
  /** The last three bytes taken: with the text, they tell what a decoder left mid-character holds. */
  tail: number;
  hasher: Hasher;
  /** The newest piece already in `hasher` (pieces are hashed when a print asks, not as taken: a plain run never asks). */
  hashed: Cell<string> | null;
}

/**
 * A piece of what a scan took, with the pieces before it: a list shared by
 * the copies of a scan (an exploration forks one at every element, and an
 * array copied at each fork cost the square of the scan's length).
 */
interface Cell<T> {
  value: T;
  prev: Cell<T> | null;
}

/** The pieces of a list oldest first, from just after `after` (null: all) to `last`. */
function since<T>(last: Cell<T> | null, after: Cell<T> | null): T[] {
  // Counted, then filled from the end: no reverse (whose call kept V8 deoptimizing this, once a state was printed).
  let n = 0;
  for (let c = last; c !== null && c !== after; c = c.prev) n++;
  const out = new Array<T>(n);
  let c = last as Cell<T>;
  for (let i = n - 1; i >= 0; i--, c = c.prev as Cell<T>) out[i] = c.value;
  return out;
}

type Take = (buf: Uint8Array, start: number, end: number) => void;

interface Utf8Sink {
  kind: "utf8";
  take: Take;
  finish(): string | undefined;
  /** Bytes taken (those a string is made of). */
  length(): number;
  /** What was taken so far, into a state's fingerprint (each kind marked: 0 length, 1 utf8, 2 bytes). */
  printInto(h: Hasher): void;
  /** Whether a copy can be made now. */
  copyable(): boolean;
  copy(): Sink;
}

interface BytesSink {
  kind: "bytes";
  take: Take;
  finish(): Uint8Array;
  /** What was taken so far, into a state's fingerprint (each kind marked: 0 length, 1 utf8, 2 bytes). */
  printInto(h: Hasher): void;
  /** Whether a copy can be made now. */
  copyable(): boolean;
  copy(): Sink;
}

interface LengthSink {
  kind: "length";
  take: Take;
  finish(): bigint;
  /** What was taken so far, into a state's fingerprint (each kind marked: 0 length, 1 utf8, 2 bytes). */
  printInto(h: Hasher): void;
  /** Whether a copy can be made now. */
  copyable(): boolean;
  copy(): Sink;
}

type Sink = Utf8Sink | BytesSink | LengthSink;

const ASCII = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i));

function utf8Sink(): Utf8Sink {
  return new Utf8Taker({ pieces: null, valid: true, total: 0, clean: true, tail: 0, hasher: new Hasher(), hashed: null });
}

/** get_as_str's sink. A class, not closures: an exploration copies it at every point of a scan. */
class Utf8Taker implements Utf8Sink {
  readonly kind = "utf8";
  // Taken when a chunk needs one (a scan read element by element decodes its ASCII bytes itself, and most copies stop soon).
  private decoder: TextDecoder | undefined;
  // The last chunk decoded from a clean state to a clean state: a fill's shared page is decoded once, not once a page.
  private last: { buf: Uint8Array; start: number; end: number; text: string } | undefined;
  constructor(private readonly st: Utf8State) {}

  private push(text: string): void {
    this.st.pieces = { value: text, prev: this.st.pieces };
  }

  take(buf: Uint8Array, start: number, end: number): void {
    const st = this.st;
    // Bytes already invalid UTF-8 are not kept (the result is EILSEQ): only a string being built is capped.
    if (!st.valid) return;
    for (let i = Math.max(start, end - 3); i < end; i++) st.tail = ((st.tail << 8) | (buf[i] as number)) & 0xffffff;
    st.total += end - start;
    if (st.total > MAX_STRING_BYTES)
      throw new TraceTooLarge(`a get_as_str string would pass ${MAX_STRING_BYTES} bytes (256 MiB, the longest string a step may yield); end the string with a NUL within 256 MiB`);
    const last = this.last;
    if (st.clean && last && last.buf === buf && last.start === start && last.end === end) {
      this.push(last.text);
      return;
    }
    // One ASCII byte from a clean state (a scan read element by element): no decoder call.
    const first = buf[start] as number;
    if (st.clean && end - start === 1 && first < 0x80) {
      this.push(ASCII[first] as string);
      return;
    }
    const wasClean = st.clean;
    try {
      this.decoder ??= FREE_DECODERS.pop() ?? new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
      const text = this.decoder.decode(buf.subarray(start, end), { stream: true });
      this.push(text);
      st.clean = (buf[end - 1] as number) < 0x80;
      if (wasClean && st.clean) this.last = { buf, start, end, text };
    } catch {
      st.valid = false;
    }
  }

  finish(): string | undefined {
    const st = this.st;
    if (!st.valid) return undefined; // a decoder left mid-character is not reused
    if (this.decoder !== undefined) {
      let text: string;
      try {
        text = this.decoder.decode();
      } catch {
        return undefined;
      }
      // The flush left it clean: the next scan may take it.
      FREE_DECODERS.push(this.decoder);
      this.push(text);
    }
    return since(st.pieces, null).join("");
  }

  /** What was taken so far (a fingerprint: the text hashed as it grows). */
  printInto(h: Hasher): void {
    const st = this.st;
    h.int(1);
    if (!st.valid) return h.int(-2);
    const p = st.pieces;
    // Most prints come one piece (a scan's one element) after the last.
    if (p !== null && p.prev === st.hashed) st.hasher.chars(p.value);
    else if (p !== st.hashed) for (const piece of since(p, st.hashed)) st.hasher.chars(piece);
    st.hashed = p;
    // Clean, or the last bytes a decoder left mid-character holds (at most three: below 2^24).
    h.int(st.clean ? -1 : st.tail);
    h.int(st.hasher.high);
    h.int(st.hasher.low);
  }

  /** Not while the decoder holds part of a character (its state cannot be copied). */
  copyable(): boolean {
    return this.st.clean || !this.st.valid;
  }

  copy(): Sink {
    return new Utf8Taker({ ...this.st, hasher: this.st.hasher.copy() });
  }

  length(): number {
    return this.st.total;
  }
}

interface BytesState {
  /** The chunks taken, newest first, shared by copies (as Utf8State's pieces). */
  chunks: Cell<Uint8Array> | null;
  total: number;
  hasher: Hasher;
  hashed: Cell<Uint8Array> | null;
}

function bytesSink(check: (bytes: number) => void, from?: BytesState): BytesSink {
  const st: BytesState = from ? { ...from, hasher: from.hasher.copy() } : { chunks: null, total: 0, hasher: new Hasher(), hashed: null };
  return {
    kind: "bytes",
    take: (buf: Uint8Array, start: number, end: number) => {
      st.total += end - start;
      check(st.total);
      st.chunks = { value: buf.slice(start, end), prev: st.chunks };
    },
    finish: (): Uint8Array => concat(since(st.chunks, null)),
    printInto: (h: Hasher): void => {
      for (const chunk of since(st.chunks, st.hashed)) st.hasher.bytes(chunk);
      st.hashed = st.chunks;
      h.int(2);
      h.int(st.hasher.high);
      h.int(st.hasher.low);
    },
    // Taken chunks are copies, never changed: the copy shares them.
    copyable: () => true,
    copy: (): Sink => bytesSink(check, st),
  };
}

/**
 * How a copy of the machine goes on from a point of a scan (explore.md
 * section 2's page-check or before-read): where the scan is, what it took,
 * and `enter`, run once the copy is in place (the exploration fires its
 * races there and looks at the state) before the scan goes on.
 */
export interface OpResume {
  at: ScanAt;
  sink: Sink;
  /** Just after the point: a page check's, the before-read's, or the read's page fault (its handler still to decide). */
  entry: "check" | "read" | "fault";
  enter?: () => void;
}

/** A scan's progress, hashed as it is, not written out: a scan's states are fingerprinted at every point of an exploration. */
function scanPrint(h: Hasher, at: ScanAt, sink: Sink | undefined): void {
  h.string("n");
  h.string(at.stage);
  h.big(at.len);
  h.big(at.page);
  if (sink === undefined) h.int(-1);
  else sink.printInto(h);
}

/** A copy's own place and sink, taken from a scan at its point (Machine.resumeAt, which offers only a scan whose sink is copyable). */
export function takeUp(point: OpResume): OpResume {
  return { at: { ...point.at }, sink: point.sink.copy(), entry: point.entry };
}

/** The progress of a scan to be taken up from `resume`, before it is (a started copy's state is printed at its point). */
export function resumeProgress(resume: OpResume): Progress {
  return (h) => scanPrint(h, resume.at, resume.sink);
}

/** Where a scan's reads come from: axptr's own user-access site, not an interrupt (one object for every read). */
const SCAN_READ = Object.freeze({ site: true, interrupt: false });

/** Element by element, page check before each new page; hands the bytes before the terminator to `take`. */
function scan(
  m: Machine,
  start: bigint,
  info: ElementInfo,
  access: Access[],
  sink: { take: Take },
  at: ScanAt,
  entry?: "check" | "read" | "fault",
): "ok" | "EFAULT" {
  const P = m.aspace.pageSize;
  const size = info.size;
  // Taken up at a point (a copy): where it was, just after that point's events.
  let len = entry !== undefined ? at.len : 0n;
  let page = entry !== undefined ? at.page : start - (start % P);
  for (;;) {
    const a = start + len * size;
    // Taken up just after a before-read point (its events fired, the read comes next) or in the read's fault.
    const faulted = entry === "fault";
    if (entry === "read" || entry === "fault") entry = undefined;
    else {
      if (entry === undefined) {
        if (a + size - 1n > U64_MAX) overflow(m, start, len * size);
        at.len = len;
      }
      while (a >= page) {
        at.page = page;
        if (entry === "check") entry = undefined;
        else if (m.outer) m.triggers.fire(m, "page-check", BigInt(++m.pageChecks));
        // from_start_size builds [page, page+P) before the check: after the trigger, before the unit.
        if (page + P > U64_MAX) overflow(m, page, P);
        m.spend();
        const ok = m.aspace.checkRegionAccess(page, page + P, access);
        m.emit({ kind: "page-check", addr: page, ok, ...(ok || !m.explain ? {} : { why: m.aspace.regionRefusal(page, page + P, access) }) });
        if (!ok) return "EFAULT";
        page += P;
      }
      at.page = page;
      m.triggers.fire(m, "before-read", len);
    }
    if ((faulted ? kernelTouchAfterFault(m, a, "read", SCAN_READ) : kernelTouch(m, a, "read", SCAN_READ)) === "fixup") return "EFAULT";

    // The rest of this page reads without a fault: take it in one go, up to the next trigger or the end of the budget.
    let n = (page - a) / size;
    const trigger = m.triggers.nextReadTrigger(m, len + 1n);
    if (trigger !== undefined) n = minB(n, trigger - len);
    n = minB(n, m.remaining);
    if (n === 0n) m.spend();
    const buf = m.aspace.pageBytes(a / P);
    const off = Number(a % P);
    // A fill's shared page holds one value: all zeros ends the scan at once, any other value never does.
    const uniform = m.aspace.uniformValue(buf);
    const found = uniform === undefined ? findZero(buf, off, Number(n), Number(size)) : uniform === 0 && n > 0n ? 0 : -1;
    const count = found === -1 ? n : BigInt(found + 1);
    m.spend(count);
    m.access("read", a, count * size, "kernel");
    const keep = Number(found === -1 ? count : count - 1n) * Number(size);
    if (keep > 0) sink.take(buf, off, off + keep);
    if (found !== -1) return "ok";
    len += count;
  }
}

/** Index (in elements) of the first all-zero element among `n` from `off`, or -1. */
function findZero(buf: Uint8Array, off: number, n: number, size: number): number {
  if (size === 1) {
    // Within the n elements only: a search to the page's end would cost a scan read element by element a page per element.
    const i = n < 64 ? buf.subarray(off, off + n).indexOf(0) : buf.indexOf(0, off);
    return i === -1 ? -1 : n < 64 ? i : i < off + n ? i - off : -1;
  }
  for (let k = 0; k < n; k++) {
    let zero = true;
    for (let b = 0; b < size; b++) if (buf[off + k * size + b] !== 0) (zero = false), (b = size);
    if (zero) return k;
  }
  return -1;
}

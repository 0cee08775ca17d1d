// StarryOS's starry-vm copies (kernels.md section 7): vm_read, vm_write and
// vm_load_string. A check of the address-space range only, then one
// access_user_memory around an element-by-element copy whose faults are
// user-copy sites (fixup: EFAULT, the elements before it copied).
import { elementInfo, type ElementInfo } from "../scenario/elements.js";
import { hex, U64_MAX } from "../scenario/numbers.js";
import type { NestedStepSpec } from "../scenario/schema.js";
import type { Access, StepResult } from "./events.js";
import { kernelTouch } from "./handler.js";
import { MAX_STRING_BYTES, TraceTooLarge, type Machine } from "./machine.js";
import { checkValueSize, concat, elementsStartingIn, elementValues, pageChunks } from "./ops.js";

type VmStep = Extract<NestedStepSpec, { op: "vm_read" | "vm_write" | "vm_load_string" }>;

const EFAULT: StepResult = { status: "err", errno: "EFAULT" };
const COPY = { site: true, interrupt: false, copy: true } as const;

export function vmCopy(m: Machine, st: VmStep): StepResult {
  switch (st.op) {
    case "vm_read": {
      const info = elementInfo(st.type);
      return copy(m, st.ptr, info, st.len, "read", undefined);
    }
    case "vm_write": {
      const bytes = st.bytes !== undefined ? Uint8Array.from(st.bytes.map(Number)) : new Uint8Array(Number(st.len ?? 0n)).fill(Number(st.fill ?? 0n));
      return copy(m, st.ptr, elementInfo("u8"), BigInt(bytes.length), "write", bytes);
    }
    case "vm_load_string":
      return loadString(m, st.ptr);
  }
}

/** check_access: [ptr, ptr+size) lies inside the user address space; no area is looked at. One unit, a `check` event. */
function checkAccess(m: Machine, ptr: bigint, size: bigint): boolean {
  m.spend();
  const end = ptr + size;
  const ok = ptr >= m.aspace.base && end <= m.aspace.end && end <= U64_MAX + 1n;
  // With --explain a refusal says why (issue 21, point 10); without, the event is as goldens have it.
  m.emit({ kind: "check", addr: ptr, size, ok, ...(ok || !m.explain ? {} : { why: accessRefusal(m, ptr, end) }) });
  return ok;
}

/** Why check_access refused [ptr, end): the range passes 2^64, or starts below or ends past the user address space. */
function accessRefusal(m: Machine, ptr: bigint, end: bigint): string {
  if (end > U64_MAX + 1n) return "the range passes 2^64";
  const space = `${hex(m.aspace.base)}..${hex(m.aspace.end)}`;
  return ptr < m.aspace.base ? `the range starts below the user address space ${space}` : `the range ends past the user address space ${space}`;
}

/**
 * vm_read / vm_write: `n` elements in address order, a page at a time, under
 * the state. Each element's before-read point comes first; between two
 * points the elements go a page at a time (an action at a point is seen by
 * the next page touched, as kernelTouch finds what changed).
 */
function copy(m: Machine, ptr: bigint, info: ElementInfo, n: bigint, access: Access, data: Uint8Array | undefined): StepResult {
  if (!checkAccess(m, ptr, n * info.size)) return EFAULT;
  if (access === "read") checkValueSize(n, info);
  const token = m.beginAccess();
  m.triggers.fire(m, "flag-set");
  const chunks: Uint8Array[] = [];
  let failed = false;
  for (let i = 0n; i < n && !failed; ) {
    m.triggers.fire(m, "before-read", i);
    // Up to the next element whose point someone waits for (every one, in an exploration).
    const next = m.triggers.nextReadTrigger(m, i + 1n);
    const j = next !== undefined && next < n ? next : n;
    if (info.size === 0n) m.spend(j - i);
    for (const [lo, hi] of pageChunks(ptr + i * info.size, (j - i) * info.size, m.aspace.pageSize)) {
      if (kernelTouch(m, lo, access, COPY) === "fixup") {
        failed = true;
        break;
      }
      m.spend(elementsStartingIn(ptr, info.size, lo, hi));
      if (data !== undefined) m.aspace.writeBytes(lo, data.subarray(Number(lo - ptr), Number(hi - ptr)));
      else chunks.push(m.aspace.readBytes(lo, Number(hi - lo)));
      m.access(access === "read" ? "read" : "write", lo, hi - lo, "kernel");
    }
    i = j;
  }
  m.triggers.fire(m, "flag-clear");
  m.endAccess(token);
  if (failed) return EFAULT;
  if (data !== undefined) return { status: "ok" };
  return { status: "ok", value: elementValues(concat(chunks), info, n) };
}

/** vm_load_string: bytes up to the NUL (found by reading, no page checks), then the kernel's copy is decoded. */
function loadString(m: Machine, ptr: bigint): StepResult {
  if (!checkAccess(m, ptr, 1n)) return EFAULT;
  const token = m.beginAccess();
  m.triggers.fire(m, "flag-set");
  const P = m.aspace.pageSize;
  const pieces: Uint8Array[] = [];
  let total = 0;
  let failed = false;
  for (let i = 0n; ; ) {
    const a = ptr + i;
    if (a > U64_MAX) m.end({ status: "panic", message: `attempt to add with overflow (${hex(ptr)} + ${hex(i)} passes 2^64 - 1)` });
    m.triggers.fire(m, "before-read", i);
    if (kernelTouch(m, a, "read", COPY) === "fixup") {
      failed = true;
      break;
    }
    // The rest of this page, up to the next point someone waits for and what the budget allows.
    let k = P - (a % P);
    const next = m.triggers.nextReadTrigger(m, i + 1n);
    if (next !== undefined && next - i < k) k = next - i;
    if (m.remaining < k) k = m.remaining > 0n ? m.remaining : 1n;
    const bytes = m.aspace.readBytes(a, Number(k));
    const zero = bytes.indexOf(0);
    const took = zero === -1 ? bytes.length : zero + 1;
    m.spend(BigInt(took));
    m.access("read", a, BigInt(took), "kernel");
    const keep = zero === -1 ? bytes : bytes.subarray(0, zero);
    total += keep.length;
    if (total > MAX_STRING_BYTES)
      throw new TraceTooLarge(`a vm_load_string string would pass ${MAX_STRING_BYTES} bytes (256 MiB, the longest string a step may yield); end the string with a NUL within 256 MiB`);
    pieces.push(keep);
    if (zero !== -1) break;
    i += BigInt(took);
  }
  m.triggers.fire(m, "flag-clear");
  m.endAccess(token);
  if (failed) return EFAULT;
  try {
    return { status: "ok", value: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(concat(pieces)) };
  } catch {
    return { status: "err", errno: "EILSEQ" };
  }
}

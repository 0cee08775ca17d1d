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
import { checkValueSize, concat, elementValues, pageChunks } from "./ops.js";

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
  m.emit({ kind: "check", addr: ptr, size, ok });
  return ok;
}

/** vm_read / vm_write: `n` elements in address order, a page at a time, under the state. */
function copy(m: Machine, ptr: bigint, info: ElementInfo, n: bigint, access: Access, data: Uint8Array | undefined): StepResult {
  if (!checkAccess(m, ptr, n * info.size)) return EFAULT;
  if (access === "read") checkValueSize(n, info);
  const token = m.beginAccess();
  m.triggers.fire(m, "flag-set");
  const chunks: Uint8Array[] = [];
  let failed = false;
  for (let i = 0n; i < n && !failed; i++) {
    m.triggers.fire(m, "before-read", i);
    const at = ptr + i * info.size;
    for (const [lo, hi] of pageChunks(at, info.size, m.aspace.pageSize)) {
      // A page is touched again after any action: kernelTouch finds what changed.
      if (kernelTouch(m, lo, access, COPY) === "fixup") {
        failed = true;
        break;
      }
      if (data !== undefined) m.aspace.writeBytes(lo, data.subarray(Number(lo - ptr), Number(hi - ptr)));
      else chunks.push(m.aspace.readBytes(lo, Number(hi - lo)));
      m.access(access === "read" ? "read" : "write", lo, hi - lo, "kernel");
    }
    if (!failed) m.spend();
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
  const bytes: number[] = [];
  let failed = false;
  for (let i = 0n; ; i++) {
    const a = ptr + i;
    if (a > U64_MAX) m.end({ status: "panic", message: `attempt to add with overflow (${hex(ptr)} + ${hex(i)} passes 2^64 - 1)` });
    m.triggers.fire(m, "before-read", i);
    if (kernelTouch(m, a, "read", COPY) === "fixup") {
      failed = true;
      break;
    }
    const b = m.aspace.readBytes(a, 1)[0] as number;
    m.access("read", a, 1n, "kernel");
    m.spend();
    if (b === 0) break;
    if (bytes.length >= MAX_STRING_BYTES)
      throw new TraceTooLarge(`a vm_load_string string would pass ${MAX_STRING_BYTES} bytes (256 MiB, the longest string a step may yield); end the string with a NUL within 256 MiB`);
    bytes.push(b);
  }
  m.triggers.fire(m, "flag-clear");
  m.endAccess(token);
  if (failed) return EFAULT;
  try {
    return { status: "ok", value: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(Uint8Array.from(bytes)) };
  } catch {
    return { status: "err", errno: "EILSEQ" };
  }
}

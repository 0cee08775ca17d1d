// Pointers read from user memory (kernels.md section 8): `ptr: { from: N,
// index: K }` takes element K of step N's `ok` list, or its number without
// index, as execve takes argv[i]. A pointer that cannot be had makes the
// step `not-run`, with the reason.
import { hex, U64_MAX } from "../scenario/numbers.js";
import type { AreaSpec, NestedStepSpec, PtrFromSpec, StepSpec } from "../scenario/schema.js";
import { spanOf } from "../scenario/rules.js";
import type { StepResult, Value } from "./events.js";

/** Where a step's pointer came from, for the trace: the step, the element, and the value once known. */
export interface PointerOrigin {
  /** The source step's number (same thread). */
  step: number;
  index?: bigint;
  /** The pointer taken (absent when it could not be had, or the step did not run). */
  value?: bigint;
  /** How the trace names it: `argv[1]`, `*0x10000`. */
  label: string;
}

export type Resolved = { ok: true; step: NestedStepSpec; origin?: PointerOrigin } | { ok: false; reason: string; origin: PointerOrigin };

/** The step with its pointer as a number, or why there is none. `results` are the thread's earlier results, in order. */
export function resolvePointer(st: StepSpec, thread: string, results: readonly StepResult[], label: string): Resolved {
  if (!("ptr" in st) || typeof st.ptr === "bigint") return { ok: true, step: st as NestedStepSpec };
  const from = st.ptr;
  const origin: PointerOrigin = { step: from.from, ...(from.index !== undefined ? { index: from.index } : {}), label };
  const taken = take(results[from.from - 1], from, `${thread}#${from.from}`);
  if (typeof taken === "string") return { ok: false, reason: `no pointer: ${taken}`, origin };
  return { ok: true, step: { ...st, ptr: taken } as NestedStepSpec, origin: { ...origin, value: taken } };
}

/** The pointer, or why it cannot be had (a phrase naming the source step `src`). */
function take(r: StepResult | undefined, from: PtrFromSpec, src: string): bigint | string {
  if (r === undefined || r.status === "not-run") return `${src} did not run`;
  if (r.status === "err") return `${src} returned ${r.errno}`;
  if (r.status !== "ok") return `${src} ended in ${r.status}`;
  if (!("value" in r) || r.value === undefined) return `${src} returned ok with no value`;
  const v = r.value;
  if (from.index === undefined) return asPointer(v) ?? `${src}'s value is not a number (take an element with ptr: { from: ${from.from}, index: K })`;
  if (!Array.isArray(v)) return `${src}'s value is not a list, so it has no element ${from.index}`;
  const list = v as readonly Value[];
  if (from.index >= BigInt(list.length)) return `${src}'s value has ${list.length} element${list.length === 1 ? "" : "s"}, none at index ${from.index}`;
  return asPointer(list[Number(from.index)] as Value) ?? `element ${from.index} of ${src}'s value is not a number`;
}

/** A number as a 64-bit pointer (a signed element is taken as its two's complement, as a cast to usize does). */
function asPointer(v: Value): bigint | undefined {
  if (typeof v !== "bigint") return undefined;
  return v < 0n ? (v + U64_MAX + 1n) & U64_MAX : v;
}

/**
 * How the trace names each step's pointer: the name of the file's area that
 * holds the source step's pointer (its hex address when unnamed), then `[K]`
 * for an element, or `*` before it for the number itself; chains nest
 * (`argv[1][0]`). A literal pointer has no label ("").
 */
export function pointerLabels(steps: readonly StepSpec[], areas: readonly AreaSpec[], page: bigint): string[] {
  const labels: string[] = [];
  steps.forEach((st) => {
    if (!("ptr" in st)) return labels.push("");
    if (typeof st.ptr === "bigint") return labels.push("");
    const src = steps[st.ptr.from - 1];
    // Validation keeps `from` earlier than the step: its label is known.
    const base = src === undefined || !("ptr" in src) ? "?" : typeof src.ptr === "bigint" ? areaName(src.ptr, areas, page) : (labels[st.ptr.from - 1] ?? "?");
    return labels.push(st.ptr.index !== undefined ? `${base}[${st.ptr.index}]` : `*${base}`);
  });
  return labels;
}

function areaName(addr: bigint, areas: readonly AreaSpec[], page: bigint): string {
  for (const a of areas) {
    const { start, end } = spanOf(a, page);
    if (a.name !== undefined && addr >= start && addr < end) return a.name;
  }
  return hex(addr);
}

/** The `ptr=` part of a step's arguments: `ptr=argv[1] (0x10200, from main#1)`, or without the value when there is none. */
export function pointerText(o: PointerOrigin, thread: string): string {
  return `ptr=${o.label} (${o.value !== undefined ? `${hex(o.value)}, ` : ""}from ${thread}#${o.step})`;
}

// The six kernels by name, and the one reading of their preemption, interrupt
// and lock rules that the injector (run) and the occurrences (explore) share.
import { DEFAULT_KERNEL, type KernelName } from "../../scenario/kernels.js";
import type { ActionSpec, OpName, TriggerName } from "../../scenario/schema.js";
import { axptr01 } from "./axptr-0-1.js";
import { axptrDoc } from "./axptr-doc.js";
import type { Closed, KernelProfile } from "./profile.js";
import { starry202504 } from "./starry-2025-04.js";
import { starry202507 } from "./starry-2025-07.js";
import { starry202508 } from "./starry-2025-08.js";
import { starry202512 } from "./starry-2025-12.js";

export type { KernelProfile, Unresolved } from "./profile.js";

const PROFILES: Record<KernelName, KernelProfile> = {
  "axptr-doc": axptrDoc,
  "axptr-0.1": axptr01,
  "starry-2025-04": starry202504,
  "starry-2025-07": starry202507,
  "starry-2025-08": starry202508,
  "starry-2025-12": starry202512,
};

export function kernelProfile(name: KernelName | undefined): KernelProfile {
  return PROFILES[name ?? DEFAULT_KERNEL];
}

/** A point as the kernel's rules see it. */
export interface PointContext {
  op: OpName;
  at: TriggerName;
  /** The step's own user access is open (access_user_memory has begun and not ended). */
  inAccess: boolean;
}

/** What cannot happen at a point, each with why; `cpu`: the running thread's CPU then (a `run` there preempts it). */
export interface ClosedAt {
  cpu: number;
  preempt?: string;
  interrupt?: string;
  mapping?: string;
}

function shut(c: Closed | undefined, pc: PointContext): string | undefined {
  if (c === undefined) return undefined;
  const hit = c.points.some((r) => r.at.includes(pc.at) && (r.ops === undefined || r.ops.includes(pc.op)) && (r.inAccess === undefined || pc.inAccess));
  return (c.mode === "only" ? !hit : hit) ? c.why : undefined;
}

/** What the kernel keeps from happening at this point; undefined when everything may. */
export function closedAt(k: KernelProfile, pc: PointContext, cpu: number): ClosedAt | undefined {
  // Most runs are under a kernel with no such rule: every point of an exploration comes here.
  if (k.preemption === undefined && k.interrupts === undefined && k.mappingLocked === undefined) return undefined;
  const preempt = shut(k.preemption, pc);
  const interrupt = shut(k.interrupts, pc);
  const mapping = shut(k.mappingLocked, pc);
  if (preempt === undefined && interrupt === undefined && mapping === undefined) return undefined;
  return { cpu, ...(preempt !== undefined ? { preempt } : {}), ...(interrupt !== undefined ? { interrupt } : {}), ...(mapping !== undefined ? { mapping } : {}) };
}

/**
 * Why this action cannot happen where `closed` was taken, or undefined. A
 * migrate, or a run on the running thread's own CPU, takes the thread off its
 * CPU (a run on another CPU happens in parallel, wherever it is placed).
 */
export function blockedBy(closed: ClosedAt | undefined, d: ActionSpec): string | undefined {
  if (closed === undefined) return undefined;
  if (d.migrate !== undefined || (d.run !== undefined && (d.run.cpu === undefined || d.run.cpu === closed.cpu))) return closed.preempt;
  if (d.interrupt !== undefined) return closed.interrupt;
  if (d.unmap !== undefined || d.protect !== undefined || d.map !== undefined || d.evict !== undefined) return closed.mapping;
  return undefined;
}

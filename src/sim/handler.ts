// The kernel's page-fault handler (semantics section 4): its decisions, in order.
import { hex } from "../scenario/numbers.js";
import type { Access, Decision, Mode } from "./events.js";
import { BlockedSignal, type Machine } from "./machine.js";

export interface FaultSite {
  /** One of axptr's user-access sites (matters to the exception-table strategy only). */
  site: boolean;
  interrupt: boolean;
}

/**
 * Raises a fault at `addr` and runs the handler. Returns when the access may
 * be retried (resolved) or the operation must fail with EFAULT (fixup); every
 * other decision ends the run.
 */
export function pageFault(m: Machine, addr: bigint, access: Access, mode: Mode, where: FaultSite): "resolved" | "fixup" {
  m.spend();
  m.faults++;
  m.emit({ kind: "page-fault", addr, access, mode, interrupt: where.interrupt });
  if (m.outer) {
    m.faultsInStep++;
    m.triggers.fire(m, "page-fault", BigInt(m.faultsInStep));
  }
  const ctx = { ...m.ctx, ...where };
  const accessing = mode === "kernel" && m.strategy.accessing(ctx);
  if (mode === "kernel" && where.interrupt && accessing) {
    m.hazard(
      "interrupt-in-access",
      `An interrupt handler's own fault at ${hex(addr)} was judged by the interrupted user access's state: a kernel bug is taken for a user access, and the handler resolves it or kills the user process instead of reporting the bug.`,
    );
  }
  if (mode === "kernel" && !where.interrupt && accessing && m.strategy.perCpu && !m.ownsSlot(m.thread, String(ctx.cpu))) {
    const owners = m.slotOwners(String(ctx.cpu), m.thread);
    const whose = owners.length > 0 ? `, which ${owners.map((t) => `thread ${t}`).join(" and ")} set for ${owners.length === 1 ? "its own" : "their own"} open access` : "";
    m.hazard(
      "foreign-flag",
      `Thread ${m.thread}'s kernel-mode fault at ${hex(addr)} was judged by cpu${ctx.cpu}'s flag${whose}: another thread's protection covers this thread's access, so a kernel bug is taken for a user access (resolved, or the process killed) instead of being reported.`,
    );
  }
  const { decision, reason, mapped } = decide(m, addr, access, mode, accessing);
  m.emit({ kind: "handler", decision, addr, reason });
  switch (decision) {
    case "resolved":
      m.resolved++;
      if (mapped) m.emit({ kind: "page-mapped", addr: addr - (addr % m.aspace.pageSize) });
      return "resolved";
    case "fixup":
      return "fixup";
    case "unhandled":
      return m.end({ status: "panic", message: `Unhandled kernel page fault @${hex(addr)}` });
    case "deadlock":
      return m.end({ status: "deadlock" });
    case "blocked":
      // Only a thread switched in by `run` gets here; it sleeps until the lock is free.
      throw new BlockedSignal(m.lockHolder ?? "");
    case "segv":
      return m.end({ status: "killed", signal: "SIGSEGV" });
  }
}

function decide(m: Machine, addr: bigint, access: Access, mode: Mode, accessing: boolean): { decision: Decision; reason: string; mapped?: boolean } {
  if (mode === "kernel" && !accessing) return { decision: "unhandled", reason: "kernel mode and is_accessing_user_memory() is false: a kernel bug" };
  if (m.lockHeld && m.lockHolder === m.thread)
    return { decision: "deadlock", reason: "the handler waits for the address-space lock its own thread holds" };
  if (m.lockHeld && m.lockHolder !== null)
    return { decision: "blocked", reason: `the handler waits for the address-space lock thread ${m.lockHolder} holds: this thread sleeps` };
  // handle_page_fault takes a frame only when the area allows the access.
  const r = m.aspace.handlePageFault(addr, access);
  if (r === "mapped") {
    m.spend();
    return { decision: "resolved", reason: "lazy page made present", mapped: true };
  }
  // A page-fault trigger may have made it present already (a map, say).
  if (r === "present") return { decision: "resolved", reason: "page already present" };
  const why = r === "no-area" ? `no area holds ${hex(addr)}` : r === "no-permission" ? `the area does not allow ${access}` : "no free frame";
  if (mode === "kernel" && accessing && m.strategy.fixups)
    return { decision: "fixup", reason: `${why}: the exception table sends the access to its fixup (EFAULT)` };
  return { decision: "segv", reason: `${why}: SIGSEGV to the process` };
}

/** A kernel-mode access to one address, faulting and retrying as the handler decides. */
export function kernelTouch(m: Machine, addr: bigint, access: Access, where: FaultSite): "ok" | "fixup" {
  while (!m.aspace.accessible(addr, access)) {
    if (pageFault(m, addr, access, "kernel", where) === "fixup") return "fixup";
  }
  return "ok";
}

/** A user-mode access: resolved, or the process is killed. */
export function userTouch(m: Machine, addr: bigint, access: Access): void {
  while (!m.aspace.accessible(addr, access)) pageFault(m, addr, access, "user", { site: false, interrupt: false });
}

// The kernel's page-fault handler (semantics section 4): its decisions, in order.
import { hex } from "../scenario/numbers.js";
import type { Access, Decision, Mode } from "./events.js";
import { BlockedSignal, type Machine } from "./machine.js";

export interface FaultSite {
  /** One of axptr's user-access sites (matters to the exception-table strategy only). */
  site: boolean;
  interrupt: boolean;
  /** A user-copy site (a vm_* copy): the only fixup entries of the late StarryOS kernels (kernels.md section 2). */
  copy?: boolean;
}

/**
 * Raises a fault at `addr` and runs the handler. Returns when the access may
 * be retried (resolved) or the operation must fail with EFAULT (fixup); every
 * other decision ends the run.
 */
export function pageFault(m: Machine, addr: bigint, access: Access, mode: Mode, where: FaultSite, lastRetry?: number): "resolved" | "fixup" | "retry" {
  m.spend();
  m.faults++;
  m.emit({ kind: "page-fault", addr, access, mode, interrupt: where.interrupt });
  if (m.outer) {
    m.faultsInStep++;
    m.triggers.fire(m, "page-fault", BigInt(m.faultsInStep));
  }
  return handle(m, addr, access, mode, where, lastRetry);
}

/** The handler, once the fault is raised and its point's events have fired: its decision, and what the access does then. */
function handle(m: Machine, addr: bigint, access: Access, mode: Mode, where: FaultSite, lastRetry: number | undefined): "resolved" | "fixup" | "retry" {
  const ctx = { ...m.ctx, ...where };
  const accessing = mode === "kernel" && m.strategy.accessing(ctx);
  if (mode === "kernel" && where.interrupt && accessing) {
    m.hazard(
      "interrupt-in-access",
      `An interrupt handler's own fault at ${hex(addr)} was judged by the interrupted user access's state: a kernel bug is taken for a user access, and the handler resolves it or kills the user process instead of reporting the bug.`,
    );
  }
  const slot = m.strategy.sharedSlot(ctx);
  if (mode === "kernel" && !where.interrupt && accessing && slot !== undefined && !m.ownsSlot(m.thread, slot)) {
    const owners = m.slotOwners(slot, m.thread);
    const whose = owners.length > 0 ? `, which ${owners.map((t) => `thread ${t}`).join(" and ")} set for ${owners.length === 1 ? "its own" : "their own"} open access` : "";
    m.hazard(
      "foreign-flag",
      `Thread ${m.thread}'s kernel-mode fault at ${hex(addr)} was judged by ${m.strategy.slotText(slot).flag}${whose}: another thread's protection covers this thread's access, so a kernel bug is taken for a user access (resolved, or the process killed) instead of being reported.`,
    );
  }
  const { decision, reason, mapped } = decide(m, addr, access, mode, accessing, where.copy === true);
  m.emit({ kind: "handler", decision, addr, reason });
  switch (decision) {
    case "resolved":
      m.resolved++;
      if (mapped) m.emit({ kind: "page-mapped", addr: addr - (addr % m.aspace.pageSize) });
      return "resolved";
    case "fixup":
      return "fixup";
    case "unhandled":
      // The late StarryOS handler returns false under the flag too: axcpu's own panic.
      if (mode === "kernel" && accessing && m.kernel.unresolved === "copy-fixup") return m.end({ status: "panic", message: `Unhandled Supervisor Page Fault @${hex(addr)}` });
      return m.end({ status: "panic", message: `Unhandled kernel page fault @${hex(addr)}` });
    case "exit":
      m.hazard(
        "stranded-by-exit",
        `Thread ${m.thread} was killed from inside the page-fault trap (do_exit) in the middle of a user access: access_user_memory never ends, so cpu${m.cpu}'s state stays "accessing" for every later task on cpu${m.cpu}, whose own kernel bugs it will hide.`,
      );
      return m.end({ status: "killed", signal: "SIGSEGV" });
    case "retry":
      // A second retry with nothing injected since the first faults the same way forever: preemption is off, the signal never delivered.
      if (lastRetry !== undefined && lastRetry === m.injections) return m.end({ status: "livelock" });
      return "retry";
    case "deadlock":
      return m.end({ status: "deadlock" });
    case "blocked":
      // Only a thread switched in by `run` gets here; it sleeps until the lock is free.
      throw new BlockedSignal(m.lockHolder ?? "");
    case "segv":
      return m.end({ status: "killed", signal: "SIGSEGV" });
  }
}

function decide(m: Machine, addr: bigint, access: Access, mode: Mode, accessing: boolean, copy: boolean): { decision: Decision; reason: string; mapped?: boolean } {
  const copyFixups = m.kernel.unresolved === "copy-fixup";
  if (mode === "kernel" && !accessing) {
    if (copyFixups && copy) return { decision: "fixup", reason: "kernel mode and is_accessing_user_memory() is false, at a user_copy site: the exception table sends it to its fixup (EFAULT)" };
    return { decision: "unhandled", reason: "kernel mode and is_accessing_user_memory() is false: a kernel bug" };
  }
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
  if (mode === "kernel" && accessing) {
    switch (m.kernel.unresolved) {
      case "exit":
        return { decision: "exit", reason: `${why}: do_exit(SIGSEGV) from inside the trap; the access never ends` };
      case "retry":
        return { decision: "retry", reason: `${why}: SIGSEGV queued and the fault counted as handled: the access faults again` };
      case "copy-fixup":
        if (copy) return { decision: "fixup", reason: `${why}: a user_copy site, the exception table sends it to its fixup (EFAULT)` };
        return { decision: "unhandled", reason: `${why}: the handler returns false and only user_copy has fixup entries: a kernel panic` };
      case "segv":
        break;
    }
  }
  return { decision: "segv", reason: `${why}: SIGSEGV to the process` };
}

/** A kernel-mode access to one address, faulting and retrying as the handler decides. */
export function kernelTouch(m: Machine, addr: bigint, access: Access, where: FaultSite): "ok" | "fixup" {
  return touchFrom(m, addr, access, where, undefined);
}

/**
 * kernelTouch taken up in a copy of the machine at its first fault's
 * page-fault point, the point's events fired (an exploration going on from
 * there): the handler decides, then the access goes on as kernelTouch's.
 */
export function kernelTouchAfterFault(m: Machine, addr: bigint, access: Access, where: FaultSite): "ok" | "fixup" {
  const r = handle(m, addr, access, "kernel", where, undefined);
  if (r === "fixup") return "fixup";
  return touchFrom(m, addr, access, where, r === "retry" ? m.injections : undefined);
}

function touchFrom(m: Machine, addr: bigint, access: Access, where: FaultSite, from: number | undefined): "ok" | "fixup" {
  let lastRetry = from;
  while (!m.aspace.accessible(addr, access)) {
    const r = pageFault(m, addr, access, "kernel", where, lastRetry);
    if (r === "fixup") return "fixup";
    if (r === "retry") lastRetry = m.injections;
  }
  return "ok";
}

/** A user-mode access: resolved, or the process is killed. */
export function userTouch(m: Machine, addr: bigint, access: Access): void {
  // A user-mode fault is never retried by the kernel's rules: resolved, or the process is killed.
  while (!m.aspace.accessible(addr, access)) pageFault(m, addr, access, "user", { site: false, interrupt: false });
}

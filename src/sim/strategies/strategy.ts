// What `is_accessing_user_memory()` means: the interface every design plugs into.
import type { Flags } from "../events.js";

/** Where the code runs when it begins, ends or faults. */
export interface Context {
  thread: string;
  cpu: number;
}

/** A fault as the handler sees it. */
export interface FaultContext extends Context {
  interrupt: boolean;
  /** The faulting access is one of axptr's own user-access sites. */
  site: boolean;
}

/** What `end` needs to undo `begin`: the slot the crate keeps a reference to. */
export type Token = { slot: string } | null;

export interface Strategy {
  /** A kernel fault the handler cannot resolve goes to a fixup (EFAULT) instead of SIGSEGV. */
  readonly fixups: boolean;
  /** The state is the CPU's, not the thread's: a thread that migrates mid-access leaves it behind. */
  readonly perCpu: boolean;
  /**
   * The slot a kernel fault on this context is judged by when threads share
   * it (a CPU's flag, the one global flag); undefined for per-thread state.
   * Shared slots give foreign-flag and another thread's flag-cleared-early.
   */
  sharedSlot(ctx: Context): string | undefined;
  /** A shared slot in words, for hazard messages: "cpu0's flag", where: "on cpu0". */
  slotText(slot: string): { flag: string; where: string };
  /** The keys of `flags()` in CPU or file thread order (an object cannot keep "2" before "1"). */
  readonly keys: readonly string[];
  /** `access_user_memory` begins on this context. */
  begin(ctx: Context): Token;
  /** It ends; `token` is what `begin` returned, wherever the thread is now. */
  end(token: Token, ctx: Context): void;
  /** The handler's question, for a kernel-mode fault. */
  accessing(fault: FaultContext): boolean;
  /** The whole state, for the trace: keys in CPU or thread order. */
  flags(): Flags;
  /** Whether any part of the state still says "accessing". */
  anyAccessing(): boolean;
}

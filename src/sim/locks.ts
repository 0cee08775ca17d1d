// Kernel locks held across a step (kernels.md section 8): `hold: [NAME]`
// takes the file's `locks` from before the step's first check to after its
// last use. Taking and releasing emit no event; a `run` needing a lock
// another thread holds is blocked; re-taking one's own lock ends the run;
// under a spin lock the thread can be neither preempted nor interrupted.
import type { ActionSpec, LockSpec } from "../scenario/schema.js";
import type { Machine } from "./machine.js";

export type LockKind = LockSpec["kind"];

/**
 * What re-taking a mutex its own thread holds does: ArceOS's `Mutex::lock`
 * asserts ("tried to acquire mutex it already owns", the starry-* kernels),
 * or the thread waits for itself (axptr-*). A re-taken spin lock always spins forever.
 */
export type Relock = "panic" | "deadlock";

export class HeldLocks {
  private readonly holders = new Map<string, string>();
  private readonly kinds: ReadonlyMap<string, LockKind>;

  constructor(
    locks: readonly LockSpec[],
    readonly relock: Relock,
  ) {
    this.kinds = new Map(locks.map((l) => [l.name, l.kind]));
  }

  /** The first of `names` that a thread other than `thread` holds, with its holder. */
  heldByOther(names: readonly string[] | undefined, thread: string): { lock: string; holder: string } | undefined {
    for (const lock of names ?? []) {
      const holder = this.holders.get(lock);
      if (holder !== undefined && holder !== thread) return { lock, holder };
    }
    return undefined;
  }

  /**
   * Takes `names`, in order, for the running thread; returns what to give
   * to `release`. One its thread already holds is a re-lock: a `lock` event
   * naming it, and the run ends (panic or deadlock).
   */
  take(m: Machine, names: readonly string[] | undefined): string[] {
    const taken: string[] = [];
    for (const lock of names ?? []) {
      if (this.holders.get(lock) === m.thread) {
        const spin = this.kinds.get(lock) === "spin";
        if (spin || this.relock === "deadlock") {
          m.emit({ kind: "lock", decision: "deadlock", lock });
          m.end({ status: "deadlock" });
        }
        m.emit({ kind: "lock", decision: "relock", lock });
        m.end({ status: "panic", message: `thread ${m.thread} tried to acquire mutex ${lock} it already owns` });
      }
      this.holders.set(lock, m.thread);
      taken.push(lock);
    }
    return taken;
  }

  release(taken: readonly string[]): void {
    for (const lock of taken) this.holders.delete(lock);
  }

  /** The first spin lock `thread` holds, if any. */
  spinOf(thread: string): string | undefined {
    for (const [lock, holder] of this.holders) if (holder === thread && this.kinds.get(lock) === "spin") return lock;
    return undefined;
  }

  get any(): boolean {
    return this.holders.size > 0;
  }
}

/**
 * Why `d` cannot happen at a point where `thread`, on `cpu`, holds the spin
 * lock `spin` (undefined: it can). A migrate, or a `run` on the thread's own
 * CPU, would preempt it; an interrupt would need IRQs on. Pure: the
 * injector asks it at each point, `explore` of each recorded occurrence.
 */
export function spinRefusal(d: ActionSpec, thread: string, cpu: number, spin: string | undefined): string | undefined {
  if (spin === undefined) return undefined;
  if (d.interrupt) return `thread ${thread} holds the spin lock ${spin} (IRQs off): no interrupt until its step ends`;
  if (d.migrate) return `thread ${thread} holds the spin lock ${spin} (preemption off): it cannot be migrated until its step ends`;
  if (d.run && (d.run.cpu === undefined || d.run.cpu === cpu))
    return `thread ${thread} holds the spin lock ${spin} (preemption off): thread ${d.run.thread} cannot be switched in on its cpu${cpu} until its step ends`;
  return undefined;
}

/** Runs `body` with `names` taken by the running thread, released after (a run-ending signal ends everything anyway). */
export function withHeld<T>(m: Machine, names: readonly string[] | undefined, body: () => T): T {
  if (names === undefined || names.length === 0) return body();
  const taken = m.locks.take(m, names);
  try {
    return body();
  } finally {
    m.locks.release(taken);
  }
}

/**
 * The re-lock decision of the kernel in effect. The seam for kernel
 * profiles (kernels.md section 2): ArceOS's Mutex panics under every
 * starry-* kernel; the axptr-* kernels (and a file naming none) deadlock.
 */
export function relockOf(kernel: string | undefined): Relock {
  return kernel !== undefined && kernel.startsWith("starry-") ? "panic" : "deadlock";
}

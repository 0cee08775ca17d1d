// Kernel locks held across a step (kernels.md section 8): `hold: [NAME]`
// takes the file's `locks` from before the step's first check to after its
// last use. Taking and releasing emit no event; a `run` needing a lock
// another thread holds is blocked; re-taking one's own lock ends the run;
// under a spin lock the thread can be neither preempted nor interrupted.
import type { Hasher } from "./fingerprint.js";
import type { LockSpec } from "../scenario/schema.js";
import type { ClosedAt } from "./kernels/index.js";
import type { Machine } from "./machine.js";

export type LockKind = LockSpec["kind"];

/**
 * What re-taking a mutex its own thread holds does (the kernel profile's
 * `relock`): ArceOS's `Mutex::lock` asserts ("tried to acquire mutex it
 * already owns", the starry-* kernels), or the thread waits for itself
 * (axptr-*). A re-taken spin lock always spins forever.
 */
export type Relock = "panic" | "deadlock";

export class HeldLocks {
  private readonly holders = new Map<string, string>();
  private readonly kinds: ReadonlyMap<string, LockKind>;

  constructor(
    private readonly locks: readonly LockSpec[],
    readonly relock: Relock,
    kinds?: ReadonlyMap<string, LockKind>,
  ) {
    this.kinds = kinds ?? new Map(locks.map((l) => [l.name, l.kind]));
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

  /** The same locks, held by the same threads (a machine's copy, taken up inside a step that holds some). */
  copy(): HeldLocks {
    // The kinds never change: a copy (one per fork of an exploration) shares them.
    const c = new HeldLocks(this.locks, this.relock, this.kinds);
    for (const [lock, holder] of this.holders) c.holders.set(lock, holder);
    return c;
  }

  /** Who holds what, into a state's fingerprint. */
  hashInto(h: Hasher): void {
    h.int(this.holders.size);
    for (const [lock, holder] of this.holders) {
      h.string(lock);
      h.string(holder);
    }
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
 * What a spin lock the running thread holds closes at this point, joined to
 * what its kernel closes (`kernel`): no preemption (a migrate, or a `run` on
 * its own CPU) and no interrupt, from before-step to after-step. The same
 * shape the kernel profiles use, so the injector and `explore` read one rule.
 */
export function spinClosed(m: Machine, kernel: ClosedAt | undefined): ClosedAt | undefined {
  const spin = m.locks.spinOf(m.thread);
  if (spin === undefined) return kernel;
  return {
    ...kernel,
    cpu: m.cpu,
    preempt: `thread ${m.thread} holds the spin lock ${spin} (preemption off): it cannot be taken off cpu${m.cpu} until its step ends`,
    interrupt: `thread ${m.thread} holds the spin lock ${spin} (IRQs off): no interrupt until its step ends`,
  };
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

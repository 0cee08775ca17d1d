// Linux-style pagefault_disable(): a per-task counter, so nesting is safe.
import type { Strategy } from "./strategy.js";

export function nestingCounterStrategy(threads: readonly string[]): Strategy {
  const depth = new Map(threads.map((t) => [t, 0]));
  return {
    fixups: false,
    perCpu: false,
    sharedSlot: () => undefined,
    slotText: (slot) => ({ flag: slot, where: slot }),
    keys: threads,
    begin: (ctx) => {
      depth.set(ctx.thread, (depth.get(ctx.thread) ?? 0) + 1);
      return { slot: ctx.thread };
    },
    end: (token) => {
      if (token) depth.set(token.slot, (depth.get(token.slot) ?? 0) - 1);
    },
    accessing: (f) => (depth.get(f.thread) ?? 0) > 0,
    flags: () => Object.fromEntries(depth),
    anyAccessing: () => [...depth.values()].some((v) => v !== 0),
  };
}

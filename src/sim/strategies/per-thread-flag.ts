// Starry's later design: the bool lives in the thread, so it moves with it.
// A nested access still clears it early.
import type { Strategy } from "./strategy.js";

export function perThreadFlagStrategy(threads: readonly string[]): Strategy {
  const flag = new Map(threads.map((t) => [t, false]));
  return {
    fixups: false,
    perCpu: false,
    sharedSlot: () => undefined,
    slotText: (slot) => ({ flag: slot, where: slot }),
    keys: threads,
    begin: (ctx) => {
      flag.set(ctx.thread, true);
      return { slot: ctx.thread };
    },
    end: (token) => {
      if (token) flag.set(token.slot, false);
    },
    accessing: (f) => flag.get(f.thread) === true,
    flags: () => Object.fromEntries(flag),
    anyAccessing: () => [...flag.values()].some((v) => v),
  };
}

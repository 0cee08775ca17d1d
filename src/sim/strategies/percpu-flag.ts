// The seed's design: one ACCESSING_USER_MEM bool per CPU. `end` clears the
// slot `begin` set (the crate holds a reference to it), wherever the thread is.
import type { Strategy } from "./strategy.js";

export function percpuFlagStrategy(cpus: number): Strategy {
  const flag = Array.from({ length: cpus }, () => false);
  return {
    fixups: false,
    perCpu: true,
    sharedSlot: (ctx) => String(ctx.cpu),
    slotText: (slot) => ({ flag: `cpu${slot}'s flag`, where: `on cpu${slot}` }),
    keys: flag.map((_, i) => `cpu${i}`),
    begin: (ctx) => {
      flag[ctx.cpu] = true;
      return { slot: String(ctx.cpu) };
    },
    end: (token) => {
      if (token) flag[Number(token.slot)] = false;
    },
    accessing: (f) => flag[f.cpu] === true,
    flags: () => Object.fromEntries(flag.map((v, i) => [`cpu${i}`, v])),
    anyAccessing: () => flag.some((v) => v),
  };
}

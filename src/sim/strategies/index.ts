// The six designs by name (global-flag: kernels.md section 6).
import type { z } from "zod";
import type { Strategy as StrategyName } from "../../scenario/schema.js";
import { exceptionTableStrategy } from "./exception-table.js";
import { globalFlagStrategy } from "./global-flag.js";
import { nestingCounterStrategy } from "./nesting-counter.js";
import { noneStrategy } from "./none.js";
import { perThreadFlagStrategy } from "./per-thread-flag.js";
import { percpuFlagStrategy } from "./percpu-flag.js";
import type { Strategy } from "./strategy.js";

export type { Strategy, Context, FaultContext, Token } from "./strategy.js";

export function makeStrategy(name: z.infer<typeof StrategyName>, cpus: number, threads: readonly string[]): Strategy {
  return keepingFlags(byName(name, cpus, threads));
}

/**
 * The state for every event is asked for far more often than it changes: the
 * last one is kept until begin or end (the only changes) runs. Every member
 * is listed, so a new one must say here whether it changes the state.
 */
function keepingFlags(s: Strategy): Strategy {
  let flags: ReturnType<Strategy["flags"]> | undefined;
  return {
    fixups: s.fixups,
    perCpu: s.perCpu,
    sharedSlot: (ctx) => s.sharedSlot(ctx),
    slotText: (slot) => s.slotText(slot),
    keys: s.keys,
    begin: (ctx) => ((flags = undefined), s.begin(ctx)),
    end: (token, ctx) => ((flags = undefined), s.end(token, ctx)),
    accessing: (f) => s.accessing(f),
    flags: () => (flags ??= s.flags()),
    anyAccessing: () => s.anyAccessing(),
  };
}

function byName(name: z.infer<typeof StrategyName>, cpus: number, threads: readonly string[]): Strategy {
  switch (name) {
    case "none":
      return noneStrategy();
    case "percpu-flag":
      return percpuFlagStrategy(cpus);
    case "per-thread-flag":
      return perThreadFlagStrategy(threads);
    case "nesting-counter":
      return nestingCounterStrategy(threads);
    case "exception-table":
      return exceptionTableStrategy();
    case "global-flag":
      return globalFlagStrategy();
  }
}

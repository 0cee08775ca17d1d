// The five designs by name.
import type { z } from "zod";
import type { Strategy as StrategyName } from "../../scenario/schema.js";
import { exceptionTableStrategy } from "./exception-table.js";
import { nestingCounterStrategy } from "./nesting-counter.js";
import { noneStrategy } from "./none.js";
import { perThreadFlagStrategy } from "./per-thread-flag.js";
import { percpuFlagStrategy } from "./percpu-flag.js";
import type { Strategy } from "./strategy.js";

export type { Strategy, Context, FaultContext, Token } from "./strategy.js";

export function makeStrategy(name: z.infer<typeof StrategyName>, cpus: number, threads: readonly string[]): Strategy {
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
  }
}

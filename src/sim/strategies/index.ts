// The six designs by name (global-flag: kernels.md section 6).
import type { z } from "zod";
import type { Strategy as StrategyName } from "../../scenario/schema.js";
import { exceptionTableStrategy } from "./exception-table.js";
import { globalFlagStrategy } from "./global-flag.js";
import { nestingCounterStrategy } from "./nesting-counter.js";
import { noneStrategy } from "./none.js";
import { perThreadFlagStrategy } from "./per-thread-flag.js";
import { percpuFlagStrategy } from "./percpu-flag.js";
import type { Context, FaultContext, Strategy, Token } from "./strategy.js";

export type { Strategy, Context, FaultContext, Token } from "./strategy.js";

export function makeStrategy(name: z.infer<typeof StrategyName>, cpus: number, threads: readonly string[]): Strategy {
  return keepingFlags(byName(name, cpus, threads));
}

/**
 * The state for every event is asked for far more often than it changes: the
 * last one is kept until begin or end (the only changes) runs. Every member
 * is listed, so a new one must say here whether it changes the state. A
 * class, not closures: an exploration clones the strategy at every fork.
 */
class KeepingFlags implements Strategy {
  readonly fixups: boolean;
  readonly perCpu: boolean;
  readonly keys: readonly string[];

  constructor(
    private readonly s: Strategy,
    /** The state last made (a copy starts with its original's: the same state, and never changed in place). */
    private kept: ReturnType<Strategy["flags"]> | undefined,
  ) {
    this.fixups = s.fixups;
    this.perCpu = s.perCpu;
    this.keys = s.keys;
  }

  sharedSlot(ctx: Context): string | undefined {
    return this.s.sharedSlot(ctx);
  }
  slotText(slot: string): { flag: string; where: string } {
    return this.s.slotText(slot);
  }
  begin(ctx: Context): Token {
    this.kept = undefined;
    return this.s.begin(ctx);
  }
  end(token: Token, ctx: Context): void {
    this.kept = undefined;
    this.s.end(token, ctx);
  }
  accessing(f: FaultContext): boolean {
    return this.s.accessing(f);
  }
  flags(): ReturnType<Strategy["flags"]> {
    return (this.kept ??= this.s.flags());
  }
  anyAccessing(): boolean {
    return this.s.anyAccessing();
  }
  clone(): Strategy {
    return new KeepingFlags(this.s.clone(), this.kept);
  }
}

function keepingFlags(s: Strategy): Strategy {
  return new KeepingFlags(s, undefined);
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

// The seed's design: one ACCESSING_USER_MEM bool per CPU. `end` clears the
// slot `begin` set (the crate holds a reference to it), wherever the thread is.
import type { Flags } from "../events.js";
import type { Context, FaultContext, Strategy, Token } from "./strategy.js";

/** The flags' keys per CPU count: the same for every machine (and every fork) with that many CPUs. */
const KEYS = new Map<number, readonly string[]>();

function keysFor(cpus: number): readonly string[] {
  let keys = KEYS.get(cpus);
  if (keys === undefined) KEYS.set(cpus, (keys = Array.from({ length: cpus }, (_, i) => `cpu${i}`)));
  return keys;
}

/** A class, not closures: an exploration clones the strategy at every fork. */
class PercpuFlag implements Strategy {
  readonly fixups = false;
  readonly perCpu = true;
  readonly keys: readonly string[];

  constructor(
    private readonly cpus: number,
    private readonly flag: boolean[],
  ) {
    this.keys = keysFor(cpus);
  }

  sharedSlot(ctx: Context): string {
    return String(ctx.cpu);
  }
  slotText(slot: string): { flag: string; where: string } {
    return { flag: `cpu${slot}'s flag`, where: `on cpu${slot}` };
  }
  begin(ctx: Context): Token {
    this.flag[ctx.cpu] = true;
    return { slot: String(ctx.cpu) };
  }
  end(token: Token): void {
    if (token) this.flag[Number(token.slot)] = false;
  }
  accessing(f: FaultContext): boolean {
    return this.flag[f.cpu] === true;
  }
  flags(): Flags {
    const out: Flags = {};
    for (let i = 0; i < this.flag.length; i++) out[this.keys[i] as string] = this.flag[i] as boolean;
    return out;
  }
  anyAccessing(): boolean {
    return this.flag.some((v) => v);
  }
  clone(): Strategy {
    return new PercpuFlag(this.cpus, [...this.flag]);
  }
}

export function percpuFlagStrategy(cpus: number, from?: readonly boolean[]): Strategy {
  return new PercpuFlag(cpus, from ? [...from] : Array.from({ length: cpus }, () => false));
}

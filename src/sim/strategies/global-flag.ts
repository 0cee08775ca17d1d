// StarryOS a318017's `static AtomicBool` (issue #41): one bool for the whole
// machine. Any thread's end clears it under every other open access, and any
// thread's fault is judged by whoever set it (kernels.md section 6).
import type { Strategy } from "./strategy.js";

export function globalFlagStrategy(): Strategy {
  let flag = false;
  return {
    fixups: false,
    perCpu: false,
    sharedSlot: () => "global",
    slotText: () => ({ flag: "the global flag", where: "on any CPU" }),
    keys: ["global"],
    begin: () => {
      flag = true;
      return { slot: "global" };
    },
    end: (token) => {
      if (token) flag = false;
    },
    accessing: () => flag,
    flags: () => ({ global: flag }),
    anyAccessing: () => flag,
  };
}

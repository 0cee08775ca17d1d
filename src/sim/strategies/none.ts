// No context-aware handling: every kernel-mode fault is a bug to the handler.
import type { Strategy } from "./strategy.js";

export function noneStrategy(): Strategy {
  return {
    fixups: false,
    perCpu: false,
    sharedSlot: () => undefined,
    slotText: (slot) => ({ flag: slot, where: slot }),
    keys: [],
    begin: () => null,
    end: () => {},
    accessing: () => false,
    flags: () => ({}),
    anyAccessing: () => false,
  };
}

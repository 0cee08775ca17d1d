// Linux's exception table: the faulting instruction decides. Only axptr's own
// user-access sites may fault, and never in interrupt context. No state.
import type { Strategy } from "./strategy.js";

export function exceptionTableStrategy(): Strategy {
  return {
    fixups: true,
    perCpu: false,
    sharedSlot: () => undefined,
    slotText: (slot) => ({ flag: slot, where: slot }),
    keys: [],
    begin: () => null,
    end: () => {},
    accessing: (f) => f.site && !f.interrupt,
    flags: () => ({}),
    anyAccessing: () => false,
  };
}

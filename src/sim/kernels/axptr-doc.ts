// semantics.md as written: the crate as its documentation presents it.
import type { KernelProfile } from "./profile.js";

export const axptrDoc: KernelProfile = {
  name: "axptr-doc",
  strategy: undefined,
  unresolved: "segv",
  borrowedDecode: false,
  rangeOverflowFails: false,
  preemption: undefined,
  interrupts: undefined,
  mappingLocked: undefined,
  relock: "deadlock",
};

// The crate's code, Starry-OS/axptr 0.1.0: as documented, but get_as_str
// returns a borrow that from_utf8 reads again after the access ended.
import type { KernelProfile } from "./profile.js";

export const axptr01: KernelProfile = {
  name: "axptr-0.1",
  strategy: undefined,
  unresolved: "segv",
  borrowedDecode: true,
  rangeOverflowFails: false,
  preemption: undefined,
  interrupts: undefined,
  mappingLocked: undefined,
  relock: "deadlock",
};

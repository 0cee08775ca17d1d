// StarryOS a318017 … 05366f4^ (SMP again from 90c865d, vm_* copies with IRQs
// off from fe9cad1): one global AtomicBool; the handler returns false, and
// axcpu's exception table has entries only in user_copy.
import { insideVmCopy, lockAcrossCheck } from "./starry-common.js";
import type { KernelProfile } from "./profile.js";

export const starry202508: KernelProfile = {
  name: "starry-2025-08",
  strategy: "global-flag",
  unresolved: "copy-fixup",
  borrowedDecode: true,
  rangeOverflowFails: true,
  preemption: insideVmCopy("starry-2025-08", "preempted"),
  interrupts: insideVmCopy("starry-2025-08", "interrupted"),
  mappingLocked: lockAcrossCheck("starry-2025-08"),
  relock: "panic",
};

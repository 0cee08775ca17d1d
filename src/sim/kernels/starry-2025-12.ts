// StarryOS 05366f4 ("move accessing_user_memory into thread data", #103) to
// today: the flag lives in the thread; fixups only in user_copy.
import { insideVmCopy, lockAcrossCheck } from "./starry-common.js";
import type { KernelProfile } from "./profile.js";

export const starry202512: KernelProfile = {
  name: "starry-2025-12",
  strategy: "per-thread-flag",
  unresolved: "copy-fixup",
  borrowedDecode: true,
  rangeOverflowFails: true,
  preemption: insideVmCopy("starry-2025-12", "preempted"),
  interrupts: insideVmCopy("starry-2025-12", "interrupted"),
  mappingLocked: lockAcrossCheck("starry-2025-12"),
  relock: "panic",
};

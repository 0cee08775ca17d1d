// StarryOS f6cd4eb … 87d1097^ (e.g. 265eb61): one flag per CPU read through
// percpu's with_current, which holds a no-preemption guard for the whole
// access; handle_page_fault queues SIGSEGV and returns true.
import { lockAcrossCheck } from "./starry-common.js";
import type { KernelProfile } from "./profile.js";

export const starry202507: KernelProfile = {
  name: "starry-2025-07",
  strategy: "percpu-flag",
  unresolved: "retry",
  borrowedDecode: true,
  rangeOverflowFails: true,
  preemption: {
    mode: "except",
    points: [{ at: ["flag-set", "page-check", "before-read", "flag-clear"], ops: ["get_as_null_terminated", "get_as_str"] }, { at: ["page-fault"], inAccess: true }],
    why: "under starry-2025-07 the thread cannot be preempted inside access_user_memory (percpu's with_current holds a no-preemption guard)",
  },
  interrupts: undefined,
  mappingLocked: lockAcrossCheck("starry-2025-07"),
  relock: "panic",
};

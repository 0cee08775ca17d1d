// StarryOS 2b7a74f … f6cd4eb^ (e.g. 0c84473): one flag per CPU, no kernel
// preemption, and handle_page_fault calls do_exit(SIGSEGV) from inside the trap.
import { lockAcrossCheck } from "./starry-common.js";
import type { KernelProfile } from "./profile.js";

export const starry202504: KernelProfile = {
  name: "starry-2025-04",
  strategy: "percpu-flag",
  unresolved: "exit",
  borrowedDecode: true,
  rangeOverflowFails: false,
  // A thread leaves its CPU only where it sleeps: the page check and check_region take the address-space Mutex.
  preemption: {
    mode: "only",
    points: [{ at: ["before-step", "page-check", "after-step"] }, { at: ["after-align-check"], ops: ["get", "get_as_slice"] }],
    why: "under starry-2025-04 the thread leaves its CPU only where it sleeps (before-step, page-check, after-align-check of get and get_as_slice, after-step): there is no kernel preemption",
  },
  interrupts: undefined,
  mappingLocked: lockAcrossCheck("starry-2025-04"),
  relock: "panic",
};

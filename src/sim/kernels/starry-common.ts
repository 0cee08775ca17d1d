// What every StarryOS design shares: check_region holds the address-space
// lock from the region check through populate, and munmap, mprotect and mmap
// take it too (kernels.md section 5); ArceOS's Mutex asserts on a re-lock.
import type { KernelName } from "../../scenario/kernels.js";
import type { Closed } from "./profile.js";

export function lockAcrossCheck(name: KernelName): Closed {
  return {
    mode: "except",
    points: [{ at: ["after-region-check"] }],
    why: `under ${name} check_region holds the address-space lock from the region check through populate, and munmap, mprotect and mmap take it: the mapping cannot change between the two`,
  };
}

/** Inside a vm_* copy IRQs and preemption are off (StarryOS fe9cad1 on). */
export function insideVmCopy(name: KernelName, what: string): Closed {
  return {
    mode: "except",
    points: [{ at: ["flag-set", "before-read", "page-fault", "flag-clear"], ops: ["vm_read", "vm_write", "vm_load_string"] }],
    why: `under ${name} the thread cannot be ${what} inside a vm_* copy (IRQs and preemption are off there)`,
  };
}

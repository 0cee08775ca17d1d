// The kernel names of kernels.md section 1 and the two facts of each that the
// file's rules need (its fixed strategy, whether it has the vm_* copies). The
// rest of each profile is the simulator's (src/sim/kernels/).

export const KERNELS = ["axptr-doc", "axptr-0.1", "starry-2025-04", "starry-2025-07", "starry-2025-08", "starry-2025-12"] as const;
export type KernelName = (typeof KERNELS)[number];

export const DEFAULT_KERNEL: KernelName = "axptr-doc";

/** The strategy a starry-* kernel fixes (its state); undefined: machine.strategy decides. */
export const KERNEL_STRATEGY: Record<KernelName, "percpu-flag" | "global-flag" | "per-thread-flag" | undefined> = {
  "axptr-doc": undefined,
  "axptr-0.1": undefined,
  "starry-2025-04": "percpu-flag",
  "starry-2025-07": "percpu-flag",
  "starry-2025-08": "global-flag",
  "starry-2025-12": "per-thread-flag",
};

/** The ops that exist only under some kernels: StarryOS's starry-vm copies (kernels.md section 7). */
export const VM_OPS = ["vm_read", "vm_write", "vm_load_string"] as const;
export type VmOpName = (typeof VM_OPS)[number];
export const VM_KERNELS: readonly KernelName[] = ["starry-2025-08", "starry-2025-12"];

/** Whether the kernel fixes the strategy and the lock discipline (a starry-* one). */
export function isStarry(k: KernelName): boolean {
  return KERNEL_STRATEGY[k] !== undefined;
}

export function isVmOp(op: string): op is VmOpName {
  return (VM_OPS as readonly string[]).includes(op);
}

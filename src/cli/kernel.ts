// `--kernel NAME` (kernels.md section 1): one place that reads it, checks it
// against --strategy and the file, and puts it in effect on a loaded file.
import { isStarry, KERNEL_STRATEGY, KERNELS, type KernelName } from "../scenario/kernels.js";
import { vmProblems } from "../scenario/rules.js";
import { InputError, UsageError } from "./errors.js";
import type { Loaded } from "./io.js";

/** Reads --kernel: a kernel's name, or `all` where the command allows it. */
export function parseKernel(text: string | undefined, allowAll: boolean): KernelName | "all" | undefined {
  if (text === undefined) return undefined;
  if (allowAll && text === "all") return "all";
  if ((KERNELS as readonly string[]).includes(text)) return text as KernelName;
  throw new UsageError(`--kernel ${JSON.stringify(text)}: expected ${allowAll ? "all or " : ""}one of ${KERNELS.join(", ")}`);
}

/** The kernel in effect for a file: --kernel's, else the file's (undefined: none named). */
export function kernelInEffect(l: Loaded, kernel: KernelName | undefined): KernelName | undefined {
  return kernel ?? l.scenario.machine.kernel;
}

/** --strategy under a starry-* kernel (named by --kernel or by the file) is exit 2, naming both. */
export function checkStrategyOption(l: Loaded, strategy: string | undefined, kernel: KernelName | undefined): void {
  const k = kernelInEffect(l, kernel);
  if (strategy === undefined || k === undefined || !isStarry(k)) return;
  const where = kernel !== undefined ? `--kernel ${k}` : `${l.file}: machine.kernel ${k}`;
  throw new UsageError(`--strategy ${strategy} cannot be given with ${where}: a starry-* kernel fixes the strategy (${KERNEL_STRATEGY[k]}); leave out --strategy, or name an axptr-* kernel`);
}

/**
 * The file with `kernel` in effect: machine.kernel set, and under a starry-*
 * one its strategy and lock discipline, whatever the file says. A vm_* step
 * the kernel has not is an error of the file (file:line:column).
 */
export function withKernel(l: Loaded, kernel: KernelName | undefined): Loaded {
  if (kernel === undefined) return l;
  const problems = vmProblems(l.scenario, kernel);
  if (problems.length > 0)
    throw new InputError(problems.map((p) => ({ file: l.file, ...(l.locate ? l.locate(p.path) : { line: 1, col: 1 }), path: p.path, message: p.message })));
  const fixed = KERNEL_STRATEGY[kernel];
  const machine = { ...l.scenario.machine, kernel, ...(fixed !== undefined ? { strategy: fixed, aspace_lock: "per-check" as const } : {}) };
  return { ...l, scenario: { ...l.scenario, machine } };
}

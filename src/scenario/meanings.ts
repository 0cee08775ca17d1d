// The one-line meaning of every word of the scenario format: each key, op,
// strategy, kernel, trigger point, action, hazard and outcome. The JSON
// Schema's descriptions (what an editor shows on hover and completion) and
// the reference tables of docs/ are both made from here, so they cannot
// disagree. Plain data, Markdown in the strings; type imports only, so the
// docs' table generator can load it without zod.
import type { KernelName } from "./kernels.js";
// The word lists are schema.ts's constants (their types only: the schema is typed from them, not from here).
import type { ACCESSES, ACTIONS, ALL_STRATEGIES, ERRNOS, HAZARDS, LOCK_KINDS, OPS, OUTCOMES, PRIMITIVE_TYPES, STEP_EXPECT_WORDS, TRIGGERS } from "./schema.js";

type Table<K extends string> = Readonly<Record<K, string>>;

/** The axptr call (or memory access) each op makes, and the keys it takes. */
export const OP_MEANINGS: Readonly<Record<(typeof OPS)[number], { readonly keys: string; readonly call: string }>> = {
  get: { keys: "`ptr`, `type`, `mut`, `use`, `nullable`", call: "`UserPtr<T>::get` with `mut: true`, else `UserConstPtr<T>::get`" },
  get_as_slice: { keys: "`ptr`, `type`, `len`, `mut`, `use`, `nullable`", call: "`get_as_slice(len)`" },
  get_as_null_terminated: { keys: "`ptr`, `type`, `mut`, `use` (`read` only), `nullable`", call: "`get_as_null_terminated`" },
  get_as_str: { keys: "`ptr`, `use` (`read` only), `nullable`", call: "`UserConstPtr<c_char>::get_as_str`" },
  user_access: { keys: "`addr`, `access` (`read`/`write`/`execute`)", call: "the user program touches memory (a user-mode fault if any)" },
  kernel_access: { keys: "`addr`, `access`", call: "kernel code dereferences an address directly, not through axptr" },
  vm_read: { keys: "`ptr`, `len`, `type`", call: "starry-vm's `vm_read`: copy `len` elements (`starry-2025-08`, `starry-2025-12` only)" },
  vm_write: { keys: "`ptr`, `bytes` (or `fill` with `len`)", call: "starry-vm's `vm_write` (same kernels)" },
  vm_load_string: { keys: "`ptr`", call: "starry-vm's `vm_load_string`: copy up to the NUL, then UTF-8 (same kernels)" },
};

/** Where each strategy keeps "the kernel is accessing user memory" (machine.strategy). */
export const STRATEGY_MEANINGS: Table<(typeof ALL_STRATEGIES)[number]> = {
  none: "no state at all: every kernel-mode fault panics, even a legitimate lazy page",
  "percpu-flag": "one bool per CPU, set on the CPU where the access begins (the crate's documentation; the default)",
  "per-thread-flag": "one bool per thread, which moves with the thread (StarryOS since #103)",
  "nesting-counter": "a counter per thread, +1 at each access's begin and -1 at its end (Linux's `pagefault_disable`)",
  "exception-table": "no state: the faulting instruction decides, and only axptr's own accesses are user-access sites (Linux's exception table)",
  "global-flag": "one bool for the whole machine, whatever the CPU or thread (StarryOS of August 2025, issue #41)",
};

/** The kernel whose code a run models (machine.kernel, --kernel). */
export const KERNEL_MEANINGS: Table<KernelName> = {
  "axptr-doc": "the crate as its documentation describes it (the default)",
  "axptr-0.1": "the crate's code, `Starry-OS/axptr` 0.1.0: `get_as_str` decodes a borrow, reading it again",
  "starry-2025-04": "StarryOS of April 2025: a per-CPU flag; an unresolvable fault under it exits inside the trap, the flag left set",
  "starry-2025-07": "StarryOS of July 2025: a per-CPU flag, no preemption inside the access; an unresolvable fault is retried forever (`livelock`)",
  "starry-2025-08": "StarryOS of August 2025: one global flag (issue #41) and the `vm_*` copies; a fault outside `user_copy` panics",
  "starry-2025-12": "StarryOS since #103: the flag in the thread, the `vm_*` copies; a fault outside `user_copy` panics",
};

/** Each trigger point (when.at, a race's at): when it comes, and which steps reach it. */
export const TRIGGER_MEANINGS: Readonly<Record<(typeof TRIGGERS)[number], { readonly when: string; readonly reachedBy: string }>> = {
  "before-step": { when: "before the step begins", reachedBy: "every step" },
  "after-align-check": { when: "the align check passed", reachedBy: "the four axptr operations" },
  "after-region-check": { when: "the region check passed", reachedBy: "`get`, `get_as_slice`" },
  "after-populate": { when: "populate passed (lazy pages made present)", reachedBy: "`get`, `get_as_slice`" },
  "flag-set": { when: "just after the flag is set", reachedBy: "`get_as_null_terminated`, `get_as_str`" },
  "page-check": { when: "just before the `nth` page check of the step", reachedBy: "`get_as_null_terminated`, `get_as_str`" },
  "before-read": { when: "just before element `index` (from 0) is read, after its page checks", reachedBy: "`get_as_null_terminated`, `get_as_str`" },
  "page-fault": { when: "the `nth` fault of the step is raised, before the handler decides", reachedBy: "any step that faults" },
  "flag-clear": { when: "just before the flag is cleared", reachedBy: "`get_as_null_terminated`, `get_as_str`" },
  "before-use": { when: "before the kernel uses the result again", reachedBy: "a step with `use`" },
  "after-step": { when: "after the whole step", reachedBy: "every step" },
};

/** What each injected action does (an event's or a race's `do`). */
export const ACTION_MEANINGS: Table<(typeof ACTIONS)[number]> = {
  unmap: "removes the areas (or parts of them) in a range, freeing their frames",
  protect: "changes the permissions of a range (`perm`); present pages stay present",
  evict: "makes a range's pages not present, keeping their bytes (kswapd)",
  map: "adds an area, replacing what it overlaps (`mmap` with `MAP_FIXED`)",
  write: "another thread stores bytes into user memory (a contents item)",
  frames: "sets how many physical frames are free from now on (0: out of memory)",
  migrate: "the running thread goes on on another CPU (`cpu`)",
  interrupt: "an interrupt handler runs on this CPU and makes a kernel access (`addr`, `access`)",
  nested: "a nested axptr operation runs right here, on the same thread",
  run: "another thread runs one operation right here (`thread`, `step`, `cpu`), then this one goes on",
};

/** What went wrong, for each hazard a run reports. */
export const HAZARD_MEANINGS: Table<(typeof HAZARDS)[number]> = {
  "migrated-in-access": "under `percpu-flag`, a thread moved to another CPU mid-access: its protection stayed on the old CPU",
  "flag-cleared-early": "a nested access's end cleared the state while the outer access is still running; or, under `percpu-flag`, one thread's access ended and cleared the CPU flag another thread's open access had set",
  "interrupt-in-access": "an interrupt handler's fault was judged by the interrupted access's state: a kernel bug taken for a user access",
  "foreign-flag": "under `percpu-flag`, a kernel-mode fault (not in an interrupt) was judged \"accessing\" by a CPU flag that no open access of the faulting thread set: another thread's protection covered this thread's bug",
  "stranded-flag": "a step completed with the state still saying \"accessing\" (the built-in strategies never do this: its report means a bug)",
  "stranded-by-exit": "under `starry-2025-04`, a thread was killed from inside the fault's trap mid-access: its CPU's flag stays \"accessing\" for every later task there",
};

/** How a run ends (expect.outcome, explore.never). */
export const OUTCOME_MEANINGS: Table<(typeof OUTCOMES)[number]> = {
  completed: "every step ran to its end",
  panic: "a kernel panic: a kernel-mode fault the handler does not handle, or axptr's own panic (an overflow)",
  killed: "the user process was killed with SIGSEGV",
  deadlock: "the handler waits for a lock its own thread holds",
  "step-limit": "the budget of work (`machine.budget`) ran out",
  livelock: "a fault retried forever (`starry-2025-07`)",
};

/** A step's expected result, beside the run's ends (a step's `expect`). */
export const STEP_RESULT_MEANINGS: Table<(typeof STEP_EXPECT_WORDS)[number]> = {
  ok: "the step returned `Ok` (whatever its value)",
  panic: "the run ended in this step with a kernel panic",
  killed: "the run ended in this step: the user process killed with SIGSEGV",
  deadlock: "the run ended in this step: the handler waits for a lock its own thread holds",
  "step-limit": "the run's budget ran out in this step",
  livelock: "a fault of this step was retried forever (`starry-2025-07`)",
  "not-run": "the step did not run: the run ended before it, its thread returned, or its pointer could not be had",
};

export const ERRNO_MEANINGS: Table<(typeof ERRNOS)[number]> = {
  EFAULT: "a bad user pointer: a check failed, or the exception table's fixup",
  EILSEQ: "`get_as_str`: the bytes are not UTF-8",
  ENOMEM: "populate found no free frame",
};

export const ACCESS_MEANINGS: Table<(typeof ACCESSES)[number]> = {
  read: "reads a byte",
  write: "writes a byte (its value is kept: the access matters, not the data)",
  execute: "fetches an instruction",
};

export const ASPACE_LOCK_MEANINGS: Table<"per-check" | "held"> = {
  "per-check": "the address-space lock is taken inside each check and populate, never across a read (the default)",
  held: "the lock is held from before the align check to the end of the operation (axptr 0.1's `with_addr_space`)",
};

export const ON_ERROR_MEANINGS: Table<"continue" | "return"> = {
  continue: "the thread's later steps run after an `err` (the default)",
  return: "after a step returns `err`, the thread's later steps are `not-run` (the syscall's `?`)",
};

export const LOCK_KIND_MEANINGS: Table<(typeof LOCK_KINDS)[number]> = {
  mutex: "a sleeping lock",
  spin: "a spin lock: IRQs and preemption off while it is held",
};

const list = (t: (typeof PRIMITIVE_TYPES)[number]) => `a list of \`${t}\` values, little-endian`;
const typedLists: Table<(typeof PRIMITIVE_TYPES)[number]> = {
  u8: list("u8"), i8: list("i8"), c_char: list("c_char"), u16: list("u16"), i16: list("i16"), u32: list("u32"),
  i32: list("i32"), u64: list("u64"), i64: list("i64"), usize: list("usize"), isize: list("isize"), ptr: list("ptr"),
};

/** The keys of each mapping of the format, by the mapping they belong to. */
export const KEY_MEANINGS = {
  scenario: {
    name: "the scenario's name, shown at the top of every output (required)",
    description: "free text about the scenario, shown nowhere but in the file",
    machine: "the simulated machine: CPUs, page size, kernel, strategy, address space, frames, lock, budget",
    memory: "the areas of the user address space, with their permissions and contents",
    threads: "the threads of the user process, each with its steps (default: one thread `main` on CPU 0 with no steps)",
    locks: "kernel locks that steps may hold (`hold: [NAME]`)",
    events: "injected events: an action fired at a chosen point of a thread's step",
    races: "actions with no fixed point: `explore` tries each at every point its `during` and `at` allow",
    explore: "settings of `explore` and of the outcome golden: the depth, and the outcomes and hazards no run may reach",
    expect: "whole-run expectations: the outcome, and hazards that must be reported",
  },
  machine: {
    cpus: "how many CPUs the machine has",
    page_size: "the size of a page in bytes",
    kernel: "the kernel whose code the run models (default `axptr-doc`); a `starry-*` one fixes the strategy",
    strategy: "how the page-fault handler knows that the kernel is accessing user memory (default `percpu-flag`)",
    aspace: "the user address space (default from `0x1000` up to `0x8000_0000_0000`)",
    frames: "physical frames free for present pages: a count, or `unlimited` (the default)",
    aspace_lock: "when the address-space lock is held: inside each check (`per-check`), or across the whole operation (`held`)",
    budget: "units of work the run may spend (each check, element, page made present, fault and action is one); running out is the outcome `step-limit`",
  },
  aspace: {
    base: "the first address of the user address space",
    size: "the size of the user address space in bytes",
  },
  area: {
    name: "the area's name, shown in traces (unique)",
    start: "the area's first address (page-aligned)",
    size: "the area's size in bytes, a multiple of the page size (or give `pages`)",
    pages: "the area's size in pages (or give `size`)",
    perm: "its permissions: letters from `r`, `w`, `x` in that order; `\"\"` or `-` for none",
    populate: "`true` (the default): every page present from the start; `false`: lazy, a page becomes present on its first fault",
    present: "a lazy area's pages present from the start",
    contents: "the area's backing bytes, item by item",
  },
  contents: {
    at: "the address of the item's first byte, inside its area",
    str: "UTF-8 text, with no implicit NUL (`\"\\0\"` in a double-quoted YAML string is one)",
    bytes: "a list of byte values",
    fill: "one byte value, repeated `len` times",
    len: "how many bytes `fill` writes",
    ...typedLists,
  },
  writeContents: {
    str: "UTF-8 text stored from the reference's start",
    bytes: "a list of byte values stored from the reference's start",
    fill: "one byte value, over the whole reference (or its first `len` bytes)",
    len: "how many bytes `fill` writes (default: the whole reference)",
    ...typedLists,
  },
  thread: {
    name: "the thread's name (required, unique)",
    cpu: "the CPU the thread runs on (default 0)",
    on_error: "`continue` (the default), or `return`: after a step returns `err`, the thread's later steps are `not-run`",
    steps: "the thread's steps, run in order, numbered from 1",
  },
  step: {
    op: "the operation: an axptr call or a memory access",
    ptr: "the user pointer: an address, or `{ from: N, index: K }`, element K of step N's `ok` list",
    addr: "the address accessed",
    access: "`read`, `write` or `execute`",
    type: "the element type: `u8`, `i8`, `c_char`, `u16`, `i16`, `u32`, `i32`, `u64`, `i64`, `usize`, `isize`, `ptr`, or `{ size, align }` (default `u8`)",
    len: "how many elements (for `vm_write`: how many bytes `fill` writes)",
    mut: "`true`: a `UserPtr` (the area needs `rw`); else a `UserConstPtr`",
    use: "what the kernel then does with the result: `read` it again, or `{ write: VALUE }` through it (needs `mut: true`)",
    nullable: "NULL gives `Ok(None)`, with no check at all",
    expect: "what the step must return: `ok`, `{ ok: VALUE }`, `{ err: ERRNO }`, `not-run`, or how the run ends in it",
    hold: "kernel locks (declared under `locks`) the step's thread holds during the step, taken in order",
    bytes: "the bytes `vm_write` copies",
    fill: "one byte value `vm_write` copies `len` times",
  },
  ptrFrom: {
    from: "an earlier step of the same thread, from 1",
    index: "the element of that step's `ok` list, from 0 (without it: the step's value itself)",
  },
  structType: {
    size: "the type's size in bytes (a multiple of its `align`)",
    align: "the type's alignment: a power of two",
  },
  useWrite: { write: "what the kernel stores through the reference: a value, a list of `len` values, or contents such as `{ fill: 0 }`" },
  useRead: { read: "`true`: the kernel reads the result again (the same as `use: read`)" },
  expectOk: { ok: "the value the step must return: a number, a string, a list, or `null` (`nullable` on NULL)" },
  expectErr: { err: "the error the step must return" },
  lock: {
    name: "the lock's name, as `hold` names it (unique)",
    kind: "`mutex` (sleeps) or `spin` (IRQs and preemption off)",
  },
  event: {
    when: "the point where the event fires",
    do: "the action: exactly one",
    by: "a label shown in traces: who did it (`kswapd`)",
    repeat: "`true`: fire at every occurrence from `nth` (or `index`) on; by default once",
  },
  when: {
    thread: "the thread whose step it is (needed when there are several threads)",
    step: "the step's number in that thread, from 1",
    at: "the trigger point",
    nth: "at `page-check` or `page-fault`: which one of the step, from 1",
    index: "at `before-read`: the element about to be read, from 0",
  },
  action: ACTION_MEANINGS,
  range: {
    start: "the range's first address",
    size: "the range's size in bytes (or give `pages`)",
    pages: "the range's size in pages (or give `size`)",
    perm: "the new permissions: letters from `r`, `w`, `x` in that order; `\"\"` or `-` for none",
  },
  migrate: { cpu: "the CPU the thread moves to" },
  interrupt: { addr: "the address the interrupt handler accesses", access: "`read`, `write` or `execute`" },
  run: {
    thread: "another thread of the file, which runs the step",
    step: "the operation it runs (a step without `expect`)",
    cpu: "the CPU it runs on (default: the interrupted thread's, which it preempts)",
  },
  race: {
    name: "the race's name: a lower-case letter, then lower-case letters, digits, `_` or `-` (unique)",
    do: "the action: exactly one, as an event's",
    by: "a label shown in traces: who did it",
    during: "where it may fire: threads, or `THREAD#STEP` (default: every step)",
    at: "the trigger points where it may fire (default: all eleven)",
  },
  explore: {
    depth: "how many races may fire in one run: 1 (the default), 2 or 3",
    never: "outcomes no run may reach: a class that reaches one violates",
    hazards: "`forbidden`: any hazard in any run is a violation",
    max_schedules: "the most schedules `explore`, `check` and `report` will run for this file (default 2,000,000; `--max-schedules` overrides it)",
  },
  expect: {
    outcome: "the outcome the run must end with",
    hazards: "hazard kinds that must be reported (an empty list asserts nothing)",
  },
} as const satisfies Record<string, Table<string>>;

export type KeyTable = keyof typeof KEY_MEANINGS;

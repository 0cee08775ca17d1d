// Properties of simulate over random valid scenarios: it never throws, it is
// deterministic, no strategy state is left "accessing" after a completed step,
// and frames are accounted for exactly (present pages never above the limit).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { STRATEGIES, TRIGGERS } from "../../src/scenario/schema.js";
import { loadScenario } from "../../src/scenario/validate.js";
import type { Trace } from "../../src/sim/events.js";
import { AddressSpace } from "../../src/sim/memory.js";
import { simulate } from "../../src/sim/simulate.js";

const P = 0x1000;
const SLOTS = 5;
const SLOT_PAGES = 8;
const slotBase = (i: number) => 0x100000 + i * SLOT_PAGES * P;
const hex = (n: number | bigint) => `0x${n.toString(16)}`;

// ---- generators ---------------------------------------------------------------

const PERMS = ["", "r", "rw", "rx", "rwx", "w"];
const PRIMS = ["u8", "i8", "c_char", "u16", "i16", "u32", "i32", "u64", "i64", "usize", "isize", "ptr"] as const;
const SIZE: Record<string, number> = { u8: 1, i8: 1, c_char: 1, u16: 2, i16: 2, u32: 4, i32: 4, u64: 8, i64: 8, usize: 8, isize: 8, ptr: 8 };
const STRUCTS = [{ size: 3, align: 1 }, { size: 8, align: 4 }, { size: 0, align: 1 }, { size: 16, align: 16 }];

/** Addresses worth probing: mostly inside the first pages of a slot (where areas are), also page ends, gaps, NULL, the top of the 64-bit range. */
const address = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.integer({ min: 0, max: SLOTS - 1 }), fc.integer({ min: 0, max: 2 * P - 1 })).map(([s, o]) => hex(slotBase(s) + o)) },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 0, max: SLOTS - 1 }), fc.integer({ min: 0, max: SLOT_PAGES }), fc.integer({ min: -9, max: 9 })).map(([s, p, d]) => hex(Math.max(0, slotBase(s) + p * P + d))) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: SLOTS - 1 }), fc.integer({ min: 0, max: SLOT_PAGES * P - 1 })).map(([s, o]) => hex(slotBase(s) + o)) },
  { weight: 1, arbitrary: fc.constantFrom("0x0", "0xfffffffffffffff0", "0xfffffffffffffff8", "0x1000") },
);

const strText = fc.array(fc.constantFrom("a", "b", "Z", "\0", "\u00e9", "\u2603", " "), { maxLength: 12 }).map((a) => a.join(""));

/** A contents item of at most `room` bytes, at an offset inside [start, start+size). */
function contentItem(start: number, size: number) {
  const body = fc.oneof(
    strText.map((str) => ({ str, len: Buffer.byteLength(str) })),
    strText.map((str) => ({ str: `${str}\0`, len: Buffer.byteLength(str) + 1 })),
    fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 12 }).map((bytes) => ({ bytes, len: bytes.length })),
    fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 4 }).map((u32) => ({ u32, len: u32.length * 4 })),
    fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 4 }).map((i16) => ({ i16, len: i16.length * 2 })),
    fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 2 * P })).map(([fill, len]) => ({ fill, len: Math.min(len, size) })),
  );
  return fc.tuple(body, fc.integer({ min: 0, max: size })).map(([b, off]) => {
    const at = start + Math.min(off, size - b.len);
    const { len, ...rest } = b;
    return "fill" in rest ? { at: hex(at), fill: rest.fill, len } : { at: hex(at), ...rest };
  });
}

function areaAt(start: number) {
  return fc
    .record({
      pages: fc.integer({ min: 1, max: SLOT_PAGES }),
      perm: fc.oneof({ weight: 5, arbitrary: fc.constant("rw") }, { weight: 3, arbitrary: fc.constantFrom(...PERMS) }),
      populate: fc.boolean(),
      presentMask: fc.array(fc.boolean(), { minLength: SLOT_PAGES, maxLength: SLOT_PAGES }),
      name: fc.option(fc.constantFrom("buf", "stack", "heap", "argv", "env"), { nil: undefined }),
    })
    .chain((a) =>
      fc.array(contentItem(start, a.pages * P), { maxLength: 4 }).map((contents) => {
        const present = a.populate ? undefined : a.presentMask.slice(0, a.pages).flatMap((on, i) => (on ? [hex(start + i * P)] : []));
        return {
          ...(a.name ? { name: `${a.name}${start}` } : {}),
          start: hex(start),
          pages: a.pages,
          perm: a.perm,
          populate: a.populate,
          ...(present && present.length > 0 ? { present } : {}),
          ...(contents.length > 0 ? { contents } : {}),
        };
      }),
    );
}

const elementType = fc.oneof(fc.constantFrom(...PRIMS), fc.constantFrom(...STRUCTS));

function valueFor(type: (typeof PRIMS)[number] | { size: number; align: number }): fc.Arbitrary<number | number[]> {
  if (typeof type !== "string") return fc.array(fc.integer({ min: 0, max: 255 }), { minLength: type.size, maxLength: type.size });
  const signed = type.startsWith("i") && type !== "i8" ? true : type === "i8" || type === "isize";
  return signed ? fc.integer({ min: -100, max: 100 }) : fc.integer({ min: 0, max: SIZE[type] === 1 ? 255 : 0xffff });
}

/** One operation (no expect): every op, every key; the pointer ops more often than the direct accesses. */
const getOp = fc.record({ type: elementType, mut: fc.boolean(), nullable: fc.boolean(), ptr: address, use: fc.constantFrom("none", "read", "write") }).chain((s) => {
    const base = { op: "get", ptr: s.ptr, type: s.type, mut: s.mut || s.use === "write", nullable: s.nullable };
    if (s.use === "none") return fc.constant(base);
    if (s.use === "read") return fc.constant({ ...base, use: "read" });
    return valueFor(s.type).map((v) => ({ ...base, use: { write: v } }));
  });
const sliceOp = fc
    .record({ type: elementType, mut: fc.boolean(), nullable: fc.boolean(), ptr: address, use: fc.constantFrom("none", "read", "write"), len: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constantFrom(0x4000_0000_0000_0000n, 0x2000n)) })
    .chain((s) => {
      // A huge len only where it cannot mean a huge value: a write list must have len items, and a slice of
      const zeroSized = typeof s.type !== "string" && s.type.size === 0;
      const len = (s.use === "write" || zeroSized) && typeof s.len === "bigint" ? 3 : s.len;
      const base = { op: "get_as_slice", ptr: s.ptr, type: s.type, len, mut: s.mut || s.use === "write", nullable: s.nullable };
      if (s.use === "none") return fc.constant(base);
      if (s.use === "read") return fc.constant({ ...base, use: "read" });
      return fc.array(valueFor(s.type), { minLength: Number(len), maxLength: Number(len) }).map((v) => ({ ...base, use: { write: v } }));
    });
const op = fc.oneof(
  { weight: 3, arbitrary: getOp },
  { weight: 3, arbitrary: sliceOp },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("get_as_null_terminated"), ptr: address, type: fc.constantFrom(...PRIMS), mut: fc.boolean(), nullable: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("get_as_str"), ptr: address, nullable: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("user_access"), addr: address, access: fc.constantFrom("read", "write", "execute") }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("kernel_access"), addr: address, access: fc.constantFrom("read", "write", "execute") }) },
);

const pageRange = fc.tuple(fc.integer({ min: 0, max: SLOTS - 1 }), fc.integer({ min: 0, max: SLOT_PAGES - 1 }), fc.integer({ min: 1, max: 4 })).map(([s, p, n]) => ({ start: hex(slotBase(s) + p * P), pages: n }));

/** An action; `cpus` bounds migrate. `map` here never lists present pages (see memory.test.ts and injector.test.ts for that case). */
const action = (cpus: number) =>
  fc.oneof(
    pageRange.map((r) => ({ unmap: r })),
    fc.tuple(pageRange, fc.constantFrom(...PERMS)).map(([r, perm]) => ({ protect: { ...r, perm } })),
    pageRange.map((r) => ({ evict: r })),
    fc.tuple(fc.integer({ min: 0, max: SLOTS - 1 }), fc.integer({ min: 0, max: 3 })).chain(([s, p]) => {
      const start = slotBase(s) + p * P;
      return areaAt(start).map((a) => {
        const { present: _drop, ...rest } = a as typeof a & { present?: unknown };
        return { map: rest };
      });
    }),
    fc.tuple(fc.integer({ min: 0, max: SLOTS - 1 }), fc.integer({ min: 0, max: SLOT_PAGES * P - 1 }), strText).map(([s, o, str]) => ({ write: { at: hex(slotBase(s) + o), str } })),
    fc.integer({ min: 0, max: 4 }).map((frames) => ({ frames })),
    fc.integer({ min: 0, max: cpus - 1 }).map((cpu) => ({ migrate: { cpu } })),
    fc.record({ addr: address, access: fc.constantFrom("read", "write", "execute") }).map((i) => ({ interrupt: i })),
    op.map((nested) => ({ nested })),
    // The thread is filled in below: another thread than the event's own.
    // Weighted up: a run needs a second thread and a matching trigger to happen at all.
    { weight: 4, arbitrary: fc.tuple(op, fc.option(fc.integer({ min: 0, max: cpus - 1 }), { nil: undefined })).map(([step, cpu]) => ({ run: { thread: "", step, ...(cpu !== undefined ? { cpu } : {}) } })) },
  );

const scenario = fc
  .record({
    cpus: fc.integer({ min: 1, max: 3 }),
    strategy: fc.constantFrom(...STRATEGIES),
    lock: fc.constantFrom("per-check", "held"),
    budget: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
    extraFrames: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    slots: fc.array(fc.integer({ min: 0, max: 9 }).map((n) => n < 8), { minLength: SLOTS, maxLength: SLOTS }),
    threadSteps: fc.array(fc.array(op, { maxLength: 4 }), { minLength: 1, maxLength: 2 }),
    threadCpus: fc.array(fc.nat(), { minLength: 2, maxLength: 2 }),
  })
  .chain((g) =>
    fc
      .record({
        areas: fc.tuple(...g.slots.map((on, i) => (on ? areaAt(slotBase(i)) : fc.constant(undefined)))),
        events: fc.array(
          fc.record({
            thread: fc.nat(),
            step: fc.nat(),
            at: fc.oneof(fc.constantFrom(...TRIGGERS), fc.constantFrom("flag-set", "before-read", "page-fault", "page-check")),
            count: fc.integer({ min: 0, max: 6 }),
            do: action(g.cpus),
            by: fc.option(fc.constantFrom("kswapd", "timer", "other"), { nil: undefined }),
            repeat: fc.boolean(),
          }),
          { maxLength: 6 },
        ),
      })
      .map(({ areas, events }) => {
        const memory = areas.filter((a): a is NonNullable<typeof a> => a !== undefined);
        const initial = memory.reduce((n, a) => n + (a.populate ? a.pages : (a.present?.length ?? 0)), 0);
        const threads = g.threadSteps.map((steps, i) => ({ name: i === 0 ? "main" : `t${i}`, cpu: (g.threadCpus[i] ?? 0) % g.cpus, steps }));
        const evs = events.flatMap((e) => {
          const t = threads[e.thread % threads.length];
          if (!t || t.steps.length === 0) return [];
          const when: Record<string, unknown> = { thread: t.name, step: (e.step % t.steps.length) + 1, at: e.at };
          if (e.at === "page-check" || e.at === "page-fault") when.nth = e.count + 1;
          if (e.at === "before-read") when.index = e.count;
          let d: object = e.do;
          if ("run" in e.do) {
            const other = threads.find((x) => x.name !== t.name);
            if (!other) return [];
            d = { run: { ...e.do.run, thread: other.name } };
          }
          return [{ when, do: d, ...(e.by ? { by: e.by } : {}), repeat: e.repeat }];
        });
        return {
          name: "random",
          machine: {
            cpus: g.cpus,
            strategy: g.strategy,
            aspace_lock: g.lock,
            ...(g.budget !== undefined ? { budget: g.budget } : {}),
            frames: g.extraFrames === undefined ? "unlimited" : initial + g.extraFrames,
          },
          memory,
          threads,
          events: evs,
        };
      }),
  );

// ---- frame accounting, watched from inside the address space -------------------

/** Present pages counted from the page table's runs themselves; a present page outside every area is not counted (and so reported). */
function recount(as: AddressSpace): bigint {
  let n = 0n;
  for (const [lo, hi] of as.present.runs()) for (let p = lo; p < hi; p++) if (as.areaAt(BigInt(p) * as.pageSize)) n++;
  return n;
}

const problems: string[] = [];
const originals = new Map<string, unknown>();
const WATCHED = ["populate", "handlePageFault", "addArea", "unmap", "protect", "evict"] as const;

beforeAll(() => {
  const proto = AddressSpace.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of WATCHED) {
    const original = proto[name];
    if (!original) throw new Error(`AddressSpace.${name} is missing`);
    originals.set(name, original);
    proto[name] = function (this: AddressSpace, ...args: unknown[]) {
      const total = this.freeFrames === null ? null : this.presentCount + this.freeFrames;
      const out = original.apply(this, args);
      if (this.freeFrames !== null && this.freeFrames < 0n) problems.push(`${name}: ${this.freeFrames} free frames`);
      if (total !== null && this.freeFrames !== null && this.presentCount + this.freeFrames !== total)
        problems.push(`${name}: present ${this.presentCount} + free ${this.freeFrames} != ${total} frames`);
      const counted = recount(this);
      if (counted !== this.presentCount) problems.push(`${name}: presentCount ${this.presentCount} but ${counted} pages present`);
      return out;
    };
  }
});

afterAll(() => {
  const proto = AddressSpace.prototype as unknown as Record<string, unknown>;
  for (const [name, fn] of originals) proto[name] = fn;
});

// ---- the properties -----------------------------------------------------------------

function toYaml(s: unknown): string {
  return stringify(s, (_k, v) => (typeof v === "bigint" ? hex(v) : v));
}

function load(text: string) {
  const r = loadScenario(text, "random.yaml");
  if (!r.ok) throw new Error(`generated an invalid scenario:\n${r.problems.map((p) => `${p.path.join(".")}: ${p.message}`).join("\n")}\n${text}`);
  return r.scenario;
}

const RUN_ENDS = ["panic", "killed", "deadlock", "step-limit"];

function checkTrace(t: Trace): void {
  // Events numbered 1..n, every hazard backed by its event.
  expect(t.events.map((e) => e.seq)).toEqual(t.events.map((_, i) => i + 1));
  for (const h of t.hazards) expect(t.events[h.seq - 1]).toMatchObject({ kind: "hazard", hazard: h.kind });
  expect(t.hazards.map((h) => h.kind)).not.toContain("stranded-flag");
  // Results agree with the outcome: the run ends in exactly one step, after which nothing runs.
  const statuses = t.steps.map((s) => s.result.status);
  const end = statuses.findIndex((s) => RUN_ENDS.includes(s));
  if (t.outcome === "completed") expect(end).toBe(-1);
  else {
    expect(statuses[end]).toBe(t.outcome);
    expect(statuses.slice(end + 1).every((s) => s === "not-run")).toBe(true);
  }
  expect(statuses.slice(0, end === -1 ? undefined : end).every((s) => s === "ok" || s === "err")).toBe(true);
  // Every run has its run-result, but the one inside which the run ended; a run's events are the other thread's.
  const runs = t.events.filter((e) => e.kind === "run").length;
  const runResults = t.events.filter((e) => e.kind === "run-result").length;
  expect(runResults === runs || (t.outcome !== "completed" && runResults === runs - 1)).toBe(true);
  t.events.forEach((e, i) => {
    if (e.kind !== "run" || i + 1 >= t.events.length) return;
    const next = t.events[i + 1];
    // The other thread's first unit may end the run (the budget): then the interrupted step ends with it, and nothing of the run shows.
    if (next?.kind === "step-end" && RUN_ENDS.includes(next.result.status)) expect(next).toMatchObject({ thread: e.thread, step: e.step });
    else expect(next).toMatchObject({ thread: e.to, cpu: e.to_cpu, in_run: true });
  });
  // No state says "accessing" once a step has completed without ending the run.
  for (const e of t.events) {
    if (e.kind !== "step-end" || RUN_ENDS.includes(e.result.status)) continue;
    expect(Object.values(e.flags).every((v) => v === false || v === 0)).toBe(true);
  }
}

describe("simulate over random valid scenarios", () => {
  it("the frame watch itself reports a count that disagrees with the pages present", () => {
    const as = new AddressSpace(0x1000n, 0x1000n, 0x10_0000_0000n, 4n);
    problems.length = 0;
    as.addArea({ name: undefined, start: 0x10000n, end: 0x12000n, perm: { read: true, write: true, execute: false }, eager: false });
    expect(problems).toEqual([]);
    as.presentCount = 1n;
    as.evict(0x10000n, 0x12000n);
    expect(problems).toEqual(["evict: presentCount 1 but 0 pages present"]);
    problems.length = 0;
  });

  it("never throws, is deterministic, strands no flag and keeps frames within the limit", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const text = toYaml(s);
        const scn = load(text);
        problems.length = 0;
        const a = simulate(scn);
        const b = simulate(scn);
        expect(b).toEqual(a);
        checkTrace(a);
        expect(problems).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it("the same holds under every strategy for one scenario (the --strategy override)", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const scn = load(toYaml(s));
        for (const strategy of STRATEGIES) {
          problems.length = 0;
          const t = simulate(scn, { strategy });
          expect(t.machine.strategy).toBe(strategy);
          checkTrace(t);
          expect(problems).toEqual([]);
        }
      }),
      { numRuns: 80 },
    );
  });
});

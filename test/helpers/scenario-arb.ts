// Random valid scenarios for the equivalence corpus (test/sim/equivalence.test.ts):
// the generator of property.test.ts, widened to what the core's fast paths
// touch: 64 KiB pages, fills over many pages, up to 64 CPUs, repeated
// actions over large ranges, long scans.
import fc from "fast-check";
import { STRATEGIES, TRIGGERS } from "../../src/scenario/schema.js";

const hex = (n: number | bigint) => `0x${n.toString(16)}`;
const PERMS = ["", "r", "rw", "rx", "rwx", "w"];
const PRIMS = ["u8", "i8", "c_char", "u16", "i16", "u32", "i32", "u64", "i64", "usize", "isize", "ptr"] as const;
const SIZE: Record<string, number> = { u8: 1, i8: 1, c_char: 1, u16: 2, i16: 2, u32: 4, i32: 4, u64: 8, i64: 8, usize: 8, isize: 8, ptr: 8 };
const STRUCTS = [{ size: 3, align: 1 }, { size: 8, align: 4 }, { size: 0, align: 1 }, { size: 16, align: 16 }];
const SLOTS = 5;
const SLOT_PAGES = 8;

export function scenarioArb(): fc.Arbitrary<Record<string, unknown>> {
  return fc.constantFrom(0x1000, 0x1000, 0x1000, 0x10000).chain((P) => scenarioWithPage(P));
}

function scenarioWithPage(P: number): fc.Arbitrary<Record<string, unknown>> {
  const slotBase = (i: number) => 0x1000000 + i * SLOT_PAGES * P;
  const address = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.integer({ min: 0, max: SLOTS - 1 }), fc.integer({ min: 0, max: 2 * P - 1 })).map(([s, o]) => hex(slotBase(s) + o)) },
    { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 0, max: SLOTS - 1 }), fc.integer({ min: 0, max: SLOT_PAGES }), fc.integer({ min: -9, max: 9 })).map(([s, p, d]) => hex(Math.max(0, slotBase(s) + p * P + d))) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: SLOTS - 1 }), fc.integer({ min: 0, max: SLOT_PAGES * P - 1 })).map(([s, o]) => hex(slotBase(s) + o)) },
    { weight: 1, arbitrary: fc.constantFrom("0x0", "0xfffffffffffffff0", "0xfffffffffffffff8", hex(P)) },
  );
  const strText = fc.array(fc.constantFrom("a", "b", "Z", "\0", "\u00e9", "\u2603", " ", "\u{1f600}"), { maxLength: 12 }).map((a) => a.join(""));

  function contentItem(start: number, size: number) {
    const body = fc.oneof(
      strText.map((str) => ({ str, len: Buffer.byteLength(str) })),
      strText.map((str) => ({ str: `${str}\0`, len: Buffer.byteLength(str) + 1 })),
      fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 12 }).map((bytes) => ({ bytes, len: bytes.length })),
      fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 4 }).map((u32) => ({ u32, len: u32.length * 4 })),
      fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 4 }).map((i16) => ({ i16, len: i16.length * 2 })),
      fc.tuple(fc.constantFrom(0, 0x41, 0x41, 0x7f, 0x80, 0xc3, 0xff, 1), fc.integer({ min: 0, max: SLOT_PAGES * P })).map(([fill, len]) => ({ fill, len: Math.min(len, size) })),
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
        name: fc.option(fc.constantFrom("buf", "stack", "heap"), { nil: undefined }),
      })
      .chain((a) =>
        fc.array(contentItem(start, a.pages * P), { maxLength: 5 }).map((contents) => {
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
    const signed = type.startsWith("i");
    return signed ? fc.integer({ min: -100, max: 100 }) : fc.integer({ min: 0, max: SIZE[type] === 1 ? 255 : 0xffff });
  }
  const getOp = fc.record({ type: elementType, mut: fc.boolean(), nullable: fc.boolean(), ptr: address, use: fc.constantFrom("none", "read", "write") }).chain((s) => {
    const base = { op: "get", ptr: s.ptr, type: s.type, mut: s.mut || s.use === "write", nullable: s.nullable };
    if (s.use === "none") return fc.constant(base);
    if (s.use === "read") return fc.constant({ ...base, use: "read" });
    return valueFor(s.type).map((v) => ({ ...base, use: { write: v } }));
  });
  const sliceOp = fc
    .record({ type: elementType, mut: fc.boolean(), nullable: fc.boolean(), ptr: address, use: fc.constantFrom("none", "read", "write"), len: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 9000 }), fc.constantFrom(0x4000_0000_0000_0000n, 0x2000n)) })
    .chain((s) => {
      const zeroSized = typeof s.type !== "string" && s.type.size === 0;
      const len = (s.use === "write" && typeof s.len !== "number") || (s.use === "write" && s.len > 10) || (zeroSized && typeof s.len === "bigint") ? 3 : s.len;
      const base = { op: "get_as_slice", ptr: s.ptr, type: s.type, len, mut: s.mut || s.use === "write", nullable: s.nullable };
      if (s.use === "none") return fc.constant(base);
      if (s.use === "read") return fc.constant({ ...base, use: "read" });
      return fc.array(valueFor(s.type), { minLength: Number(len), maxLength: Number(len) }).map((v) => ({ ...base, use: { write: v } }));
    });
  const op = fc.oneof(
    { weight: 3, arbitrary: getOp },
    { weight: 3, arbitrary: sliceOp },
    { weight: 3, arbitrary: fc.record({ op: fc.constant("get_as_null_terminated"), ptr: address, type: fc.constantFrom(...PRIMS), mut: fc.boolean(), nullable: fc.boolean() }) },
    { weight: 5, arbitrary: fc.record({ op: fc.constant("get_as_str"), ptr: address, nullable: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("user_access"), addr: address, access: fc.constantFrom("read", "write", "execute") }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("kernel_access"), addr: address, access: fc.constantFrom("read", "write", "execute") }) },
  );
  const pageRange = fc
    .tuple(fc.integer({ min: 0, max: SLOTS - 1 }), fc.integer({ min: 0, max: SLOT_PAGES - 1 }), fc.integer({ min: 1, max: 2 * SLOT_PAGES }))
    .map(([s, p, n]) => ({ start: hex(slotBase(s) + p * P), pages: n }));
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
      fc
        .tuple(fc.integer({ min: 0, max: SLOTS - 1 }), fc.integer({ min: 0, max: SLOT_PAGES * P - 1 }), fc.constantFrom(0, 0x41, 0xff), fc.integer({ min: 1, max: 3 * P }))
        .map(([s, o, fill, len]) => ({ write: { at: hex(slotBase(s) + o), fill, len } })),
      fc.integer({ min: 0, max: 4 }).map((frames) => ({ frames })),
      fc.integer({ min: 0, max: cpus - 1 }).map((cpu) => ({ migrate: { cpu } })),
      fc.record({ addr: address, access: fc.constantFrom("read", "write", "execute") }).map((i) => ({ interrupt: i })),
      op.map((nested) => ({ nested })),
    );

  return fc
    .record({
      cpus: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constantFrom(5, 64)),
      strategy: fc.constantFrom(...STRATEGIES),
      lock: fc.constantFrom("per-check", "held"),
      budget: fc.option(fc.integer({ min: 1, max: 4000 }), { nil: undefined }),
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
            return [{ when, do: e.do, ...(e.by ? { by: e.by } : {}), repeat: e.repeat }];
          });
          return {
            name: "random",
            machine: {
              cpus: g.cpus,
              page_size: P,
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
}

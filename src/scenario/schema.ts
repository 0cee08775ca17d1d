// The one description of scenario format v1: the types of the rest of the
// code (z.infer) and the published JSON Schema both come from here.
import { z } from "zod";
import { primitiveRange } from "./elements.js";
import { I64_MIN, U64_MAX, describe, toInteger } from "./numbers.js";
import { closest, unknownKeyMessages } from "./suggest.js";
import { KERNELS, KERNEL_STRATEGY } from "./kernels.js";
import {
  ACCESS_MEANINGS, ASPACE_LOCK_MEANINGS, ERRNO_MEANINGS, HAZARD_MEANINGS, KERNEL_MEANINGS, KEY_MEANINGS, LOCK_KIND_MEANINGS, ON_ERROR_MEANINGS,
  OP_MEANINGS, OUTCOME_MEANINGS, STEP_RESULT_MEANINGS, STRATEGY_MEANINGS, TRIGGER_MEANINGS,
} from "./meanings.js";

// ---- meanings, for an editor's hover and completion -----------------------

type Meanings = Readonly<Record<string, string>>;
/** The meaning of each key of a mapping (meanings.ts), put on its properties in the JSON Schema. */
const keyMeanings = new WeakMap<z.ZodType, Meanings>();
/** The meanings of each enum's values, by its list of values: zod copies an enum's JSON to each place it is used. */
const valueMeanings: { values: readonly string[]; meanings: Meanings }[] = [];

/** Records what each key of `schema` (a mapping) means: what zod accepts is unchanged. */
function keyed<T extends z.ZodType>(schema: T, meanings: Meanings): T {
  keyMeanings.set(schema, meanings);
  return schema;
}

/** An enum whose every value has its meaning. */
function words<const V extends readonly [string, ...string[]]>(values: V, meanings: Readonly<Record<V[number], string>>) {
  valueMeanings.push({ values, meanings });
  return z.enum(values);
}

/** The op's meaning where a step's op is: its axptr call and its keys. */
function opMeaning(op: keyof typeof OP_MEANINGS): string {
  const m = OP_MEANINGS[op];
  return `${m.call} (keys: ${m.keys})`;
}

// ---- numbers -------------------------------------------------------------

const NUMBER_DESCRIPTION = "an integer: decimal or 0x hex, as a YAML integer or a string, with optional _ separators";

// Any YAML value but a missing one: integer() below says what is wrong with a float,
// a word, a list... (a union would only say "Invalid input"). Its JSON Schema is
// replaced in scenarioJsonSchema().
const numberInput = z
  .union([z.bigint(), z.number(), z.string(), z.custom<never>((v) => v !== undefined)], {
    error: "required key is missing (expected a number: decimal or 0x hex)",
  })
  .meta({ id: "Number", description: NUMBER_DESCRIPTION });

/**
 * What the JSON Schema says of a number beyond "an integer or a number text":
 * its range (bounds beyond 2^53 are left out: JSON numbers are not exact
 * there), or the only values it may take.
 */
interface NumberHint {
  /** What the number is, for an editor's hover: "a CPU count". */
  what: string;
  min?: bigint;
  max?: bigint;
  values?: readonly bigint[];
}
const numberHints = new WeakMap<z.ZodType, NumberHint>();

/** Records a hint for the JSON Schema only: what zod accepts is unchanged. */
function hint<T extends z.ZodType>(schema: T, h: NumberHint): T {
  numberHints.set(schema, h);
  return schema;
}

function integer(min: bigint, max: bigint, what: string) {
  return hint(integerOf(min, max, what), { what, min, max });
}

function integerOf(min: bigint, max: bigint, what: string) {
  return numberInput.transform((input, ctx) => {
    const r = toInteger(input, min, max, what);
    if (r.ok) return r.value;
    // `number` lets the loader quote a YAML number as written (0x…, .nan) rather than as parsed.
    ctx.issues.push({ code: "custom", message: r.message, input, params: { number: true } });
    return z.NEVER;
  });
}

function smallInt(min: number, max: number, what: string) {
  return hint(integer(BigInt(min), BigInt(max), what).transform((v) => Number(v)), { what, min: BigInt(min), max: BigInt(max) });
}

export const U64 = integer(0n, U64_MAX, "an unsigned 64-bit number");
/** Element values: signed types may be negative, the type check comes later. */
export const IntValue = integer(I64_MIN, U64_MAX, "a 64-bit integer");

// ---- strict objects with "did you mean" ------------------------------------

function strict<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => (iss.code === "unrecognized_keys" ? unknownKeyMessages(iss.keys, known) : undefined),
  });
}

/**
 * The message of a union (or enum-like) schema that failed as a whole: what
 * was expected, what was found, and a "did you mean" for a near-miss word.
 */
function unionError(expected: string, words: readonly string[] = []) {
  return (iss: { input?: unknown }): string => {
    if (iss.input === undefined) return `required key is missing (${expected})`;
    const near = typeof iss.input === "string" && words.length > 0 ? closest(iss.input, words) : undefined;
    return `${expected}, got ${describe(iss.input)}${near !== undefined ? ` (did you mean "${near}"?)` : ""}`;
  };
}

/** The JSON Schema's form of exactlyOne (attached with .meta: zod copies it into the JSON Schema). */
function exactlyOneJson(keys: readonly string[]) {
  // `properties` beside `required`: a validator in strict mode wants each required key declared where it is required.
  return { oneOf: keys.map((k) => ({ properties: { [k]: true }, required: [k] })) };
}

/** Exactly one of `keys` must be present; says which ones are allowed. */
function exactlyOne(keys: readonly string[], what: string) {
  return (obj: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const given = keys.filter((k) => obj[k] !== undefined);
    if (given.length === 1) return;
    ctx.addIssue({
      code: "custom",
      message:
        given.length === 0
          ? `${what}: expected exactly one of ${keys.join(", ")}`
          : `${what}: expected exactly one of ${keys.join(", ")}, got ${given.join(" and ")}`,
    });
  };
}

// ---- building blocks ------------------------------------------------------

export const ACCESSES = ["read", "write", "execute"] as const;
export const Access = words(ACCESSES, ACCESS_MEANINGS);

/** The five strategies of semantics.md: `compare` and `--strategy all` when no kernel is named. */
export const STRATEGIES = ["none", "percpu-flag", "per-thread-flag", "nesting-counter", "exception-table"] as const;
/** Every strategy, `global-flag` (kernels.md section 6) last: what `compare` shows when a kernel is named. */
export const ALL_STRATEGIES = [...STRATEGIES, "global-flag"] as const;
export const Strategy = words(ALL_STRATEGIES, STRATEGY_MEANINGS);
export const Kernel = words(KERNELS, KERNEL_MEANINGS);

export const Perm = z
  .string()
  .regex(/^(r?w?x?|-)$/, { message: 'expected permission letters from r, w, x in that order ("rw", "rx"), or "" / "-" for none' })
  .transform((s) => ({ read: s.includes("r"), write: s.includes("w"), execute: s.includes("x") }));
export type Perms = z.infer<typeof Perm>;

export const PRIMITIVE_TYPES = ["u8", "i8", "c_char", "u16", "i16", "u32", "i32", "u64", "i64", "usize", "isize", "ptr"] as const;
export const PrimitiveType = z.enum(PRIMITIVE_TYPES);
export type PrimitiveTypeName = z.infer<typeof PrimitiveType>;

export const StructType = keyed(
  strict({
    size: integer(0n, U64_MAX, "a size in bytes"),
    // The rules check that it is a power of two; the JSON Schema lists them.
    align: hint(integerOf(1n, 1n << 32n, "an alignment"), { what: "an alignment: a power of two", values: Array.from({ length: 33 }, (_, i) => 1n << BigInt(i)) }),
  }),
  KEY_MEANINGS.structType,
);
export const ElementType = z.union([PrimitiveType, StructType], {
  error: unionError(`expected an element type (${PRIMITIVE_TYPES.join(", ")}) or { size, align }`, PRIMITIVE_TYPES),
});
export type ElementTypeSpec = z.infer<typeof ElementType>;

const byteList = z.array(integer(0n, 255n, "a byte 0..255"));
/** A list of one element type: any 64-bit integer to zod (the rules say which value does not fit), the type's range in the JSON Schema. */
const intList = (t: PrimitiveTypeName) => {
  const [min, max] = primitiveRange(t);
  return z.array(hint(integerOf(I64_MIN, U64_MAX, "a 64-bit integer"), { what: `a ${t} value`, min, max }));
};

export const CONTENT_KINDS = ["str", "bytes", "fill", ...PRIMITIVE_TYPES] as const;

/** The bytes of a contents item, wherever they go: memory's contents and events' write say `at`, a reference's write starts at the reference. */
const contentShape = {
  str: z.string().optional(),
  bytes: byteList.optional(),
  fill: integer(0n, 255n, "a byte 0..255").optional(),
  len: U64.optional(),
  u8: intList("u8").optional(),
  i8: intList("i8").optional(),
  c_char: intList("c_char").optional(),
  u16: intList("u16").optional(),
  i16: intList("i16").optional(),
  u32: intList("u32").optional(),
  i32: intList("i32").optional(),
  u64: intList("u64").optional(),
  i64: intList("i64").optional(),
  usize: intList("usize").optional(),
  isize: intList("isize").optional(),
  ptr: intList("ptr").optional(),
};

export const ContentItem = keyed(strict({ at: U64, ...contentShape }).superRefine((item, ctx) => {
  exactlyOne(CONTENT_KINDS, "contents item")(item, ctx);
  if (item.fill !== undefined && item.len === undefined)
    ctx.addIssue({ code: "custom", path: ["len"], message: "a fill item needs len: how many bytes to fill" });
  if (item.fill === undefined && item.len !== undefined)
    ctx.addIssue({ code: "custom", path: ["len"], message: "len belongs to a fill item only" });
}).meta({
  id: "ContentItem",
  description: "backing bytes at an address: str, bytes, fill+len, or a list of one element type",
  ...exactlyOneJson(CONTENT_KINDS),
  dependentRequired: { fill: ["len"], len: ["fill"] },
}), KEY_MEANINGS.contents);
export type ContentItemSpec = z.infer<typeof ContentItem>;

/**
 * `use: { write: { fill: 0 } }` and the other contents forms: the bytes the kernel stores through the
 * reference, from its start (a real read() fills a buffer without naming each element). A fill
 * without len fills the whole reference; what is written must fit in it.
 */
export const WriteContents = keyed(strict(contentShape).superRefine((item, ctx) => {
  exactlyOne(CONTENT_KINDS, "use.write contents")(item, ctx);
  if (item.fill === undefined && item.len !== undefined) ctx.addIssue({ code: "custom", path: ["len"], message: "len belongs to a fill item only" });
}).meta({
  id: "WriteContents",
  description: "bytes stored through the reference from its start, as a contents item without at: str, bytes, fill (len optional: the whole reference), or a list of one element type",
  ...exactlyOneJson(CONTENT_KINDS),
  dependentRequired: { len: ["fill"] },
}), KEY_MEANINGS.writeContents);
export type WriteContentsSpec = z.infer<typeof WriteContents>;

export const Area = keyed(strict({
  name: z.string().min(1).optional(),
  start: U64,
  size: U64.optional(),
  pages: U64.optional(),
  perm: Perm,
  populate: z.boolean().default(true),
  present: z.array(U64).optional(),
  contents: z.array(ContentItem).optional(),
}).superRefine(exactlyOne(["size", "pages"], "area")).meta({
  id: "Area",
  description: "an area of the user address space",
  ...exactlyOneJson(["size", "pages"]),
  // The rules: present lists the present pages of a lazy area.
  dependentSchemas: { present: { properties: { populate: { const: false } }, required: ["populate"] } },
}), KEY_MEANINGS.area);
export type AreaSpec = z.infer<typeof Area>;

export const Range = keyed(
  strict({ start: U64, size: U64.optional(), pages: U64.optional() })
    .superRefine(exactlyOne(["size", "pages"], "range"))
    .meta(exactlyOneJson(["size", "pages"])),
  KEY_MEANINGS.range,
);
export const ProtectRange = keyed(
  strict({ start: U64, size: U64.optional(), pages: U64.optional(), perm: Perm })
    .superRefine(exactlyOne(["size", "pages"], "range"))
    .meta(exactlyOneJson(["size", "pages"])),
  KEY_MEANINGS.range,
);
export type RangeSpec = z.infer<typeof Range>;

// ---- values and expectations ------------------------------------------------

const scalarValue = z.union([z.bigint(), z.number(), z.string(), z.null()], {
  error: unionError("expected a number, a string or null"),
});
/** Raw values (numbers, strings, lists up to two deep): their meaning depends on the step, judged later. */
export const RawValue = z.union(
  [scalarValue, z.array(z.union([scalarValue, z.array(scalarValue)], { error: unionError("expected a number, a string, null, or a list of them") }))],
  { error: unionError("expected a number, a string, null, or a list of them") },
);
export type RawValueSpec = z.infer<typeof RawValue>;

export const ERRNOS = ["EFAULT", "EILSEQ", "ENOMEM"] as const;
export const RUN_ENDS = ["panic", "killed", "deadlock", "step-limit", "livelock"] as const;
export const STEP_EXPECT_WORDS = ["ok", ...RUN_ENDS, "not-run"] as const;

export const StepExpect = z.union(
  [words(STEP_EXPECT_WORDS, STEP_RESULT_MEANINGS), keyed(strict({ ok: RawValue }), KEY_MEANINGS.expectOk), keyed(strict({ err: words(ERRNOS, ERRNO_MEANINGS) }), KEY_MEANINGS.expectErr)],
  { error: unionError(`expected one of ${STEP_EXPECT_WORDS.join(", ")}, { ok: VALUE } or { err: ${ERRNOS.join(" | ")} }`, STEP_EXPECT_WORDS) },
);
export type StepExpectSpec = z.infer<typeof StepExpect>;

// ---- steps --------------------------------------------------------------------

/** A map is contents; anything else a value (or a list of them), as before. */
const WriteSpec = z.union([WriteContents, RawValue], { error: unionError("expected a value, a list of values, or contents such as { fill: 0 }") });

/** `{ read: true }` says the same as `read` (the form kernels.md's cases use). */
const readObject = keyed(strict({ read: z.literal(true) }), KEY_MEANINGS.useRead).transform(() => "read" as const);

const ReadUse = z.union([z.literal("read"), readObject], {
  error: unionError("expected use: read or use: { read: true } (the kernel reads the result again)", ["read"]),
});

export const UseSpec = z.union([z.literal("read"), readObject, keyed(strict({ write: WriteSpec }), KEY_MEANINGS.useWrite)], {
  error: unionError("expected use: read, use: { read: true } or use: { write: VALUE }", ["read"]),
});

const common = { nullable: z.boolean().default(false) };

// ---- syscall shapes (kernels.md section 8): pointers from results, held locks --------

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** `ptr: { from: N, index: K }`: element K of step N's `ok` list (its number without index). */
export interface PtrFromSpec {
  from: number;
  index?: bigint;
}

const FROM_KEYS = ["from", "index"] as const;
const STEP_FROM = "a step number from 1";
const INDEX_FROM = "an element index from 0";

/**
 * The mapping form of `ptr`, checked by hand: each of its problems must let
 * the union below go on (`continue`), so that the union reports it rather
 * than "one of the forms allowed here".
 */
const ptrFrom = z.custom<Record<string, unknown>>(isMapping).transform((obj, ctx): PtrFromSpec => {
  const unknown = Object.keys(obj).filter((k) => !(FROM_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) ctx.issues.push({ code: "unrecognized_keys", keys: unknown, message: unknownKeyMessages(unknown, FROM_KEYS), input: obj, continue: true });
  const number = (key: string, min: bigint, max: bigint, what: string): bigint | undefined => {
    const v = obj[key];
    if (v === undefined) return undefined;
    const r = toInteger(v, min, max, what);
    if (r.ok) return r.value;
    ctx.issues.push({ code: "custom", message: r.message, input: v, path: [key], params: { number: true }, continue: true });
    return undefined;
  };
  if (obj.from === undefined) ctx.issues.push({ code: "custom", message: `required key is missing (expected ${STEP_FROM})`, input: undefined, path: ["from"], continue: true });
  const from = number("from", 1n, 1n << 32n, STEP_FROM);
  const index = number("index", 0n, U64_MAX, INDEX_FROM);
  return { from: Number(from ?? 0n), ...(index !== undefined ? { index } : {}) };
});

/** `ptr` as a number: U64's checks, giving way (an aborting issue) to ptrFrom when it is a mapping. */
const ptrNumber = numberInput.transform((input, ctx) => {
  if (isMapping(input)) {
    ctx.issues.push({ code: "custom", message: "a mapping", input });
    return z.NEVER;
  }
  const r = toInteger(input, 0n, U64_MAX, "an unsigned 64-bit number");
  if (r.ok) return r.value;
  ctx.issues.push({ code: "custom", message: r.message, input, params: { number: true }, continue: true });
  return z.NEVER;
});

const PTR_MISSING = "required key is missing (expected a number: decimal or 0x hex)";
const ptrFromJson = {
  type: "object",
  description: "a pointer from an earlier step's result: element index (from 0) of step from's ok list, or its number without index",
  properties: { from: described({ type: "integer", minimum: 1 }, KEY_MEANINGS.ptrFrom.from), index: described({ type: "integer", minimum: 0 }, KEY_MEANINGS.ptrFrom.index) },
  required: ["from"],
  additionalProperties: false,
};
/** A thread's own step: a number, or a pointer from an earlier result. */
const PtrSource = z.union([ptrNumber, ptrFrom], { error: (iss) => (iss.input === undefined ? PTR_MISSING : undefined) });
/** A nested or run step has no earlier steps of its own: a mapping there is an error of the file. */
const NestedPtr = z.union(
  [
    ptrNumber,
    z.custom<Record<string, unknown>>(isMapping).transform((_, ctx): bigint => {
      ctx.issues.push({
        code: "custom",
        message: "a pointer from an earlier result (ptr: { from }) is for a thread's own steps: a nested or run step has none before it (expected a number: decimal or 0x hex)",
        input: _,
        continue: true,
      });
      return z.NEVER;
    }),
  ],
  { error: (iss) => (iss.input === undefined ? PTR_MISSING : undefined) },
);
// Made when the JSON Schema is: hintedNumber's patterns are defined further down.
const U64_HINT = { what: "an unsigned 64-bit number", min: 0n, max: U64_MAX };
const jsonOverrides = new WeakMap<z.ZodType, () => Record<string, unknown>>([
  [PtrSource, () => ({ description: "the user pointer: an address, or a pointer from an earlier step's result", anyOf: [hintedNumber(U64_HINT), ptrFromJson] })],
  [NestedPtr, () => hintedNumber(U64_HINT)],
]);

export const LOCK_KINDS = ["mutex", "spin"] as const;
export const Lock = keyed(
  strict({ name: z.string().min(1), kind: words(LOCK_KINDS, LOCK_KIND_MEANINGS) }).meta({
    id: "Lock",
    description: "a kernel lock that steps may hold (hold: [name]): a sleeping mutex, or a spin lock taken with IRQs and preemption off",
  }),
  KEY_MEANINGS.lock,
);
export type LockSpec = z.infer<typeof Lock>;
const hold = { hold: z.array(z.string().min(1)).optional() };

// The rules between a step's keys that the JSON Schema can say too.
const USE_WRITE_NEEDS_MUT = { if: { properties: { use: { type: "object" } }, required: ["use"] }, then: { properties: { mut: { const: true } }, required: ["mut"] } };
const OK_NULL_NEEDS_NULLABLE = {
  if: { properties: { expect: { type: "object", properties: { ok: { type: "null" } }, required: ["ok"] } }, required: ["expect"] },
  then: { properties: { nullable: { const: true } }, required: ["nullable"] },
};
function stepJson(usable: boolean, extra: z.ZodRawShape) {
  const rules = [...(usable ? [USE_WRITE_NEEDS_MUT] : []), ...("expect" in extra ? [OK_NULL_NEEDS_NULLABLE] : [])];
  return rules.length === 0 ? {} : { allOf: rules };
}

function stepShapes<E extends z.ZodRawShape, P extends z.ZodType>(extra: E, ptr: P) {
  const step = <T extends z.ZodType>(op: keyof typeof OP_MEANINGS, schema: T) => keyed(schema, { ...KEY_MEANINGS.step, op: opMeaning(op) });
  return [
    step("get", strict({ op: z.literal("get"), ptr, type: ElementType.default("u8"), mut: z.boolean().default(false), use: UseSpec.optional(), ...common, ...extra, ...hold }).meta(stepJson(true, extra))),
    step("get_as_slice", strict({ op: z.literal("get_as_slice"), ptr, type: ElementType.default("u8"), len: U64, mut: z.boolean().default(false), use: UseSpec.optional(), ...common, ...extra, ...hold }).meta(stepJson(true, extra))),
    // use: read only: the kernel reads the borrowed result again (kernels.md section 3).
    step("get_as_null_terminated", strict({ op: z.literal("get_as_null_terminated"), ptr, type: PrimitiveType.default("u8"), mut: z.boolean().default(false), use: ReadUse.optional(), ...common, ...extra, ...hold }).meta(stepJson(false, extra))),
    step("get_as_str", strict({ op: z.literal("get_as_str"), ptr, use: ReadUse.optional(), ...common, ...extra, ...hold }).meta(stepJson(false, extra))),
    step("user_access", strict({ op: z.literal("user_access"), addr: U64, access: Access, ...extra, ...hold })),
    step("kernel_access", strict({ op: z.literal("kernel_access"), addr: U64, access: Access, ...extra, ...hold })),
    // StarryOS's starry-vm copies (kernels.md section 7); the rules check the kernel has them.
    step("vm_read", strict({ op: z.literal("vm_read"), ptr, len: U64, type: ElementType.default("u8"), ...extra, ...hold })),
    step(
      "vm_write",
      strict({ op: z.literal("vm_write"), ptr, bytes: byteList.optional(), fill: integer(0n, 255n, "a byte 0..255").optional(), len: U64.optional(), ...extra, ...hold })
        .superRefine(vmWriteShape)
        .meta({ ...exactlyOneJson(["bytes", "fill"]), dependentRequired: { fill: ["len"], len: ["fill"] } }),
    ),
    step("vm_load_string", strict({ op: z.literal("vm_load_string"), ptr, ...extra, ...hold })),
  ] as const;
}

/** vm_write's data: bytes, or fill with len (as a contents item's). */
function vmWriteShape(st: { bytes?: unknown; fill?: unknown; len?: unknown }, ctx: z.RefinementCtx): void {
  exactlyOne(["bytes", "fill"], "vm_write")(st, ctx);
  if (st.fill !== undefined && st.len === undefined) ctx.addIssue({ code: "custom", path: ["len"], message: "a fill needs len: how many bytes to write" });
  if (st.fill === undefined && st.len !== undefined) ctx.addIssue({ code: "custom", path: ["len"], message: "len belongs to a fill only" });
}

export const OPS = ["get", "get_as_slice", "get_as_null_terminated", "get_as_str", "user_access", "kernel_access", "vm_read", "vm_write", "vm_load_string"] as const;
/** A step whose op is missing, misspelt or not a step at all. */
function opError(iss: { input?: unknown }): string {
  const ops = `one of ${OPS.join(", ")}`;
  const input = iss.input;
  if (input === undefined) return `required key is missing (expected a step: a mapping with op: ${ops})`;
  if (input === null || typeof input !== "object" || Array.isArray(input)) return `expected a step (a mapping with op: ${ops}), got ${describe(input)}`;
  const op = (input as Record<string, unknown>).op;
  if (op === undefined) return `required key is missing (expected ${ops})`;
  const near = typeof op === "string" ? closest(op, OPS) : undefined;
  return `expected op to be ${ops}, got ${describe(op)}${near !== undefined ? ` (did you mean "${near}"?)` : ""}`;
}

export const NestedStep = z.discriminatedUnion("op", stepShapes({}, NestedPtr), { error: opError }).meta({ id: "NestedStep" });
export const Step = z.discriminatedUnion("op", stepShapes({ expect: StepExpect.optional() }, PtrSource), { error: opError }).meta({ id: "Step", description: "one axptr operation or memory access" });
export type StepSpec = z.infer<typeof Step>;
export type NestedStepSpec = z.infer<typeof NestedStep>;
export type OpName = StepSpec["op"];
export type StrategyName = z.infer<typeof Strategy>;

// ---- injected events ------------------------------------------------------

export const TRIGGERS = [
  "before-step", "after-align-check", "after-region-check", "after-populate", "flag-set", "page-check",
  "before-read", "page-fault", "flag-clear", "before-use", "after-step",
] as const;
export const Trigger = words(TRIGGERS, Object.fromEntries(TRIGGERS.map((p) => [p, `${TRIGGER_MEANINGS[p].when} (reached by ${TRIGGER_MEANINGS[p].reachedBy})`])) as Record<(typeof TRIGGERS)[number], string>);
export type TriggerName = (typeof TRIGGERS)[number];

export const When = keyed(strict({
  thread: z.string().min(1).optional(),
  step: integer(1n, 1n << 32n, "a step number from 1"),
  at: Trigger,
  nth: integer(1n, 1n << 32n, "a count from 1").optional(),
  index: integer(0n, U64_MAX, "an element index from 0").optional(),
}).meta({
  // The rules: nth counts page checks or faults, index elements read.
  dependentSchemas: {
    nth: { properties: { at: { enum: ["page-check", "page-fault"] } } },
    index: { properties: { at: { const: "before-read" } } },
  },
}), KEY_MEANINGS.when);

export const ACTIONS = ["unmap", "protect", "evict", "map", "write", "frames", "migrate", "interrupt", "nested", "run"] as const;

/** Another thread runs one operation right here (semantics section 5, "Another thread runs"). */
export const RunAction = keyed(
  strict({
    thread: z.string().min(1),
    step: NestedStep,
    cpu: smallInt(0, 63, "a CPU number").optional(),
  }).meta({ id: "RunAction", description: "another thread runs one operation right here, on cpu (default: the running thread's CPU)" }),
  KEY_MEANINGS.run,
);
export type RunActionSpec = z.infer<typeof RunAction>;

export const Action = keyed(strict({
  unmap: Range.optional(),
  protect: ProtectRange.optional(),
  evict: Range.optional(),
  map: Area.optional(),
  write: ContentItem.optional(),
  frames: U64.optional(),
  migrate: keyed(strict({ cpu: smallInt(0, 63, "a CPU number") }), KEY_MEANINGS.migrate).optional(),
  interrupt: keyed(strict({ addr: U64, access: Access }), KEY_MEANINGS.interrupt).optional(),
  nested: NestedStep.optional(),
  run: RunAction.optional(),
}).superRefine(exactlyOne(ACTIONS, "do")).meta({ id: "Action", description: "exactly one injected action", minProperties: 1, maxProperties: 1 }), KEY_MEANINGS.action);
export type ActionSpec = z.infer<typeof Action>;

export const InjectedEvent = keyed(
  strict({
    when: When,
    do: Action,
    by: z.string().optional(),
    repeat: z.boolean().default(false),
  }),
  KEY_MEANINGS.event,
);
export type InjectedEventSpec = z.infer<typeof InjectedEvent>;

// ---- races and exploration (explore.md section 1) ---------------------------

export const RACE_NAME = /^[a-z][a-z0-9_-]*$/;

/** An action with no fixed point: `explore` tries it at every point its `during` and `at` allow. */
export const Race = keyed(strict({
  name: z.string().regex(RACE_NAME, { message: "a race name is a lower-case letter, then lower-case letters, digits, _ or - (e.g. munmap, evict-1)" }),
  // The very same action schema as events' `do`: every action an event may take, a race may too.
  do: Action,
  by: z.string().optional(),
  during: z.array(z.string().min(1)).optional(),
  at: z.array(Trigger).optional(),
}).meta({ id: "Race", description: "an action that may happen at any point `during` and `at` allow" }), KEY_MEANINGS.race);
export type RaceSpec = z.infer<typeof Race>;

export const Explore = keyed(strict({
  depth: smallInt(1, 3, "an exploration depth").default(1),
  never: z.array(words(RUN_ENDS, OUTCOME_MEANINGS)).default([]),
  hazards: z.literal("forbidden").optional(),
  // The file's own limit, for `explore`, `check` and `report` alike; --max-schedules on the command line wins.
  max_schedules: smallInt(1, Number.MAX_SAFE_INTEGER, "a positive count of schedules").optional(),
}).meta({ id: "Explore", description: "settings of `explore` and of the outcome golden" }), KEY_MEANINGS.explore);
export type ExploreSpec = z.infer<typeof Explore>;

// ---- the whole file ---------------------------------------------------------

export const OUTCOMES = ["completed", ...RUN_ENDS] as const;
export const HAZARDS = ["migrated-in-access", "flag-cleared-early", "interrupt-in-access", "foreign-flag", "stranded-flag", "stranded-by-exit"] as const;
export type HazardKind = (typeof HAZARDS)[number];

export const Machine = keyed(strict({
  cpus: smallInt(1, 64, "a CPU count").default(1),
  // The rules check the page size; the JSON Schema lists the sizes.
  page_size: hint(integerOf(0n, U64_MAX, "an unsigned 64-bit number"), { what: "a page size: a power of two from 4096 to 65536", values: [4096n, 8192n, 16384n, 32768n, 65536n] }).default(4096n),
  // Absent: the kernel's (a starry-* one fixes it), else percpu-flag; filled in below.
  kernel: Kernel.optional(),
  strategy: Strategy.optional().meta({ default: "percpu-flag" }),
  aspace: keyed(strict({ base: U64.optional(), size: U64.optional() }), KEY_MEANINGS.aspace).optional(),
  frames: z.union([z.literal("unlimited"), U64], { error: unionError('expected a frame count or "unlimited"', ["unlimited"]) }).default("unlimited"),
  aspace_lock: words(["per-check", "held"], ASPACE_LOCK_MEANINGS).default("per-check"),
  budget: integer(1n, U64_MAX, "a positive count of units of work").default(100_000_000n),
}), KEY_MEANINGS.machine).transform(({ aspace, strategy, ...m }, ctx) => {
  const fixed = m.kernel === undefined ? undefined : KERNEL_STRATEGY[m.kernel];
  // kernels.md section 1: under a starry-* kernel the strategy and the lock discipline are the kernel's.
  if (fixed !== undefined && strategy !== undefined && strategy !== fixed)
    ctx.addIssue({ code: "custom", path: ["strategy"], message: `machine.strategy ${strategy} contradicts machine.kernel ${m.kernel}, whose state is ${fixed} (a starry-* kernel fixes the strategy: leave machine.strategy out or write ${fixed})` });
  if (fixed !== undefined && m.aspace_lock === "held")
    ctx.addIssue({ code: "custom", path: ["aspace_lock"], message: `machine.aspace_lock held contradicts machine.kernel ${m.kernel}, which takes the lock per check (leave machine.aspace_lock out or write per-check)` });
  return { ...m, strategy: strategy ?? fixed ?? "percpu-flag", aspace: addressSpace(aspace, m.page_size) };
});
export type MachineSpec = z.infer<typeof Machine>;

/**
 * The spec's default address space, base 0x1000 and size 0x7fff_ffff_f000.
 * With pages larger than 4 KiB and no base given, it starts at the first page
 * instead (and still ends at 0x8000_0000_0000), so such a file needs no aspace.
 */
function addressSpace(given: { base?: bigint | undefined; size?: bigint | undefined } | undefined, pageSize: bigint): { base: bigint; size: bigint } {
  const size = 0x7fff_ffff_f000n;
  if (given?.base !== undefined) return { base: given.base, size: given.size ?? size };
  const validLargePage = pageSize > 0x1000n && pageSize <= 0x10000n && (pageSize & (pageSize - 1n)) === 0n;
  const base = validLargePage ? pageSize : 0x1000n;
  return { base, size: given?.size ?? size + 0x1000n - base };
}

export const Thread = keyed(strict({
  name: z.string().min(1),
  cpu: smallInt(0, 63, "a CPU number").default(0),
  // kernels.md section 8: `return` is the syscall's `?`, its later steps not-run after an err.
  on_error: words(["continue", "return"], ON_ERROR_MEANINGS).optional(),
  steps: z.array(Step).default([]),
}), KEY_MEANINGS.thread);
export type ThreadSpec = z.infer<typeof Thread>;

export const Scenario = keyed(strict({
  name: z.string().min(1),
  description: z.string().optional(),
  machine: Machine.default(() => Machine.parse({})),
  memory: z.array(Area).default([]),
  threads: z.array(Thread).optional(),
  locks: z.array(Lock).optional(),
  events: z.array(InjectedEvent).default([]),
  races: z.array(Race).default([]),
  explore: Explore.optional(),
  expect: keyed(strict({ outcome: words(OUTCOMES, OUTCOME_MEANINGS).optional(), hazards: z.array(words(HAZARDS, HAZARD_MEANINGS)).optional() }), KEY_MEANINGS.expect).optional(),
}), KEY_MEANINGS.scenario);
export type ScenarioSpec = z.infer<typeof Scenario>;

const NUMBER_TEXT = "^-?(0[xX][0-9a-fA-F]+(_+[0-9a-fA-F]+)*|[0-9]+(_+[0-9]+)*)$";
const UNSIGNED_TEXT = "^(0[xX][0-9a-fA-F]+(_+[0-9a-fA-F]+)*|[0-9]+(_+[0-9]+)*)$";
const EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/** A hinted number in the JSON Schema: an integer in its range (or one of its values), or a number text (its range is the tool's to check). */
function hintedNumber(h: NumberHint): Record<string, unknown> {
  const integer: Record<string, unknown> = { type: "integer" };
  if (h.values) integer.enum = h.values.map(Number);
  else {
    if (h.min !== undefined && h.min >= -EXACT) integer.minimum = Number(h.min);
    if (h.max !== undefined && h.max <= EXACT) integer.maximum = Number(h.max);
  }
  const unsigned = h.values !== undefined || (h.min !== undefined && h.min >= 0n);
  const range = h.values || h.min === undefined || h.max === undefined || h.min < -EXACT || h.max > EXACT ? "" : ` (${h.min}..${h.max})`;
  return {
    description: `${h.what}${range}: decimal or 0x hex, as a YAML integer or a string`,
    anyOf: [integer, { type: "string", pattern: unsigned ? UNSIGNED_TEXT : NUMBER_TEXT }],
  };
}

/** The JSON Schema an editor uses; made from the zod schema above. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Scenario, {
    io: "input",
    reused: "inline",
    unrepresentable: "any",
    override: (ctx) => {
      const h = numberHints.get(ctx.zodSchema as unknown as z.ZodType);
      const json = ctx.jsonSchema as Record<string, unknown>;
      const own = jsonOverrides.get(ctx.zodSchema as unknown as z.ZodType);
      if (own) {
        for (const key of Object.keys(json)) delete json[key];
        Object.assign(json, own());
      } else if (h) {
        // A number with a range or a list of values: said inline, beside the general "Number".
        for (const key of Object.keys(json)) delete json[key];
        Object.assign(json, hintedNumber(h));
      } else if (ctx.zodSchema === numberInput) {
        // YAML integers are bigints to zod; to an editor a number is an integer or a decimal/0x string.
        const { description } = json;
        for (const key of Object.keys(json)) delete json[key];
        Object.assign(json, { description, anyOf: [{ type: "integer" }, { type: "string", pattern: NUMBER_TEXT }] });
      } else if (ctx.zodSchema._zod.def.type === "bigint") ctx.jsonSchema.type = "integer";
      annotate(ctx.zodSchema as unknown as z.ZodType, json);
    },
  });
  return {
    ...(describeValues(describeKeys(typeListsAsBranches(schema))) as Record<string, unknown>),
    title: "axptr-sim scenario, format v1",
  };
}

/** Every enum of words() gets the meaning of each of its values (markdownEnumDescriptions), wherever it is. */
function describeValues(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(describeValues);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = describeValues(v);
  const values = Array.isArray(out.enum) ? (out.enum as unknown[]) : undefined;
  const words = values && valueMeanings.find((w) => w.values.length === values.length && w.values.every((v, i) => v === values[i]));
  if (words) out.markdownEnumDescriptions = words.values.map((v) => words.meanings[v] ?? "");
  return out;
}

/**
 * Marks a keyed mapping's JSON with its meanings (an index into `marked`): zod fills its
 * properties in later, and may share one property's JSON between several mappings, so the
 * meanings are put on the finished schema, by describeKeys.
 */
const MARK = "__axptr_sim_meanings";
const marked: Meanings[] = [];
function annotate(schema: z.ZodType, json: Record<string, unknown>): void {
  const keys = keyMeanings.get(schema);
  if (keys) json[MARK] = marked.push(keys) - 1;
}

/** Each marked mapping's properties, with their meanings (a copy of each: see annotate). */
function describeKeys(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(describeKeys);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (k !== MARK) out[k] = describeKeys(v);
  const keys = typeof (node as Record<string, unknown>)[MARK] === "number" ? marked[(node as Record<string, number>)[MARK] ?? -1] : undefined;
  const properties = out.properties as Record<string, Record<string, unknown>> | undefined;
  if (keys && properties)
    out.properties = Object.fromEntries(Object.entries(properties).map(([key, p]) => [key, keys[key] === undefined ? p : described(p, keys[key])]));
  return out;
}

/** A property's JSON with its meaning: the number notation, where there is one, follows it. */
function described(node: Record<string, unknown>, meaning: string): Record<string, unknown> {
  const anyOf = Array.isArray(node.anyOf) ? (node.anyOf as Record<string, unknown>[]) : [];
  const notation = typeof node.description === "string" && anyOf.some((b) => b.type === "integer") ? node.description : undefined;
  return {
    ...node,
    description: notation === undefined ? meaning : `${meaning}; ${notation}`,
    markdownDescription: notation === undefined ? meaning : `${meaning}\n\n${notation}`,
  };
}

/** `type: [integer, number, string, null]` (a raw value) as one anyOf branch a type: strict validators refuse lists of types. */
function typeListsAsBranches(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(typeListsAsBranches);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "type" && Array.isArray(v) && v.length > 1) out.anyOf = v.map((type: unknown) => ({ type }));
    else out[k] = typeListsAsBranches(v);
  }
  return out;
}

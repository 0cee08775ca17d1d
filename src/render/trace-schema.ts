// The JSON output (`--format json`, `axptr-sim-trace/1`; `compare --format
// json`, `axptr-sim-compare/1`; `explore --format json`, `axptr-sim-explore/1`)
// described once, in zod: the published JSON Schemas (`axptr-sim schema
// --trace`, `--compare`, `--explore`) and the library's types of parsed output
// all come from here. EVENT_FIELDS is checked against the
// simulator's event union by the compiler: a kind or a field the union gains
// fails `npm run typecheck` until it is described here.
import { z } from "zod";
import { hasCount } from "../explore/occurrence.js";
import { KERNELS } from "../scenario/kernels.js";
import { ACCESSES, ACTIONS, ALL_STRATEGIES, ERRNOS, HAZARDS, OPS, OUTCOMES, RACE_NAME, TRIGGERS } from "../scenario/schema.js";
import type { EventBody, EventKind } from "../sim/events.js";

const STRATEGIES = ALL_STRATEGIES;
const Kernel = z.enum(KERNELS).meta({ description: "the kernel profile (kernels.md); present only when one is named, in the file or by --kernel" });

const Address = z.string().regex(/^0x(0|[1-9a-f][0-9a-f]*)$/).meta({ id: "Address", description: "an address: lower-case hex, no leading zeros" });
const Exact = z.union([z.int(), z.string().regex(/^-?[0-9]+$/)]).meta({ id: "Exact", description: "a number, exact: magnitudes beyond 2^53-1 are decimal strings" });
const Count = z.int().min(0);
const Op = z.enum(OPS);
const Access = z.enum(ACCESSES);
const Mode = z.enum(["kernel", "user"]);
const Errno = z.enum(ERRNOS);
const Flags = z.record(z.string(), z.union([z.boolean(), z.int()])).meta({
  id: "Flags",
  description: "the strategy's whole state after the event: per CPU (cpu0, cpu1…), per thread, or a counter; {} for none",
});

// A step's value: an exact number, a string (get_as_str), null (None), or a list of values.
type ValueJson = null | number | string | ValueJson[];
const Value: z.ZodType<ValueJson> = z
  .lazy(() => z.union([z.null(), z.int(), z.string(), z.array(Value)]))
  .meta({ id: "Value", description: "a step's value: a number (a decimal string beyond 2^53-1), a string, null (None), or a list of values" });

/** How a step ended, given the shape of its `ok` (the value is left out of step-end events: it is in `steps` once). */
function results<Ok extends z.ZodRawShape>(ok: Ok) {
  return z.discriminatedUnion("status", [
    z.strictObject({ status: z.literal("ok"), ...ok }),
    z.strictObject({ status: z.literal("err"), errno: Errno }),
    z.strictObject({ status: z.literal("panic"), message: z.string() }),
    z.strictObject({ status: z.literal("killed"), signal: z.literal("SIGSEGV") }),
    z.strictObject({ status: z.enum(["deadlock", "step-limit", "livelock", "not-run"]) }),
  ]);
}
const Result = results({ value: Value.optional() }).meta({ id: "Result", description: "how a step ended" });
const RunResult = z
  .union([Result, z.strictObject({ status: z.literal("blocked") })])
  .meta({ id: "RunResult", description: "how a run action's operation ended: a step's result, or blocked (it needs the address-space lock another thread holds)" });
const Ended = results({}).meta({ id: "Ended", description: "how a step ended, without its value" });
const Expected = z
  .discriminatedUnion("status", [
    z.strictObject({ status: z.literal("ok"), value: Value.optional() }),
    z.strictObject({ status: z.literal("err"), errno: Errno }),
    z.strictObject({ status: z.literal("killed"), signal: z.literal("SIGSEGV") }),
    z.strictObject({ status: z.enum(["panic", "deadlock", "step-limit", "livelock", "not-run"]) }),
  ])
  .meta({ id: "Expected", description: "a step's expectation (a panic's, without a message)" });

/** Each event kind's own fields, beside seq, thread, step, cpu, kind, flags and nested. */
/** Only on a refusal: the first address no area covers, the area without the access, no free frame. */
const Why = z.string().meta({
  description:
    "why the check or populate failed (present only then): no area at ADDR, the area A..B is PERM: no ACCESS permission, no free frame for the page ADDR; the range passes 2^64; a vm_* access check's range below or past the user address space",
});

export const EVENT_FIELDS = {
  "step-start": { op: Op, args: z.string() },
  "align-check": { addr: Address, align: Exact, ok: z.boolean() },
  "region-check": { addr: Address, size: Exact, access: z.string().meta({ description: "the access checked: read, write, execute, joined by + (read+write)" }), ok: z.boolean(), why: Why.optional() },
  populate: { addr: Address, size: Exact, ok: z.boolean(), errno: Errno.optional(), why: Why.optional() },
  "page-mapped": { addr: Address },
  "flag-set": {},
  "flag-clear": {},
  "page-check": { addr: Address, ok: z.boolean(), why: Why.optional() },
  read: { addr: Address, size: Exact, mode: Mode, interrupt: z.boolean().optional() },
  write: { addr: Address, size: Exact, mode: Mode, interrupt: z.boolean().optional() },
  execute: { addr: Address, size: Exact, mode: Mode, interrupt: z.boolean().optional() },
  "page-fault": { addr: Address, access: Access, mode: Mode, interrupt: z.boolean() },
  handler: { decision: z.enum(["unhandled", "deadlock", "resolved", "segv", "fixup", "blocked", "exit", "retry"]), addr: Address, reason: z.string() },
  injected: { action: z.enum(ACTIONS), by: z.string().optional(), race: z.string().optional(), detail: z.string() },
  migrate: { from: Count, to: Count },
  interrupt: { addr: Address, access: Access },
  lock: {
    decision: z.enum(["acquired", "released", "deadlock", "relock"]),
    lock: z.string().optional().meta({ description: "the lock, for a relock, or the `hold` lock re-taken (kernels.md section 8); absent for the address-space lock's own events" }),
  },
  check: { addr: Address, size: Exact, ok: z.boolean(), why: Why.optional() },
  "nested-result": { op: Op, result: Result },
  run: { to: z.string(), to_cpu: Count, op: Op, args: z.string(), by: z.string().optional() },
  "run-result": { op: Op, result: RunResult, blocked_by: z.string().optional(), lock: z.string().optional().meta({ description: "the `hold` lock that blocked it (absent: the address-space lock)" }) },
  hazard: { hazard: z.enum(HAZARDS), message: z.string() },
  "step-end": { result: Ended },
} satisfies { [K in EventKind]: z.ZodRawShape };

// The compiler's check that EVENT_FIELDS names exactly the union's fields, kind by kind.
type FieldsOf<K extends EventKind> = Exclude<keyof Extract<EventBody, { kind: K }>, "kind">;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type AllTrue<T extends { [K in EventKind]: true }> = T;
/** A type error here names the kind whose fields differ between EventBody and EVENT_FIELDS. */
export type EventFieldsMatch = AllTrue<{ [K in EventKind]: Same<FieldsOf<K>, keyof (typeof EVENT_FIELDS)[K]> }>;

const eventBase = {
  seq: z.int().min(1),
  thread: z.string(),
  step: z.int().min(1),
  cpu: Count,
  nested: z.int().min(1).optional().meta({ description: "depth of the nested operation the event belongs to (absent at the outer level)" }),
  in_run: z.literal(true).optional().meta({ description: "the event belongs to a run action's operation: another thread switched in" }),
  flags: Flags,
};

function eventSchema<K extends EventKind>(kind: K) {
  return z.strictObject({ ...eventBase, kind: z.literal(kind), ...EVENT_FIELDS[kind] });
}

type EventSchema = ReturnType<typeof eventSchema>;
const eventSchemas = (Object.keys(EVENT_FIELDS) as EventKind[]).map(eventSchema) as [EventSchema, ...EventSchema[]];
export const TraceEventJson = z
  .discriminatedUnion("kind", eventSchemas)
  .meta({ id: "Event", description: "one event of the trace, keyed on kind" });

const Hazard = z.strictObject({ kind: z.enum(HAZARDS), seq: z.int().min(1), message: z.string() });

/** run and compare on a file with races: they ran it as if none fires (only then is the field there). */
const UnexploredRaces = z
  .strictObject({
    count: z.int().min(1),
    names: z.array(z.string()).meta({ description: "the races, in file order" }),
    explore: z.string().meta({ description: "the command that explores them, as the user started the tool" }),
  })
  .optional()
  .meta({ description: "present only for a file with races: this command ran it as if no race fires; explore runs every way they can" });

export const TraceDocument = z
  .strictObject({
    format: z.literal("axptr-sim-trace/1"),
    scenario: z.strictObject({ name: z.string(), file: z.string() }),
    machine: z.strictObject({ cpus: z.int().min(1).max(64), strategy: z.enum(STRATEGIES), page_size: Count, kernel: Kernel.optional() }),
    locks: z
      .array(z.strictObject({ name: z.string(), kind: z.enum(["mutex", "spin"]) }))
      .optional()
      .meta({ description: "the file's kernel locks (kernels.md section 8), when it declares any" }),
    outcome: z.enum(OUTCOMES),
    steps: z.array(
      z.strictObject({
        thread: z.string(),
        step: z.int().min(1),
        op: Op,
        result: Result,
        expected: Expected.nullable(),
        met: z.boolean().nullable(),
        reason: z.string().optional().meta({ description: "why a step that could have run is not-run: no pointer, or its thread returned (kernels.md section 8)" }),
        ptr_from: z
          .strictObject({ step: z.int().min(1), index: Exact.optional(), value: Address.optional(), label: z.string() })
          .optional()
          .meta({ description: "where a ptr: { from } step's pointer came from: the step of the same thread, the element, the pointer taken (absent when none could be had), and the trace's name for it" }),
        hold: z.array(z.string()).optional().meta({ description: "the locks the step holds (hold)" }),
      }),
    ),
    events: z.array(TraceEventJson),
    hazards: z.array(Hazard),
    unfired: z.array(z.strictObject({ event: Count, when: z.string(), why: z.string() })),
    expectations: z.array(z.strictObject({ what: z.string(), met: z.boolean() })),
    summary: z.strictObject({
      events: Count,
      faults: Count,
      resolved: Count,
      expectations: z.strictObject({ met: Count, failed: Count }),
    }),
    unexplored_races: UnexploredRaces,
  })
  .meta({ id: "Trace", description: "the result of one scenario" });

/** What `run --format json` prints: one document, or an array of them for several files. */
export const TraceOutput = z.union([TraceDocument, z.array(TraceDocument)]);
export type TraceJson = z.infer<typeof TraceDocument>;
export type TraceEventJsonType = z.infer<typeof TraceEventJson>;

export const CompareDocument = z
  .strictObject({
    format: z.literal("axptr-sim-compare/1"),
    scenario: z.strictObject({ name: z.string(), file: z.string() }),
    machine: z.strictObject({ kernel: z.union([Kernel, z.literal("all")]) }).optional().meta({ description: "the kernel, only when one is named (all: compare --kernel all, one column per kernel)" }),
    strategies: z.array(
      z.strictObject({
        strategy: z.enum(STRATEGIES),
        kernel: Kernel.optional(),
        outcome: z.enum(OUTCOMES),
        steps: z.array(z.strictObject({ thread: z.string(), step: z.int().min(1), op: Op, result: Result })),
        faults: Count,
        resolved: Count,
        hazards: z.array(Hazard),
        runs: z
          .array(z.strictObject({ thread: z.string(), step: z.int().min(1), to: z.string(), op: Op, result: RunResult.nullable() }))
          .optional()
          .meta({ description: "each run action that happened (only when one did under some strategy); result null when it ended the whole run" }),
      }),
    ),
    unexplored_races: UnexploredRaces,
  })
  .meta({ id: "Compare", description: "one scenario under several strategies" });
export type CompareJson = z.infer<typeof CompareDocument>;

// A witness token (explore.md section 6): RACE@THREAD#STEP:POINT pairs joined by +, with [k] exactly where k applies.
const DECIMAL = "(0|[1-9][0-9]*)";
const POINT = `(${TRIGGERS.filter((t) => !hasCount(t)).join("|")}|(${TRIGGERS.filter(hasCount).join("|")})\\[${DECIMAL}\\])`;
const PAIR = `${RACE_NAME.source.slice(1, -1)}@([A-Za-z0-9_.-]|%[0-9A-F]{2})+#${DECIMAL}:${POINT}`;
const Token = z
  .string()
  .regex(new RegExp(`^(${PAIR}(\\+${PAIR})*)?$`))
  .meta({ id: "Token", description: "a schedule: RACE@THREAD#STEP:POINT pairs joined by + (\"\" for none); run FILE --replay TOKEN runs it" });

export const ExploreDocument = z
  .strictObject({
    format: z.literal("axptr-sim-explore/1"),
    scenario: z.strictObject({ name: z.string(), file: z.string() }),
    machine: z.strictObject({ cpus: z.int().min(1).max(64), strategy: z.enum(STRATEGIES), page_size: Count, kernel: Kernel.optional() }),
    depth: z.int().min(1).max(3),
    shard: z
      .strictObject({ index: z.int().min(1), count: z.int().min(1) })
      .nullable()
      .meta({ description: "the shard (--shard I/N) whose schedules are counted; null for the whole exploration (or shards merged)" }),
    fingerprint: z
      .string()
      .regex(/^sha256:[0-9a-f]{64}$/)
      .optional()
      .meta({
        description:
          "a shard's only: sha256 of what was explored (the scenario file's bytes, the depth, strategy and kernel in effect, and N; not I); explore --merge refuses shards whose fingerprints differ",
      }),
    schedules: Count.meta({ description: "the schedules counted (the shard's, when sharded)" }),
    states: Count.optional().meta({
      description: "how many distinct machine states the exploration worked out to reach this result (a figure of its method, explore.md section 5; a shard works out the whole exploration's, and merged shards keep that figure)",
    }),
    classes: z.array(
      z
        .strictObject({
          outcome: z.enum(OUTCOMES),
          steps: z.array(z.strictObject({ thread: z.string(), step: z.int().min(1), op: Op, result: Result })),
          hazards: z.array(z.enum(HAZARDS)).meta({ description: "the distinct hazard kinds, in code-point order" }),
          count: z.int().min(1),
          witness: Token,
          witness_index: Count.meta({ description: "the witness's position in the order of explore.md section 3, from 0" }),
          violates: z.boolean(),
        })
        .meta({ id: "Class", description: "the schedules with one signature (outcome, step results, hazards), ordered by witness_index" }),
    ),
    violations: Count.meta({ description: "the schedules (not classes) that violate" }),
  })
  .meta({ id: "Explore", description: "the exploration of one scenario under one strategy" });

/** What `explore --format json` prints: one document, or an array of them (one per strategy) for --strategy all. */
export const ExploreOutput = z.union([ExploreDocument, z.array(ExploreDocument)]);
export type ExploreJson = z.infer<typeof ExploreDocument>;

function jsonSchema(schema: z.ZodType, title: string): Record<string, unknown> {
  const { $schema, ...body } = z.toJSONSchema(schema, { target: "draft-2020-12", io: "output", reused: "inline" }) as Record<string, unknown>;
  return { $schema, title, ...body };
}

/** `axptr-sim schema --trace`: the JSON Schema of `run --format json` (one document or an array of them). */
export function traceJsonSchema(): Record<string, unknown> {
  return jsonSchema(TraceOutput, "axptr-sim trace, axptr-sim-trace/1 (run --format json)");
}

/** `axptr-sim schema --compare`: the JSON Schema of `compare --format json`. */
export function compareJsonSchema(): Record<string, unknown> {
  return jsonSchema(CompareDocument, "axptr-sim comparison, axptr-sim-compare/1 (compare --format json)");
}

/** `axptr-sim schema --explore`: the JSON Schema of `explore --format json` (one document, or an array of them for --strategy all). */
export function exploreJsonSchema(): Record<string, unknown> {
  return jsonSchema(ExploreOutput, "axptr-sim exploration, axptr-sim-explore/1 (explore --format json)");
}

// An explore document (explore.md section 5) back into the result it was
// made from, so a merge of shards prints as `explore` does (text by default).
// The document has been checked by mergeShards; what it lacks is read as absent.
import type { Json } from "../render/json.js";
import { KERNELS, type KernelName } from "../scenario/kernels.js";
import type { HazardKind, OpName } from "../scenario/schema.js";
import type { Outcome, StepResult, Value } from "../sim/events.js";
import type { StrategyName } from "../sim/simulate.js";
import type { ExploreResult } from "./explore.js";

type Obj = { [k: string]: Json };

const obj = (v: Json | undefined): Obj => (v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v) ? v : {});
const list = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
const int = (v: Json | undefined): number => (typeof v === "number" ? v : 0);

/** A value as JSON writes it: numbers (decimal strings beyond 2^53) are exact integers; only get_as_str's value is text. */
function valueOf(v: Json | undefined, text: boolean): Value {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map((x) => valueOf(x, false));
  if (typeof v === "number") return BigInt(v);
  if (typeof v === "string") return text || !/^-?[0-9]+$/.test(v) ? v : BigInt(v);
  return null;
}

function resultOf(r: Obj, op: string): StepResult {
  switch (r.status) {
    case "ok":
      return "value" in r ? { status: "ok", value: valueOf(r.value, op === "get_as_str") } : { status: "ok" };
    case "err":
      return { status: "err", errno: String(r.errno) as Extract<StepResult, { status: "err" }>["errno"] };
    case "panic":
      return { status: "panic", message: typeof r.message === "string" ? r.message : "" };
    case "killed":
      return { status: "killed", signal: "SIGSEGV" };
    default:
      return { status: String(r.status) as "deadlock" | "step-limit" | "not-run" };
  }
}

export function resultFromJson(doc: Json): ExploreResult {
  const d = obj(doc);
  const m = obj(d.machine);
  const shard = obj(d.shard);
  return {
    scenario: String(obj(d.scenario).name ?? ""),
    machine: {
      cpus: int(m.cpus),
      strategy: String(m.strategy) as StrategyName,
      page_size: BigInt(typeof m.page_size === "number" || typeof m.page_size === "string" ? m.page_size : 0),
      // A kernel named (in the file or by --kernel) is in the document, and the merge's text and replays repeat it.
      ...((KERNELS as readonly Json[]).includes(m.kernel ?? null) ? { kernel: m.kernel as KernelName } : {}),
    },
    depth: int(d.depth),
    shard: d.shard === null || d.shard === undefined ? null : { index: int(shard.index), count: int(shard.count) },
    schedules: int(d.schedules),
    classes: list(d.classes).map((c) => {
      const k = obj(c);
      return {
        key: "",
        outcome: String(k.outcome) as Outcome,
        steps: list(k.steps).map((s) => {
          const step = obj(s);
          const op = String(step.op);
          return { thread: String(step.thread), step: int(step.step), op: op as OpName, result: resultOf(obj(step.result), op) };
        }),
        hazards: list(k.hazards).map((h) => String(h) as HazardKind),
        count: int(k.count),
        witness: String(k.witness ?? ""),
        witnessIndex: int(k.witness_index),
        violates: k.violates === true,
      };
    }),
    violations: int(d.violations),
  };
}

/** The file the shards explored, as their documents name it. */
export function fileFromJson(doc: Json): string {
  return String(obj(obj(doc).scenario).file ?? "");
}

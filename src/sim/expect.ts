// Expectations: what the file says a step should give, and whether it did.
import { scalarNumber } from "../scenario/rules.js";
import type { StepExpectSpec, StepSpec } from "../scenario/schema.js";
import type { Expected, StepResult, Value } from "./events.js";

/** The file's expectation as a result shape; values read as the step's op reads them. */
export function expectedOf(st: StepSpec): Expected | null {
  const e: StepExpectSpec | undefined = st.expect;
  if (e === undefined) return null;
  if (typeof e === "string") return e === "ok" ? { status: "ok" } : { status: e };
  if ("err" in e) return { status: "err", errno: e.err };
  return { status: "ok", value: toValue(e.ok, st.op === "get_as_str") };
}

function toValue(v: unknown, text: boolean): Value {
  if (v === null) return null;
  if (Array.isArray(v)) return v.map((x) => toValue(x, false));
  if (text && typeof v === "string") return v;
  return scalarNumber(v) ?? String(v);
}

export function met(expected: Expected | null, result: StepResult): boolean | null {
  if (expected === null) return null;
  if (expected.status !== result.status) return false;
  if (expected.status === "err" && result.status === "err") return expected.errno === result.errno;
  if (expected.status === "ok" && "value" in expected) {
    return result.status === "ok" && "value" in result && sameValue(expected.value ?? null, result.value ?? null);
  }
  return true;
}

export function sameValue(a: Value, b: Value): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x: Value, i: number) => sameValue(x, b[i] as Value));
  }
  return a === b;
}

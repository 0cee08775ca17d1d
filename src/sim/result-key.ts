// A step result as an outcome class sees it (explore.md section 4): status
// with value or errno, never a panic's message. In the simulator because a
// state's fingerprint holds the results of the steps already run.
import type { StepResult, Value } from "./events.js";

function valueKey(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string") return JSON.stringify(v);
  return `[${v.map(valueKey).join(",")}]`;
}

export function resultKey(r: StepResult): string {
  if (r.status === "ok") return "value" in r ? `ok=${valueKey(r.value ?? null)}` : "ok";
  if (r.status === "err") return `err=${r.errno}`;
  return r.status;
}

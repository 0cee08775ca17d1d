// Events of kinds a renderer does not know yet (added to the simulator after it): shown by name with their fields, never dropped.
import { hex } from "../scenario/numbers.js";
import type { TraceEvent } from "../sim/events.js";

/** Any event as `kind key=value …`, for kinds added after this renderer. */
export function genericText(e: TraceEvent): string {
  const { seq: _seq, thread: _thread, step: _step, cpu: _cpu, flags: _flags, nested: _nested, kind, ...rest } = e as TraceEvent & Record<string, unknown>;
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === "bigint" ? hex(v) : typeof v === "object" ? JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? hex(x) : x)) : String(v)}`);
  return [kind, ...fields].join(" ");
}

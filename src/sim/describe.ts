// Short human words for machine values, shared by the trace and the renderers.
import { hex } from "../scenario/numbers.js";
import type { NestedStepSpec, Perms, StepSpec } from "../scenario/schema.js";

export function permText(p: Perms): string {
  const s = `${p.read ? "r" : ""}${p.write ? "w" : ""}${p.execute ? "x" : ""}`;
  return s === "" ? "-" : s;
}

/** The step's arguments as a short line for the trace; `ptr` replaces the `ptr=` part (a pointer from an earlier result, kernels.md section 8). */
export function describeArgs(st: NestedStepSpec | StepSpec, ptr?: string): string {
  const parts: string[] = [];
  if (ptr !== undefined) parts.push(ptr);
  else if ("ptr" in st && typeof st.ptr === "bigint") parts.push(`ptr=${hex(st.ptr)}`);
  if ("addr" in st) parts.push(`addr=${hex(st.addr)}`);
  if ("access" in st) parts.push(st.access);
  if ("type" in st) parts.push(`T=${typeof st.type === "string" ? st.type : `{size: ${st.type.size}, align: ${st.type.align}}`}`);
  if ("len" in st) parts.push(`len=${st.len}`);
  if ("mut" in st && st.mut) parts.push("mut");
  if ("nullable" in st && st.nullable) parts.push("nullable");
  if ("use" in st && st.use !== undefined) parts.push(st.use === "read" ? "use=read" : "use=write");
  if (st.hold !== undefined && st.hold.length > 0) parts.push(`hold=${st.hold.join(",")}`);
  return parts.join(" ");
}

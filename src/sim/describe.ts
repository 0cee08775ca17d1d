// Short human words for machine values, shared by the trace and the renderers.
import type { Perms } from "../scenario/schema.js";

export function permText(p: Perms): string {
  const s = `${p.read ? "r" : ""}${p.write ? "w" : ""}${p.execute ? "x" : ""}`;
  return s === "" ? "-" : s;
}

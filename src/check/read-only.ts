// Why a read-only file is left alone: the user made it so on purpose.

/** After "the golden is" or a path: `read-only (mode 0444): check does not replace it (…)`. */
export function readOnlyMessage(mode: number, command: string): string {
  return `read-only (mode ${mode.toString(8).padStart(4, "0")}): ${command} does not replace it (make it writable, chmod u+w, if it should change)`;
}

import { loadAll } from "../io.js";

/** `validate FILE…`: exit 0 when every file is valid; problems are thrown as one InputError. */
export function validateCommand(files: readonly string[]): string {
  const loaded = loadAll(files);
  return loaded.map((l) => `${l.file}: valid (${l.scenario.name})`).join("\n") + "\n";
}

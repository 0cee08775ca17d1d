import { scenarioJsonSchema } from "../../scenario/schema.js";
import { UsageError } from "../errors.js";

export interface SchemaOptions {
  /** The JSON Schema of `run --format json` instead of the scenario format's. */
  trace?: boolean;
  /** The JSON Schema of `compare --format json`. */
  compare?: boolean;
}

export async function schemaCommand(o: SchemaOptions = {}): Promise<string> {
  if (o.trace && o.compare) throw new UsageError("schema: give --trace or --compare, not both");
  if (!o.trace && !o.compare) return JSON.stringify(scenarioJsonSchema(), null, 2) + "\n";
  // Loaded only here: building the output's zod description is start-up time no other command needs.
  const { compareJsonSchema, traceJsonSchema } = await import("../../render/trace-schema.js");
  return JSON.stringify(o.trace ? traceJsonSchema() : compareJsonSchema(), null, 2) + "\n";
}

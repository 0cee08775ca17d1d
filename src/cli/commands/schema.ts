import { compareJsonSchema, traceJsonSchema } from "../../render/trace-schema.js";
import { scenarioJsonSchema } from "../../scenario/schema.js";
import { UsageError } from "../errors.js";

export interface SchemaOptions {
  /** The JSON Schema of `run --format json` instead of the scenario format's. */
  trace?: boolean;
  /** The JSON Schema of `compare --format json`. */
  compare?: boolean;
}

export function schemaCommand(o: SchemaOptions = {}): string {
  if (o.trace && o.compare) throw new UsageError("schema: give --trace or --compare, not both");
  const schema = o.trace ? traceJsonSchema() : o.compare ? compareJsonSchema() : scenarioJsonSchema();
  return JSON.stringify(schema, null, 2) + "\n";
}

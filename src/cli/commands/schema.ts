import { scenarioJsonSchema } from "../../scenario/schema.js";
import { UsageError } from "../errors.js";

export interface SchemaOptions {
  /** The JSON Schema of `run --format json` instead of the scenario format's. */
  trace?: boolean;
  /** The JSON Schema of `compare --format json`. */
  compare?: boolean;
  /** The JSON Schema of `explore --format json`. */
  explore?: boolean;
}

export async function schemaCommand(o: SchemaOptions = {}): Promise<string> {
  const asked = (["trace", "compare", "explore"] as const).filter((k) => o[k]);
  if (asked.length > 1) throw new UsageError(`schema: give one of --trace, --compare, --explore, not ${asked.map((k) => `--${k}`).join(" and ")}`);
  if (asked.length === 0) return JSON.stringify(scenarioJsonSchema(), null, 2) + "\n";
  // Loaded only here: building the output's zod description is start-up time no other command needs.
  const { compareJsonSchema, exploreJsonSchema, traceJsonSchema } = await import("../../render/trace-schema.js");
  const schema = o.trace ? traceJsonSchema() : o.compare ? compareJsonSchema() : exploreJsonSchema();
  return JSON.stringify(schema, null, 2) + "\n";
}

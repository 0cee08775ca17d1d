import { scenarioJsonSchema } from "../../scenario/schema.js";

export function schemaCommand(): string {
  return JSON.stringify(scenarioJsonSchema(), null, 2) + "\n";
}

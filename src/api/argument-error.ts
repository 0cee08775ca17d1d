// The one error the library's checked functions throw for a bad argument:
// a caller's mistake, told apart from the tool's own errors (TraceTooLarge,
// TooManySchedules, MergeError) by its class, and named precisely.
import { quoteString } from "../scenario/numbers.js";

/**
 * Thrown by a function of the package root when an argument is not what it
 * takes: the wrong type, a missing or unknown option, a number out of range,
 * a scenario that `loadScenario` would refuse. Nothing has run when it is
 * thrown.
 *
 * @example
 * try {
 *   explore(scenario, { depth: 0, strategy: "none" });
 * } catch (e) {
 *   if (!(e instanceof ArgumentError)) throw e;
 *   e.message;  // "explore: options.depth must be an integer from 1 to 3, got 0"
 *   e.functionName; // "explore"
 *   e.argument; // "options.depth"
 *   e.expected; // "an integer from 1 to 3"
 * }
 */
export class ArgumentError extends TypeError {
  override readonly name = "ArgumentError";

  constructor(
    /** The function called: `explore`. */
    readonly functionName: string,
    /** The argument, as a path from the parameter's name: `options.depth`, `scenario.machine.cpus`, `traces[0].file`. */
    readonly argument: string,
    /** What it takes: `an integer from 1 to 3`. */
    readonly expected: string,
    message: string,
  ) {
    super(message);
  }
}

/** The value as a message shows it: short, one line, its type plain (`undefined`, `"per-cpu-flag"`, `4096n`, `an array`). */
export function shown(value: unknown): string {
  switch (typeof value) {
    case "undefined":
      return "undefined";
    case "string":
      return quoteString(value);
    case "number":
    case "boolean":
      return String(value);
    case "bigint": {
      const text = value.toString();
      return `${text.length <= 40 ? text : `${text.slice(0, 20)}…${text.slice(-8)} (${text.length} digits)`}n`;
    }
    case "function":
      return "a function";
    case "symbol":
      return "a symbol";
    default:
      if (value === null) return "null";
      return Array.isArray(value) ? "an array" : "an object";
  }
}

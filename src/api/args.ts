// Checks of one call's arguments, each failure an ArgumentError naming the
// function, the argument's path and what it takes.
import { closest } from "../scenario/suggest.js";
import { ArgumentError, shown } from "./argument-error.js";

export type Obj = Record<string, unknown>;

export function isRecord(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export class Args {
  constructor(readonly fn: string) {}

  /** `fn: argument must be EXPECTED, got VALUE`. */
  fail(argument: string, expected: string, value: unknown, hint = ""): never {
    throw new ArgumentError(this.fn, argument, expected, `${this.fn}: ${argument} must be ${expected}, got ${shown(value)}${hint}`);
  }

  object(argument: string, value: unknown, what = "an object"): Obj {
    if (!isRecord(value)) this.fail(argument, what, value);
    return value;
  }

  /** An options object: only the keys it knows (a misspelt option would otherwise be ignored without a word). */
  options(argument: string, value: unknown, known: readonly string[], what = "an object"): Obj {
    const o = this.object(argument, value, what);
    for (const key of Object.keys(o)) {
      if (o[key] === undefined || known.includes(key)) continue;
      const near = closest(key, known);
      const expected = `one of the options ${known.join(", ")}`;
      throw new ArgumentError(this.fn, `${argument}.${key}`, expected, `${this.fn}: ${argument}.${key} is not an option (expected ${expected})${near !== undefined ? ` (did you mean "${near}"?)` : ""}`);
    }
    return o;
  }

  string(argument: string, value: unknown): string {
    if (typeof value !== "string") this.fail(argument, "a string", value);
    return value;
  }

  boolean(argument: string, value: unknown): boolean {
    if (typeof value !== "boolean") this.fail(argument, "true or false", value);
    return value;
  }

  /** A safe integer in [min, max] (NaN, 1.5 and Infinity are none). */
  integer(argument: string, value: unknown, min: number, max: number, what?: string): number {
    const expected = what ?? (max === Number.MAX_SAFE_INTEGER ? `an integer from ${min}` : `an integer from ${min} to ${max}`);
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) this.fail(argument, expected, value);
    return value;
  }

  /** One of a list of words, with a "did you mean" for a near miss. */
  oneOf<T extends string>(argument: string, value: unknown, words: readonly T[]): T {
    if (typeof value === "string" && (words as readonly string[]).includes(value)) return value as T;
    const near = typeof value === "string" ? closest(value, words) : undefined;
    return this.fail(argument, `one of ${words.join(", ")}`, value, near !== undefined ? ` (did you mean "${near}"?)` : "");
  }

  func(argument: string, value: unknown): void {
    if (typeof value !== "function") this.fail(argument, "a function", value);
  }

  array(argument: string, value: unknown, what = "an array"): readonly unknown[] {
    if (!Array.isArray(value)) this.fail(argument, what, value);
    return value;
  }

  /** An optional argument: checked only when given. */
  optional<T>(argument: string, value: unknown, check: (argument: string, value: unknown) => T): T | undefined {
    return value === undefined ? undefined : check(argument, value);
  }
}

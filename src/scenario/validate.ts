// Text to a validated scenario, or every problem with its file:line:col.
import type { z } from "zod";
import { parseYaml, uniqueProblems } from "./load.js";
import { isScalar } from "yaml";
import { describe, parseNumberText, quoteString, quoteText, shownNumber } from "./numbers.js";
import { nodeAt, offsetOf, problemAt, type KeyPath, type Problem } from "./problems.js";
import { checkRules, type RuleProblem } from "./rules.js";
import { repaired, trustworthy } from "./repair.js";
import { Scenario as ScenarioSchema, type ScenarioSpec, type ThreadSpec } from "./schema.js";
import { closest } from "./suggest.js";

/** A validated scenario: the schema's output, with the default thread filled in. */
export type Scenario = Omit<ScenarioSpec, "threads"> & { threads: ThreadSpec[] };

/** Where a key path of the file is (line and column from 1), for reports that point into it. */
export type Locate = (path: KeyPath) => { line: number; col: number };

export type LoadResult = { ok: true; scenario: Scenario; locate: Locate } | { ok: false; problems: Problem[] };

/** More problems than this in one file are summed up in one last line: a file with 300,000 unknown keys is not worth 300,000 lines. */
export const MAX_PROBLEMS = 100;

export function loadScenario(text: string, file: string): LoadResult {
  const loaded = loadEvery(text, file);
  // One line a problem, however many ways it was found.
  const r = loaded.ok ? loaded : { ok: false as const, problems: uniqueProblems(loaded.problems) };
  if (r.ok || r.problems.length <= MAX_PROBLEMS) return r;
  const next = r.problems[MAX_PROBLEMS] as Problem;
  const more = r.problems.length - MAX_PROBLEMS;
  return {
    ok: false,
    problems: [
      ...r.problems.slice(0, MAX_PROBLEMS),
      { file, line: next.line, col: next.col, path: [], message: `${more} more problem${more === 1 ? "" : "s"} from here on not shown (only the first ${MAX_PROBLEMS} of a file are)` },
    ],
  };
}

function loadEvery(text: string, file: string): LoadResult {
  const parsed = parseYaml(text, file);
  if (!parsed.ok) return parsed;
  const { doc, lines, data } = parsed;
  const at = (path: readonly (string | number)[], message: string, atKey = false) =>
    problemAt(file, lines, offsetOf(doc, path, atKey), path, message);

  const ruleAt = (p: RuleProblem) => at(p.path, p.atKey ? p.message : leadingNumberAsWritten(doc, p.path, p.message), p.atKey);
  // reportInput: the problems below look at what was found (a number as written, an empty file).
  const result = ScenarioSchema.safeParse(data, { error: messageFor, reportInput: true });
  if (!result.success) {
    const issues = result.error.issues;
    // A misspelt required key is one problem, not two: its "missing" twin is dropped.
    const suggested = new Set<string>();
    const problems = issues.flatMap((iss) => {
      const path = iss.path.map(pathKey);
      if (iss.code === "unrecognized_keys") {
        const messages = iss.message.split("\n");
        return iss.keys.map((key, i) => {
          const message = messages[i] ?? `unknown key "${key}"`;
          const near = /did you mean "([^"]+)"/.exec(message)?.[1];
          if (near !== undefined) suggested.add(JSON.stringify([...path, near]));
          return at([...path, key], message, true);
        });
      }
      if (iss.message.startsWith(MISSING) && path.length > 0) {
        if (suggested.has(JSON.stringify(path))) return [];
        const key = path[path.length - 1];
        return [at(path, `required key "${String(key)}" is missing${iss.message.slice(MISSING.length)}`)];
      }
      if (path.length === 0 && iss.code === "invalid_type") {
        const empty = iss.input === null || iss.input === undefined;
        return [at(path, empty ? "the file holds no scenario (expected a mapping with at least a name)" : `expected a scenario (a mapping with at least a name), got ${describe(iss.input)}`)];
      }
      const params = (iss as { params?: { number?: boolean } }).params;
      if (iss.code === "custom" && params?.number === true) return [at(path, asWritten(doc, path, iss.input, iss.message))];
      return [at(path, iss.message)];
    });
    const schemaProblems = problems.filter((p) => !(p.message.startsWith("required key") && suggested.has(JSON.stringify(p.path))));
    // The rules too, on the file with what the schema refused taken out (a file past the limit already says enough).
    const fixed = schemaProblems.length < MAX_PROBLEMS ? repaired(data, parseQuietly) : undefined;
    const rules = fixed ? trustworthy(checkRules(fixed.spec), fixed.out).map((p) => ruleAt(p)) : [];
    return { ok: false, problems: sortProblems([...schemaProblems, ...rules]) };
  }
  const spec = result.data;
  const ruleProblems = checkRules(spec);
  if (ruleProblems.length > 0) return { ok: false, problems: sortProblems(ruleProblems.map(ruleAt)) };
  const threads = spec.threads ?? [{ name: "main", cpu: 0, steps: [] }];
  return { ok: true, scenario: { ...spec, threads }, locate: (path) => lines.linePos(offsetOf(doc, path)) };
}

const MISSING = "required key is missing";

/** The schema's verdict without the messages (the repaired copy's own problems are not reported). */
function parseQuietly(data: unknown) {
  const r = ScenarioSchema.safeParse(data);
  return r.success ? { success: true as const, data: r.data } : { success: false as const, issues: r.error.issues };
}

/**
 * A number's message quotes the number as parsed (a bigint, a float); the
 * format promises the text as written (0x1_0000, .nan), which the document
 * still has.
 */
function asWritten(doc: Parameters<typeof nodeAt>[0], path: KeyPath, input: unknown, message: string): string {
  if (typeof input !== "bigint" && typeof input !== "number") return message;
  const node = nodeAt(doc, path);
  const shown = shownNumber(input);
  if (!isScalar(node) || typeof node.source !== "string" || !message.startsWith(shown)) return message;
  return quoteText(node.source) + message.slice(shown.length);
}

/** A rule's message that starts with the value at its path (`65536 does not fit u16`) shows it as written (`0x10000`). */
function leadingNumberAsWritten(doc: Parameters<typeof nodeAt>[0], path: KeyPath, message: string): string {
  const node = nodeAt(doc, path);
  if (!isScalar(node) || typeof node.source !== "string") return message;
  const value = typeof node.value === "bigint" ? node.value : typeof node.value === "string" ? parseNumberText(node.value) : undefined;
  if (value === undefined || !message.startsWith(`${value} `)) return message;
  const written = typeof node.value === "string" ? quoteString(node.value) : quoteText(node.source);
  return written + message.slice(String(value).length);
}

function pathKey(k: PropertyKey): string | number {
  return typeof k === "number" ? k : String(k);
}

function sortProblems(ps: Problem[]): Problem[] {
  return [...ps].sort((a, b) => a.line - b.line || a.col - b.col);
}

/** Plain messages for zod's built-in issues: what was expected, what was found. */
export function messageFor(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case "invalid_type":
      if (iss.input === undefined) return `${MISSING} (expected ${article(iss.expected)})`;
      return `expected ${article(iss.expected)}, got ${describe(iss.input)}`;
    case "invalid_value": {
      const options = iss.values.map((v) => String(v));
      const got = typeof iss.input === "string" ? iss.input : undefined;
      const near = got === undefined ? undefined : closest(got, options);
      const list = options.length === 1 ? JSON.stringify(options[0]) : `one of ${options.join(", ")}`;
      return `expected ${list}, got ${describe(iss.input)}${near ? ` (did you mean "${near}"?)` : ""}`;
    }
    case "too_small":
      if (iss.origin === "string" && iss.minimum === 1) return "must not be empty (expected at least one character)";
      return undefined;
    case "invalid_union":
      return `expected one of the forms allowed here, got ${describe(iss.input)}`;
    default:
      return undefined;
  }
}

function article(expected: string): string {
  const names: Record<string, string> = { object: "a mapping", array: "a list", string: "a string", boolean: "true or false", number: "a number", bigint: "an integer" };
  return names[expected] ?? expected;
}

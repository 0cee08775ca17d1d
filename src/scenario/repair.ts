// Every problem of a file in one pass (issue 21, point 9): the schema's problems
// stop the typed rules from running, so the rules run on a copy of the file with
// each part the schema refused taken out (its default, or its enclosing part
// taken out in turn), and only the rules that cannot depend on what was taken
// out are reported beside the schema's problems.
import type { KeyPath } from "./problems.js";
import type { RuleProblem } from "./rules.js";
import type { ScenarioSpec } from "./schema.js";

type Node = unknown;
type Parse = (data: unknown) => { success: true; data: ScenarioSpec } | { success: false; issues: readonly { code: string; path: readonly PropertyKey[]; keys?: readonly string[] }[] };

/** Rounds of taking out: each takes out a part or climbs one level, so a file needs few. */
const ROUNDS = 12;

/** What the rules of each top-level part read from the others (a part taken out there makes them unreliable). */
const READS: Record<string, readonly string[]> = {
  name: [],
  description: [],
  machine: [],
  memory: ["machine"],
  threads: ["machine"],
  events: ["machine", "memory", "threads"],
  races: ["machine", "memory", "threads"],
  explore: ["races", "threads"],
  expect: ["threads"],
};

function isMap(v: Node): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function get(root: Node, path: KeyPath): Node {
  let v: Node = root;
  for (const k of path) {
    if (Array.isArray(v) && typeof k === "number") v = v[k];
    else if (isMap(v)) v = v[String(k)];
    else return undefined;
  }
  return v;
}

/** The spec of the file with what the schema refused taken out, and the key paths taken out; undefined when that does not converge. */
export function repaired(data: unknown, parse: Parse): { spec: ScenarioSpec; out: KeyPath[] } | undefined {
  if (!isMap(data)) return undefined;
  const copy = structuredClone(data) as Record<string, unknown>;
  const out: KeyPath[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const r = parse(copy);
    if (r.success) return { spec: r.data, out };
    for (const iss of r.issues) {
      const path = iss.path.map((k) => (typeof k === "number" ? k : String(k)));
      // An unknown key is only dropped: nothing the rules read depended on it.
      if (iss.code === "unrecognized_keys") for (const k of iss.keys ?? []) remove(copy, [...path, k]);
      else if (!takeOut(copy, path, out)) return undefined;
    }
  }
  return undefined;
}

function remove(root: Node, path: KeyPath): void {
  const parent = get(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (isMap(parent) && last !== undefined) delete parent[String(last)];
}

/** Takes out the value at `path`, or (when it is missing or a list's element) the nearest enclosing key of a mapping. */
function takeOut(root: Record<string, unknown>, path: KeyPath, out: KeyPath[]): boolean {
  for (let p = path; p.length > 0; p = p.slice(0, -1)) {
    const parent = get(root, p.slice(0, -1));
    const last = p[p.length - 1] as string | number;
    if (isMap(parent) && typeof last === "string" && parent[last] !== undefined) {
      delete parent[last];
      out.push(p);
      return true;
    }
  }
  // The required name itself: a stand-in, so that the rest can be looked at.
  if (path[0] === "name" && root.name === undefined) {
    root.name = "-";
    out.push(["name"]);
    return true;
  }
  return false;
}

/** The rules that read nothing taken out: not inside, around or after a part taken out, nor in a part that reads one. */
export function trustworthy(rules: readonly RuleProblem[], out: readonly KeyPath[]): RuleProblem[] {
  const related = (a: KeyPath, b: KeyPath) => a.slice(0, Math.min(a.length, b.length)).every((k, i) => k === b[i]);
  return rules.filter((r) => {
    const part = String(r.path[0] ?? "");
    const reads = READS[part];
    if (reads === undefined) return out.length === 0;
    return !out.some((o) => related(o, r.path) || reads.includes(String(o[0])));
  });
}

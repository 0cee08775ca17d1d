// Judging one scenario against its golden trace: pure, so the flow is testable without files.
import { firstDifference, splitLines, unifiedDiff } from "./diff.js";

export type CaseStatus = "passed" | "failed" | "missing";

export interface CaseResult {
  /** The scenario path as the user gave or found it. */
  scenario: string;
  golden: string;
  status: CaseStatus;
  /** Unified diff golden → now, when they differ. */
  diff?: string;
  /** Where the first difference is, in words ("event 7 (thread main, step 1)"). */
  where?: string;
  /** Failed expectations, in words. */
  expectations: string[];
  /** The step where the first difference is, when it is in a step. */
  step?: { thread: string; step: number };
  /** Failed although the golden is not there yet: a violating class fails whether or not its outcome golden exists. */
  absent?: true;
}

/** A golden checked out with CRLF line endings is the same golden. */
export function normalizeGolden(text: string): string {
  return text.replace(/\r\n/g, "\n");
}

export function judge(scenario: string, golden: string, now: string, stored: string | undefined, failedExpectations: string[]): CaseResult {
  const base = { scenario, golden, expectations: failedExpectations };
  if (stored === undefined) return { ...base, status: "missing" };
  const old = normalizeGolden(stored);
  if (old === now) return { ...base, status: failedExpectations.length > 0 ? "failed" : "passed" };
  const name = golden.replace(/\\/g, "/");
  const where = locate(splitLines(old), splitLines(now));
  return {
    ...base,
    status: "failed",
    diff: unifiedDiff(old, now, `${name} (golden)`, `${name} (now)`),
    where: where.text,
    ...(where.step ? { step: where.step } : {}),
  };
}

const EVENT_ROW = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(\d+)\s/;

/** A row of a `run` action's operation: indented under a bar, or its closing run-result line. */
const IN_RUN_ROW = /\S {4}│ |\S {2}⇄ thread \S+'s /;

/** The thread whose step row `i` is part of, when row `i` belongs to a switched-in thread's operation. */
function interruptedThread(rows: readonly string[], i: number): string | undefined {
  if (!IN_RUN_ROW.test(rows[i] ?? "")) return undefined;
  for (let j = i - 1; j >= 0; j--) {
    const r = rows[j] ?? "";
    if (!IN_RUN_ROW.test(r)) return EVENT_ROW.exec(r)?.[3];
  }
  return undefined;
}

/** Names the first differing event (and its step) from the trace's table rows, or the section. */
function locate(old: string[], now: string[]): { text: string; step?: { thread: string; step: number } } {
  const i = firstDifference(old, now);
  const line = now[i] ?? old[i] ?? "";
  const rows = EVENT_ROW.test(now[i] ?? "") ? now : old;
  const row = EVENT_ROW.exec(rows[i] ?? "");
  if (row) {
    // An event of a thread switched in by `run` belongs to the step of the thread it interrupted.
    const owner = interruptedThread(rows, i);
    if (owner !== undefined && owner !== row[3])
      return { text: `event ${row[1]} (thread ${row[3]}, switched in during step ${row[4]} of thread ${owner})`, step: { thread: owner, step: Number(row[4]) } };
    return { text: `event ${row[1]} (thread ${row[3]}, step ${row[4]})`, step: { thread: row[3] ?? "", step: Number(row[4]) } };
  }
  const stepRow = /^\s+[✓✗ ] (\S+)#(\d+) /.exec(line);
  if (stepRow) return { text: `the result of step ${stepRow[2]} of thread ${stepRow[1]}`, step: { thread: stepRow[1] ?? "", step: Number(stepRow[2]) } };
  return { text: `line ${i + 1}` };
}

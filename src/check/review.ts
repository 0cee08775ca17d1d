// `check --review`: each golden --update would write, its diff, and the
// user's answer, one key at a time (as `cargo insta review`). Pure: the CLI
// feeds it keys and prints what it says; writing the accepted goldens is
// check's own --accept.
import { readOnlyMessage } from "./read-only.js";
import { unifiedDiff } from "./diff.js";
import { failureMessage } from "./junit.js";
import type { CaseResult } from "./golden.js";
import { diffRows } from "../render/diff.js";
import { palette } from "../render/colors.js";
import { printable as p } from "../scenario/printable.js";

/** A golden --update would write: one that differs or is missing, of a scenario whose expectations are met. */
export interface Change {
  scenario: string;
  golden: string;
  /** What the golden would become. */
  now: string;
  /** golden → now; for a new golden, every line added. */
  diff: string;
  /** Why it fails now, as the report says it. */
  message: string;
  isNew: boolean;
  /** The mode of a read-only golden: it is not replaced (--update refuses it too). */
  readOnly?: number;
}

export type Decision = "accepted" | "rejected" | "skipped";

export const PROMPT = "accept (a) / reject (r) / skip (s) / accept all remaining (A) / quit (q)? ";

/** Whether --update would write this golden: it differs or is missing, and no expectation (nor class) failed. */
export function reviewable(r: CaseResult): boolean {
  return r.status !== "passed" && (r.status === "missing" || r.diff !== undefined) && r.expectations.length === 0;
}

/** The change a reviewable result stands for; `readOnly`: the mode of a golden the user made read-only. */
export function changeOf(r: CaseResult, now: string, readOnly?: number): Change {
  const isNew = r.status === "missing";
  const name = r.golden.replace(/\\/g, "/");
  return {
    scenario: r.scenario,
    golden: r.golden,
    now,
    diff: isNew ? unifiedDiff("", now, `${name} (none yet)`, `${name} (now)`) : (r.diff ?? ""),
    message: isNew ? `no ${r.golden.endsWith(".outcomes") ? "outcome golden" : "golden trace"} ${r.golden} yet` : failureMessage(r),
    isNew,
    ...(readOnly !== undefined ? { readOnly } : {}),
  };
}

/** A review in progress: `start()` is the first screen, `press(key)` what each key makes it say, until it is done. */
export class Review {
  private index = 0;
  private readonly decided: Decision[] = [];
  private readonly c;

  constructor(
    readonly changes: readonly Change[],
    private readonly color: boolean,
  ) {
    this.c = palette(color);
  }

  get done(): boolean {
    return this.index >= this.changes.length;
  }

  /** The decision on each change, in order; those never reached are skipped. */
  decisions(): Decision[] {
    return this.changes.map((_, i) => this.decided[i] ?? "skipped");
  }

  accepted(): Change[] {
    const d = this.decisions();
    return this.changes.filter((_, i) => d[i] === "accepted");
  }

  start(): string {
    const n = this.changes.length;
    const fresh = this.changes.filter((c) => c.isNew).length;
    const kinds = [n - fresh > 0 ? `${n - fresh} changed` : "", fresh > 0 ? `${fresh} new` : ""].filter((s) => s !== "").join(", ");
    return `check --review: ${n} golden${n === 1 ? "" : "s"} to review (${kinds})\n` + this.screen();
  }

  /** What a key press makes the review say: the key echoed and the next screen, or a hint; "" for a key it ignores. */
  press(key: string): string {
    if (this.done) return "";
    const change = this.changes[this.index] as Change;
    switch (key) {
      case "a":
        if (change.readOnly !== undefined) return `a\n  not accepted: ${p(change.golden)} is ${readOnlyMessage(change.readOnly, "check")}\n${PROMPT}`;
        return this.decide("a", "accepted");
      case "r":
        return this.decide("r", "rejected");
      case "s":
        return this.decide("s", "skipped");
      case "A": {
        const said = ["A"];
        for (; !this.done; this.index++) {
          const c = this.changes[this.index] as Change;
          if (c.readOnly !== undefined) said.push(`  skipped ${p(c.golden)}: it is ${readOnlyMessage(c.readOnly, "check")}`);
          this.decided[this.index] = c.readOnly !== undefined ? "skipped" : "accepted";
        }
        return said.join("\n") + "\n";
      }
      // Quit, and the terminal's end of input and interrupt (raw mode sends them as keys): the rest is skipped.
      case "q":
      case "\x04":
      case "\x03":
        this.index = this.changes.length;
        return key === "q" ? "q\n" : "\n";
      case "\r":
      case "\n":
      case " ":
        return "";
      default:
        return `\n  a: accept, r: reject, s: skip, A: accept this and all remaining, q: quit (the rest skipped)\n${PROMPT}`;
    }
  }

  /** The last line: how many of each. */
  summary(): string {
    const d = this.decisions();
    const n = (x: Decision) => d.filter((y) => y === x).length;
    return `review: ${n("accepted")} accepted, ${n("rejected")} rejected, ${n("skipped")} skipped`;
  }

  private decide(key: string, decision: Decision): string {
    this.decided[this.index++] = decision;
    return `${key}\n` + (this.done ? "" : this.screen());
  }

  /** One change: where it stands among the others, its scenario, why it fails, its diff, and the prompt. */
  private screen(): string {
    const change = this.changes[this.index] as Change;
    const label = change.golden.endsWith(".outcomes") ? `${change.scenario} (outcomes)` : change.scenario;
    const head = `${this.c.bold(`[${this.index + 1}/${this.changes.length}]`)} ${p(label)}: ${p(change.message)}`;
    const ro = change.readOnly !== undefined ? [`  ${this.c.warn("read-only")}: ${p(change.golden)} is ${readOnlyMessage(change.readOnly, "check")}`] : [];
    return ["", head, ...diffRows(change.diff, this.color), ...ro, PROMPT].join("\n");
  }
}

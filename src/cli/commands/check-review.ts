// `check --review`: on a terminal, each golden --update would write is shown
// with its diff and accepted, rejected or skipped, one key at a time (as
// `cargo insta review`). The accepted ones are then written by check's own
// --accept (the same writer and refusals); the report that follows is
// check's, and its exit code that of the goldens still failing.
import { emitKeypressEvents } from "node:readline";
import { Review } from "../../check/review.js";
import { UsageError } from "../errors.js";
import { checkCommand, type CheckDone, type CheckOptions } from "./check.js";

/** The terminal the review is held on. */
export interface Terminal {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
  /** Clears check's progress line before the first screen. */
  clear?: () => void;
}

export async function reviewCommand(paths: readonly string[], o: CheckOptions, t: Terminal): Promise<CheckDone> {
  if (o.update) throw new UsageError("--review asks about each golden, --update writes them all: give one of the two");
  if ((o.accept ?? []).length > 0) throw new UsageError("--review asks about each golden, --accept names those to write: give one of the two");
  if (t.input.isTTY !== true || t.output.isTTY !== true)
    throw new UsageError(
      "--review asks about each golden on a terminal, and standard input and output are not both one: name the goldens to write with --accept PATH (repeatable), or write them all with --update",
    );
  const first = checkCommand(paths, { ...o, plan: true });
  const plan = first.plan;
  t.clear?.();
  if (plan === undefined || plan.changes.length === 0) return { ...first, stdout: `${first.stdout}review: no golden differs or is missing: nothing to review\n` };
  const review = new Review(plan.changes, o.color);
  // The terminal is raw before the first prompt: a key pressed early is not echoed by the terminal at a random place.
  await keys(
    t.input,
    () => t.output.write(review.start()),
    (key) => {
      t.output.write(review.press(key));
      return review.done;
    },
  );
  t.output.write("\n");
  const accepted = review.accepted();
  const last = checkCommand(paths, { ...o, plan: false, reuse: plan.prepared, accept: accepted.map((c) => c.golden) });
  return { ...last, stdout: `${last.stdout}${review.summary()}\n` };
}

/** Puts the terminal in raw mode, calls `ready`, then feeds each key pressed to `take` until it says it is done, or the input ends (then as q would). */
function keys(input: NodeJS.ReadStream, ready: () => void, take: (key: string) => boolean): Promise<void> {
  return new Promise((resolve) => {
    emitKeypressEvents(input);
    const raw = input.isRaw;
    input.setRawMode(true);
    ready();
    const finish = () => {
      input.off("keypress", onKey);
      input.off("end", onEnd);
      input.setRawMode(raw);
      input.pause();
      resolve();
    };
    const onKey = (str: string | undefined, key: { sequence?: string } | undefined) => {
      if (take(str ?? key?.sequence ?? "")) finish();
    };
    const onEnd = () => {
      take("\x04");
      finish();
    };
    input.on("keypress", onKey);
    input.on("end", onEnd);
    input.resume();
  });
}

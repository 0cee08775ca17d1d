// Typed errors thrown by commands; main.ts alone turns them into exit codes.
import { formatProblem, type Problem } from "../scenario/problems.js";

/** Exit 2: the input or the command line is wrong. */
export class InputError extends Error {
  /** `stdout`: what to print beside the problems (GitHub annotations), if anything. */
  constructor(
    readonly problems: readonly Problem[],
    readonly stdout = "",
  ) {
    super(problems.map(formatProblem).join("\n"));
  }
}

/** Exit 2: a command-line mistake with no file position. */
export class UsageError extends Error {}

/** Exit 1: the run worked and its output is printed, but something it checks failed. */
export class CheckFailed extends Error {
  constructor(readonly summary: string) {
    super(summary);
  }
}

/** Exit 4: the output (standard output, a golden, the report) could not be written: a full disk, a failing device. */
export class OutputError extends Error {}

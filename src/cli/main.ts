declare const AXPTR_SIM_VERSION: string | undefined;

// commander wiring, and the one place that maps errors to exit codes and exits.
import { Command, CommanderError, Option } from "commander";
import { STRATEGIES } from "../scenario/schema.js";
import { formatProblem, type Problem } from "../scenario/problems.js";
import { CheckFailed, InputError, UsageError } from "./errors.js";
import { useColor } from "./io.js";
import { runCommand, type Format } from "./commands/run.js";
import { validateCommand } from "./commands/validate.js";
import { schemaCommand } from "./commands/schema.js";
import { checkCommand, DEFAULT_FOLDER } from "./commands/check.js";
import { compareCommand } from "./commands/compare.js";
import { exploreCommand, mergeCommand } from "./commands/explore.js";
import { progressLine } from "./progress.js";
import { reportCommand } from "./commands/report.js";

import type { StrategyName } from "../sim/simulate.js";

/** What a command leaves to print, and how it ended (`problems`: input problems reported after the output, exit 2). */
type Done = { stdout?: string | Iterable<string>; stderr?: string; failed?: CheckFailed; problems?: readonly Problem[] };

function program(done: (d: Done) => void): Command {
  const p = new Command("axptr-sim")
    .description("Simulates axptr's context-aware page-fault handling, step by step.")
    .version(typeof AXPTR_SIM_VERSION === "string" ? AXPTR_SIM_VERSION : "dev")
    .exitOverride()
    .showSuggestionAfterError(true)
    .showHelpAfterError("(axptr-sim --help lists the commands; axptr-sim help COMMAND shows its options)")
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: (s, write) => write(prefixed(s)) });

  const strategyOption = () =>
    new Option("--strategy <name>", "override the file's machine.strategy").choices(STRATEGIES as unknown as string[]);

  p.command("run")
    .description("run scenarios and print their traces (exit 1 if an expectation failed)")
    .argument("<path...>", "scenario files, or folders of them (- for standard input)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "ndjson", "mermaid"]).default("text"))
    .addOption(strategyOption())
    .option("--quiet", "text: only the step results and the summary", false)
    .option("--replay <token>", "run the schedule of an explore witness (its races fire where the token says)")
    .option("--fences", "mermaid: each diagram in a Markdown ```mermaid code fence", false)
    .option("--no-color", "never colour the output")
    .action((files: string[], o: { format: Format; strategy?: StrategyName; quiet: boolean; fences: boolean; replay?: string; color: boolean }) => {
      const { replay, ...rest } = o;
      const r = runCommand(files, { ...rest, ...(replay !== undefined ? { replay } : {}), color: useColor(o.color) });
      done({ stdout: r.output, ...(r.failed ? { failed: r.failed } : {}) });
    });

  p.command("validate")
    .description("check scenario files without running them (exit 2 on any problem)")
    .argument("<path...>", "scenario files, or folders of them (- for standard input)")
    .action((paths: string[]) => done(validateCommand(paths)));

  p.command("check")
    .description("compare each scenario's trace with its golden .trace file")
    .argument("[path...]", "scenario files (.yaml, .yml) or folders, searched recursively", [DEFAULT_FOLDER])
    .option("--update", "write goldens that are missing or differ (the only way a golden is written)", false)
    .option("--strict", "fail on obsolete goldens (a .trace whose scenario is gone)", false)
    .addOption(new Option("--reporter <name>", "human, or junit (with --output)").choices(["human", "junit"]).default("human"))
    .option("--output <file>", "where the junit reporter writes")
    .option("--no-color", "never colour the output")
    .action((paths: string[], o: { update: boolean; strict: boolean; reporter: "human" | "junit"; output?: string; color: boolean }) => {
      const r = checkCommand(paths, { ...o, color: useColor(o.color), ci: isSet(process.env.CI), github: isSet(process.env.GITHUB_ACTIONS) });
      done(r);
    });

  p.command("compare")
    .description("run one scenario under several strategies, side by side (exit 0; 2 for a bad file or option)")
    .argument("<file>", "scenario file (- for standard input)")
    .option("--strategies <list>", "comma-separated strategies", STRATEGIES.join(","))
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--no-color", "never colour the output")
    .action((file: string, o: { strategies: string; format: "text" | "json"; color: boolean }) => {
      done({ stdout: compareCommand(file, { ...o, color: useColor(o.color) }) });
    });

  p.command("explore")
    .description("run the scenario once for every way its races can fire; one line per outcome class (exit 1 if one violates explore.never or hazards)")
    .argument("<file...>", "the scenario file (- for standard input); with --merge, the shards' JSON files")
    .option("--depth <n>", "how many races may fire in one run: 1, 2 or 3 (default: explore.depth, else 1)")
    .option("--strategy <name>", `override the file's machine.strategy: ${STRATEGIES.join(", ")}, or all`)
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--shard <I/N>", "only the schedules whose position is I-1 modulo N (for CI matrices; merge with --merge)")
    .option("--max-schedules <n>", "refuse, before starting, an exploration of more schedules than this", "2000000")
    .option("--workers <n>", "threads for a large exploration (default: every core; 1: no worker threads); the output is the same")
    .option("--merge", "merge the JSON of all N shards of one exploration into the whole result", false)
    .option("--no-color", "never colour the output")
    .action(
      (
        files: string[],
        o: { depth?: string; strategy?: string; format: "text" | "json"; shard?: string; maxSchedules: string; workers?: string; merge: boolean; color: boolean },
      ) => {
        if (o.merge) return done(mergeCommand(files));
        const progress = process.stderr.isTTY === true ? progressLine(process.stderr) : undefined;
        try {
          done(exploreCommand(files, { ...o, color: useColor(o.color), ...(progress ? { progress: progress.update } : {}) }));
        } finally {
          progress?.clear();
        }
      },
    );

  p.command("report")
    .description("write one self-contained HTML report of scenarios: summary, memory map, state timeline, steps, trace")
    .argument("<file...>", "scenario files (- for standard input)")
    .requiredOption("-o, --output <file>", "the HTML file to write (- for standard output)")
    .option("--force", "replace --output even when it is not an earlier axptr-sim report", false)
    .addOption(strategyOption())
    .action((files: string[], o: { output: string; force: boolean; strategy?: StrategyName }) => done(reportCommand(files, o)));

  p.command("schema")
    .description("print the JSON Schema of the scenario format (--trace: of run's JSON output; --compare: of compare's)")
    .option("--trace", "the JSON Schema of run --format json (axptr-sim-trace/1)", false)
    .option("--compare", "the JSON Schema of compare --format json (axptr-sim-compare/1)", false)
    .action(async (o: { trace: boolean; compare: boolean }) => done({ stdout: await schemaCommand(o) }));
  return p;
}

/** commander's own errors ("error: unknown option") carry the one prefix of every error of the tool. */
function prefixed(message: string): string {
  return message.replace(/^error: /, "axptr-sim: ");
}

function isSet(v: string | undefined): boolean {
  return v !== undefined && v !== "" && v !== "0" && v !== "false";
}

/** Runs the CLI and returns the exit code; the shim's process exits with it. */
export async function main(argv: readonly string[]): Promise<number> {
  // A reader that stops early (`| head`) closes the pipe: stop writing, quietly, as other tools do.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });
  let result: Done = {};
  try {
    await program((d) => (result = d)).parseAsync([...argv], { from: "user" });
  } catch (e) {
    return report(e);
  }
  if (result.stdout) await write(result.stdout);
  if (result.stderr) process.stderr.write(result.stderr);
  const problems = result.problems ?? [];
  const invalid = problems.length > 0;
  if (invalid) process.stderr.write(problems.map(formatProblem).join("\n") + "\n");
  // An empty summary: the command's output already says why (explore's violating classes).
  if (result.failed && result.failed.summary !== "") process.stderr.write(`axptr-sim: ${result.failed.summary}\n`);
  return invalid ? 2 : result.failed ? 1 : 0;
}

/** Writes piece by piece (long strings in slices): a trace of hundreds of megabytes is never copied into one buffer. */
async function write(output: string | Iterable<string>): Promise<void> {
  const SLICE = 1 << 20;
  for (const piece of typeof output === "string" ? [output] : output) {
    for (let i = 0; i < piece.length; i += SLICE) {
      // A slow reader (a pipe) is waited for: a trace of hundreds of megabytes is never queued whole in memory.
      if (!process.stdout.write(piece.length <= SLICE ? piece : piece.slice(i, i + SLICE))) await drained();
    }
  }
}

/** Resolves when standard output has room again (or is gone: a closed pipe stops the writes elsewhere). */
function drained(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => (process.stdout.off("drain", done), process.stdout.off("close", done), resolve());
    process.stdout.on("drain", done);
    process.stdout.on("close", done);
  });
}

function report(e: unknown): number {
  if (e instanceof CommanderError) {
    // Help and version are successes; every other commander error is a usage mistake (it has printed its message).
    // commander's own exit code is 0 for --help, `help CMD` and --version; a bare `axptr-sim`
    // (no command) shows the help as a mistake, and that is a command-line problem: exit 2.
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof InputError) {
    if (e.stdout) process.stdout.write(e.stdout);
    process.stderr.write(e.problems.map(formatProblem).join("\n") + "\n");
    return 2;
  }
  if (e instanceof UsageError) {
    process.stderr.write(`axptr-sim: ${e.message}\n`);
    return 2;
  }
  const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.stderr.write(`axptr-sim: internal error (a bug; please report it with the scenario):\n${detail}\n`);
  return 3;
}

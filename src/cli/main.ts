declare const AXPTR_SIM_VERSION: string | undefined;

// commander wiring, and the one place that maps errors to exit codes and exits.
import { Command, CommanderError, Option } from "commander";
import { ALL_STRATEGIES, STRATEGIES } from "../scenario/schema.js";
import { KERNELS, type KernelName } from "../scenario/kernels.js";
import { formatProblem, type Problem } from "../scenario/problems.js";
import { CheckFailed, InputError, OutputError, UsageError } from "./errors.js";
import { reasonOf } from "./files.js";
import { printable } from "../scenario/printable.js";
import { isClosedPipe, Sink } from "./output.js";
import { useColor } from "./io.js";
import { runCommand, type Format } from "./commands/run.js";
import { validateCommand } from "./commands/validate.js";
import { schemaCommand } from "./commands/schema.js";
import { checkCommand, DEFAULT_FOLDER } from "./commands/check.js";
import { reviewCommand } from "./commands/check-review.js";
import { compareCommand } from "./commands/compare.js";
import { exploreCommand, mergeCommand } from "./commands/explore.js";
import { progressLine } from "./progress.js";
import { reportCommand } from "./commands/report.js";
import { PICTURES, type Picture } from "./commands/report-svg.js";
import { WorkerDied } from "../workers/pool.js";

import type { StrategyName } from "../sim/simulate.js";

/** What a command leaves to print, and how it ended (`problems`: input problems reported after the output, exit 2). */
type Done = { stdout?: string | Iterable<string>; stderr?: string; failed?: CheckFailed; problems?: readonly Problem[] };

/** Where commander prints its help and its messages. */
type Said = { out: (s: string) => void; err: (s: string) => void };

function program(done: (d: Done) => void, said: Said): Command {
  const p = new Command("axptr-sim")
    .description("Simulates axptr's context-aware page-fault handling, step by step.")
    .version(typeof AXPTR_SIM_VERSION === "string" ? AXPTR_SIM_VERSION : "dev")
    .exitOverride()
    .showSuggestionAfterError(true)
    .showHelpAfterError("(axptr-sim --help lists the commands; axptr-sim help COMMAND shows its options)")
    .configureOutput({ writeOut: said.out, writeErr: said.err, outputError: (s, write) => write(prefixed(s)) });

  const strategyOption = () =>
    new Option("--strategy <name>", "override the file's machine.strategy").choices(ALL_STRATEGIES as unknown as string[]);
  const kernelOption = () =>
    new Option("--kernel <name>", "override the file's machine.kernel (a starry-* one also sets the strategy and lock)").choices(KERNELS as unknown as string[]);

  p.command("run")
    .description("run scenarios and print their traces (exit 1 if an expectation failed)")
    .argument("<path...>", "scenario files, or folders of them (- for standard input)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "ndjson", "mermaid"]).default("text"))
    .addOption(strategyOption())
    .addOption(kernelOption())
    .option("--quiet", "text: only the step results and the summary", false)
    .option("--replay <token>", "run the schedule of an explore witness (its races fire where the token says)")
    .option("--explain", "say why each failing region check, page check and populate failed (no area, no permission, no free frame)", false)
    .option("--allow-unfired", "--replay: run a token some of whose pairs the run never reaches (those races unfired) instead of refusing it", false)
    .option("--fences", "mermaid: each diagram in a Markdown ```mermaid code fence", false)
    .option("--no-color", "never colour the output")
    .action((files: string[], o: { format: Format; strategy?: StrategyName; kernel?: KernelName; quiet: boolean; fences: boolean; replay?: string; allowUnfired: boolean; explain: boolean; color: boolean }) => {
      const { replay, ...rest } = o;
      const r = runCommand(files, { ...rest, ...(replay !== undefined ? { replay } : {}), color: useColor(o.color) });
      done({ stdout: r.output, ...(r.stderr !== undefined ? { stderr: r.stderr } : {}), ...(r.failed ? { failed: r.failed } : {}) });
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
    .option("--accept <path>", "write the golden of this scenario (or this golden) as --update would, and no other; repeatable", (g: string, all: string[]) => [...all, g], [] as string[])
    .option("--prune", "with --update: remove obsolete goldens (a .trace or .outcomes whose scenario is gone), listing them", false)
    .option("--review", "on a terminal: show each golden that differs or is missing, and accept, reject or skip it (a, r, s; A: all remaining; q: quit)", false)
    .option("--exclude <glob>", "scenario paths not to check (`*`, `?`, `**`; a glob without / names files in any folder; repeatable)", (g: string, all: string[]) => [...all, g], [] as string[])
    .option("--pass-with-no-scenarios", "pass when no scenario is found (by default a check of nothing fails)", false)
    .addOption(new Option("--reporter <name>", "human, or junit (with --output)").choices(["human", "junit"]).default("human"))
    .option("--output <file>", "where the junit reporter writes")
    .option("--force", "let --output replace a file that is not an earlier JUnit report of check", false)
    .option("--max-schedules <n>", "refuse a file whose races need more schedules than this (default: its explore.max_schedules, else 2000000)")
    .option("--max-duration <seconds>", "stop a file's exploration that runs longer than this (exit 2; default: no limit)")
    .option("--no-color", "never colour the output")
    .action(async (paths: string[], o: { update: boolean; strict: boolean; prune: boolean; review: boolean; accept: string[]; exclude: string[]; passWithNoScenarios: boolean; reporter: "human" | "junit"; output?: string; force: boolean; maxSchedules?: string; maxDuration?: string; color: boolean }) => {
      // A progress line on a terminal's standard error only, cleared before the report is printed.
      const progress = process.stderr.isTTY === true ? progressLine(process.stderr) : undefined;
      try {
        const { review, ...rest } = o;
        const options = { ...rest, color: useColor(o.color), ci: isSet(process.env.CI), github: isSet(process.env.GITHUB_ACTIONS), ...(progress ? { progress } : {}) };
        if (!review) return done(checkCommand(paths, options));
        done(await reviewCommand(paths, options, { input: process.stdin, output: process.stdout, ...(progress ? { clear: progress.clear } : {}) }));
      } finally {
        progress?.clear();
      }
    });

  p.command("compare")
    .description("run one scenario under several strategies, side by side (exit 0; 2 for a bad file or option)")
    .argument("<file>", "scenario file (- for standard input)")
    .option("--strategies <list>", `comma-separated strategies (default: ${STRATEGIES.join(",")}, and global-flag when a kernel is named)`)
    .option("--kernel <name>", `a kernel to compare the strategies under (${KERNELS.join(", ")}), or all: the kernels side by side`)
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--no-color", "never colour the output")
    .action((file: string, o: { strategies?: string; kernel?: string; format: "text" | "json"; color: boolean }) => {
      done(compareCommand(file, { ...o, color: useColor(o.color) }));
    });

  p.command("explore")
    .description("run the scenario once for every way its races can fire; one line per outcome class (exit 1 if one violates explore.never or hazards)")
    .argument("<file...>", "the scenario file (- for standard input); with --merge, the shards' JSON files")
    .option("--depth <n>", "how many races may fire in one run: 1, 2 or 3 (default: explore.depth, else 1)")
    .option("--strategy <name>", `override the file's machine.strategy: ${STRATEGIES.join(", ")}, or all`)
    .option("--kernel <name>", `override the file's machine.kernel: ${KERNELS.join(", ")}, or all`)
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--shard <I/N>", "only the schedules whose position is I-1 modulo N (for CI matrices; merge with --merge)")
    .option("--max-schedules <n>", "refuse, before starting, an exploration of more schedules than this (default: explore.max_schedules, else 2000000)")
    .option("--max-duration <seconds>", "stop an exploration that runs longer than this, saying how far it got (exit 2; default: no limit)")
    .option("--workers <n>", "threads for a large exploration (default: every core; 1: no worker threads); the output is the same")
    .option("--merge", "merge the JSON of all N shards of one exploration into the whole result", false)
    .option("--no-color", "never colour the output")
    .action(
      (
        files: string[],
        o: { depth?: string; strategy?: string; kernel?: string; format: "text" | "json"; shard?: string; maxSchedules?: string; maxDuration?: string; workers?: string; merge: boolean; color: boolean },
        cmd: Command,
      ) => {
        if (o.merge) {
          // What --merge does not use is refused, not ignored: each shard was explored with its own options.
          const unused = MERGE_IGNORES.filter((k) => cmd.getOptionValueSource(k) === "cli");
          if (unused.length > 0)
            throw new UsageError(`explore --merge: ${unused.map(flag).join(", ")} ${unused.length === 1 ? "is" : "are"} not used by a merge (give ${unused.length === 1 ? "it" : "them"} to each shard's explore); --merge takes --format and --no-color`);
          return done(mergeCommand(files, { format: o.format, color: useColor(o.color) }));
        }
        const progress = process.stderr.isTTY === true ? progressLine(process.stderr) : undefined;
        try {
          done(exploreCommand(files, { ...o, color: useColor(o.color), ...(progress ? { progress: progress.update, states: progress.states } : {}) }));
        } finally {
          progress?.clear();
        }
      },
    );

  p.command("report")
    .description("write one self-contained HTML report of scenarios: summary, memory map, state timeline, steps, trace")
    .argument("<file...>", "scenario files (- for standard input)")
    .option("-o, --output <file>", "the HTML file to write (- for standard output); with --svg, the SVG file (standard output without it)")
    .addOption(new Option("--svg <picture>", "write one picture alone as a standalone SVG, for slides: timeline or memory (of one file)").choices(PICTURES as unknown as string[]))
    .option("--force", "replace --output even when it is not an earlier axptr-sim report", false)
    .addOption(strategyOption())
    .addOption(kernelOption())
    .option("--max-schedules <n>", "refuse a file whose races need more schedules than this (default: its explore.max_schedules, else 2000000)")
    .option("--max-duration <seconds>", "stop the exploration of a file's races that runs longer than this (exit 2; default: no limit)")
    .action((files: string[], o: { output?: string; svg?: Picture; force: boolean; strategy?: StrategyName; kernel?: KernelName; maxSchedules?: string; maxDuration?: string }) => done(reportCommand(files, o)));

  p.command("schema")
    .description("print the JSON Schema of the scenario format (--trace: of run's JSON output; --compare: of compare's; --explore: of explore's)")
    .option("--trace", "the JSON Schema of run --format json (axptr-sim-trace/1)", false)
    .option("--compare", "the JSON Schema of compare --format json (axptr-sim-compare/1)", false)
    .option("--explore", "the JSON Schema of explore --format json (axptr-sim-explore/1)", false)
    .action(async (o: { trace: boolean; compare: boolean; explore: boolean }) => done({ stdout: await schemaCommand(o) }));
  return p;
}

/** The options of explore that a merge does not use (each shard used them). */
const MERGE_IGNORES = ["depth", "strategy", "kernel", "shard", "maxSchedules", "maxDuration", "workers"] as const;

/** An option's name as the user wrote it: maxSchedules is --max-schedules. */
function flag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** commander's own errors ("error: unknown option") carry the one prefix of every error of the tool. */
function prefixed(message: string): string {
  // An argument it quotes may hold a newline and a workflow command: each line made printable.
  return message
    .replace(/^error: /, "axptr-sim: ")
    .split("\n")
    .map(printable)
    .join("\n");
}

function isSet(v: string | undefined): boolean {
  return v !== undefined && v !== "" && v !== "0" && v !== "false";
}

/** Runs the CLI and returns the exit code; the shim's process exits with it. */
export async function main(argv: readonly string[]): Promise<number> {
  const stdout = new Sink(() => process.stdout);
  const stderr = new Sink(() => process.stderr);
  const help: string[] = [];
  let result: Done = {};
  let ended: Ended;
  try {
    await program((d) => (result = d), { out: (s) => help.push(s), err: (s) => stderr.writeNow(s) }).parseAsync([...argv], { from: "user" });
    // Problems of files a command went on past (check, validate) come after its output, and make it exit 2.
    const problems = result.problems ?? [];
    const said = problems.length > 0 ? problems.map(formatProblem).join("\n") + "\n" : "";
    // An empty summary: the command's output already says why (explore's violating classes).
    const summary = result.failed && result.failed.summary !== "" ? `axptr-sim: ${result.failed.summary}\n` : "";
    ended = { code: problems.length > 0 ? 2 : result.failed ? 1 : 0, stdout: result.stdout, stderr: (result.stderr ?? "") + said + summary };
  } catch (e) {
    ended = report(e);
  }
  try {
    await stdout.write(help);
    // Output may be made while it is written (a trace is rendered chunk by chunk): its errors are mapped here too.
    if (ended.stdout) await stdout.write(ended.stdout);
  } catch (e) {
    ended = report(e);
  }
  if (ended.stderr) stderr.writeNow(ended.stderr);
  // Output that could not be written is a failure of its own, whatever the run found (a reader that stopped early is not).
  const lost = stdout.failed;
  if (lost && !isClosedPipe(lost)) {
    stderr.writeNow(`axptr-sim: cannot write the output to standard output: ${reasonOf(lost)}\n`);
    return 4;
  }
  return ended.code;
}

/** How a command ended: its exit code, and what is left to print. */
type Ended = { code: number; stdout?: string | Iterable<string>; stderr?: string };

function report(e: unknown): Ended {
  if (e instanceof CommanderError) {
    // Help and version are successes; every other commander error is a usage mistake (it has printed its message).
    // commander's own exit code is 0 for --help, `help CMD` and --version; a bare `axptr-sim`
    // (no command) shows the help as a mistake, and that is a command-line problem: exit 2.
    return { code: e.exitCode === 0 ? 0 : 2 };
  }
  if (e instanceof InputError) return { code: 2, stdout: e.stdout, stderr: e.problems.map(formatProblem).join("\n") + "\n" };
  // A message names the user's files and names: one line, nothing a terminal or a CI log would obey (printable.ts).
  if (e instanceof UsageError) return { code: 2, stderr: `axptr-sim: ${printable(e.message)}\n` };
  if (e instanceof OutputError) return { code: 4, stderr: `axptr-sim: ${printable(e.message)}\n` };
  // A worker thread that ran out of memory met work too large for the machine, not a bug; one that died otherwise is a bug. One line either way.
  if (e instanceof WorkerDied)
    return e.outOfMemory
      ? { code: 2, stderr: `axptr-sim: ${printable(e.message)}: the work is too large for the memory a thread has; narrow it, or use fewer threads (explore --workers 1; check: AXPTR_SIM_CHECK_THREADS=1)\n` }
      : { code: 3, stderr: `axptr-sim: internal error (a bug; please report it with the scenario): ${printable(e.message.split("\n")[0] ?? "")}\n` };
  // A file the system refused that no command turned into a problem of its own is still the user's file, not a bug.
  const sys = e as NodeJS.ErrnoException;
  if (sys instanceof Error && typeof sys.code === "string" && typeof sys.syscall === "string" && typeof sys.path === "string")
    return { code: 2, stderr: `axptr-sim: ${printable(`${sys.path}: cannot ${sys.syscall}: ${reasonOf(sys)}`)}\n` };
  // A bug's message may quote a name: its lines are made printable too.
  const detail = (e instanceof Error ? (e.stack ?? e.message) : String(e)).split("\n").map(printable).join("\n");
  return { code: 3, stderr: `axptr-sim: internal error (a bug; please report it with the scenario):\n${detail}\n` };
}

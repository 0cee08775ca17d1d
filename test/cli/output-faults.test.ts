// Output that cannot be written, with real processes: standard output on a
// full device (/dev/full), standard error full, a reader that stops early, a
// closed standard output; and colour on a dumb terminal. Each ends in one line
// on standard error (when it can be written) and a defined exit code.
import { spawnSync, type StdioOptions } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BIN, ROOT } from "../helpers/cli.js";

const SEED = "scenarios/01-seed-string-across-lazy-page.yaml";
/** A valid scenario whose one expectation fails. */
const FAILING = `name: fails
memory:
  - { start: 0x10000, pages: 1, perm: r, contents: [{ at: 0x10000, str: "hi\\0" }] }
threads:
  - name: main
    steps:
      - { op: get_as_str, ptr: 0x10000, expect: { ok: "ho" } }
`;
const FULL = "axptr-sim: cannot write the output to standard output: no space left on the device (ENOSPC)\n";
const ESC = "\u001b";
const linux = existsSync("/dev/full");

const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...extra };
  for (const k of ["FORCE_COLOR", "CI", "GITHUB_ACTIONS"]) if (!(k in extra)) delete e[k];
  return e;
};

/** Runs the CLI with standard output and/or standard error on /dev/full; what can be captured is. */
function onFull(args: readonly string[], which: { stdout?: boolean; stderr?: boolean }, input = ""): { code: number | null; stdout: string; stderr: string } {
  const full = openSync("/dev/full", "w");
  try {
    const stdio: StdioOptions = ["pipe", which.stdout ? full : "pipe", which.stderr ? full : "pipe"];
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: env(), input, stdio, encoding: "utf8", timeout: 15_000 });
    return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  } finally {
    closeSync(full);
  }
}

/** Runs a shell command line (bash), the CLI as `$AXPTR`. */
function shell(line: string, extra: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync("bash", ["-c", line.replaceAll("$AXPTR", '"$NODE" "$BIN"')], {
    cwd: ROOT,
    env: env({ NODE: process.execPath, BIN, ...extra }),
    encoding: "utf8",
    timeout: 15_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.runIf(linux)("standard output on a full device", () => {
  it.each([
    ["run", [SEED]],
    ["run --format json", ["--format", "json", SEED]],
    ["validate", [SEED]],
    ["schema", []],
    ["compare", [SEED]],
    ["check", [SEED]],
    ["--help", []],
  ])("%s: one line on standard error, exit 4", (name, rest) => {
    const args = name.startsWith("--") ? [name] : [...name.split(" ").slice(0, 1), ...rest];
    const r = onFull(args, { stdout: true });
    expect(r.stderr).toBe(FULL);
    expect(r.code).toBe(4);
  });

  it("exit 4 wins over a failed expectation: the output the caller relies on is incomplete", () => {
    const r = onFull(["run", "-"], { stdout: true }, FAILING);
    expect(r.stderr).toBe(`axptr-sim: 1 expectation failed\n${FULL}`);
    expect(r.code).toBe(4);
  });
});

describe.runIf(linux)("standard error on a full device", () => {
  it("an invalid file is still exit 2, its output still printed where it can be", () => {
    const r = onFull(["validate", "-"], { stderr: true }, "name: x\ncolour: red\n");
    expect(r.stdout).toBe("");
    expect(r.code).toBe(2);
  });

  it("a failed expectation is still exit 1, with the trace on standard output", () => {
    const r = onFull(["run", "-"], { stderr: true }, FAILING);
    expect(r.stdout).toMatch(/^scenario  fails\n/);
    expect(r.code).toBe(1);
  });

  it("a usage mistake is still exit 2", () => {
    expect(onFull(["run", "--format", "xml", SEED], { stderr: true }).code).toBe(2);
  });

  it("both full: exit 4, and nothing to say it with", () => {
    const r = onFull(["run", SEED], { stdout: true, stderr: true });
    expect(r.code).toBe(4);
  });
});

describe("a reader that stops early, a closed standard output", () => {
  it("| head: quiet, and the run's own exit code (EPIPE is not a failure of the run)", () => {
    // Several copies of a JSON trace are far more than a pipe holds, so the writer meets the closed pipe.
    const many = Array(400).fill(SEED).join(" ");
    expect(shell(`$AXPTR run --format json ${many} | wc -c`).stdout.trim()).toMatch(/^\d{6,}$/);
    const r = shell(`$AXPTR run --format json ${many} | head -c 6; echo " \${PIPESTATUS[0]}"`);
    expect(r.stdout).toBe("[\n  {\n 0\n");
    expect(r.stderr).toBe("");
  });

  it("| head on a failing run: still exit 1", () => {
    const r = shell(`printf '%s' "$IN" | $AXPTR run - | head -c 8; echo " \${PIPESTATUS[1]}"`, { IN: FAILING });
    expect(r.stdout).toBe("scenario 1\n");
    expect(r.stderr).toBe("axptr-sim: 1 expectation failed\n");
  });

  it(">&-: Node reopens a closed standard output on /dev/null before the tool starts, so the output is discarded as with > /dev/null (README)", () => {
    const closed = shell(`$AXPTR run ${SEED} >&-; echo "exit $?" >&2`);
    const devnull = shell(`$AXPTR run ${SEED} >/dev/null; echo "exit $?" >&2`);
    expect(closed.stderr).toBe("exit 0\n");
    expect(devnull.stderr).toBe("exit 0\n");
    expect(shell(`$AXPTR run ${SEED} --format xml >&-; echo "exit $?" >&2`).stderr).toMatch(/\nexit 2\n$/);
  });
});

const hasScript = spawnSync("script", ["--version"]).status === 0;

describe.runIf(hasScript)("colour on a terminal", () => {
  /** Runs the CLI on a pseudo-terminal (util-linux script) and returns what the terminal showed. */
  function onTerminal(extra: Record<string, string>): string {
    const e = env(extra);
    if (!("NO_COLOR" in extra)) delete e.NO_COLOR;
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} run ${SEED}`;
    const r = spawnSync("script", ["-qec", cmd, "/dev/null"], { cwd: ROOT, env: e, encoding: "utf8", timeout: 15_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("scenario");
    return r.stdout;
  }

  it("colours on a terminal, but not when TERM=dumb, unless FORCE_COLOR", () => {
    expect(onTerminal({ TERM: "xterm-256color" })).toContain(ESC);
    expect(onTerminal({ TERM: "dumb" })).not.toContain(ESC);
    expect(onTerminal({ TERM: "dumb", FORCE_COLOR: "1" })).toContain(ESC);
    expect(onTerminal({ TERM: "xterm-256color", NO_COLOR: "1" })).not.toContain(ESC);
  });
});

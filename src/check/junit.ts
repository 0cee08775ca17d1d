// JUnit XML for CI dashboards: one testcase a scenario.
import { formatProblem, type Problem } from "../scenario/problems.js";
import type { CaseResult } from "./golden.js";
import { printable } from "../scenario/printable.js";

/** What the second line of every JUnit report of check begins with: check replaces an --output file only when it holds it (or with --force). */
export const JUNIT_MARK = '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="axptr-sim check"';

/** Characters XML 1.0 cannot carry at all. */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

/** A name or a one-line message: what XML cannot carry dropped, then printable (no newline, no escape sequence, no bidi override, for a CI that prints the file). */
function xmlName(s: string): string {
  return escapeXml(printable(s.replace(NOT_XML, "")));
}

/** A body of lines (a diff, problems): each line as xmlName, the newlines kept. */
function xmlLines(s: string): string {
  return s.split("\n").map(xmlName).join("\n");
}

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    // Characters XML 1.0 cannot carry at all.
    .replace(NOT_XML, "");
}

/**
 * `invalid`: the problems of scenarios that could not be checked, one testcase with an <error> a file.
 * `why`: why an obsolete golden is obsolete, as the text report says it.
 */
export function renderJunit(
  results: readonly CaseResult[],
  obsolete: readonly string[],
  strict: boolean,
  invalid: readonly Problem[] = [],
  why: (golden: string) => string = () => "its scenario is gone",
): string {
  const invalidFiles = [...new Set(invalid.map((p) => p.file))];
  const failures = results.filter((r) => r.status !== "passed").length + (strict ? obsolete.length : 0);
  const tests = results.length + (strict ? obsolete.length : 0) + invalidFiles.length;
  const errors = invalidFiles.length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="axptr-sim check" tests="${tests}" failures="${failures}"${errors > 0 ? ` errors="${errors}"` : ""}>`,
    `  <testsuite name="axptr-sim check" tests="${tests}" failures="${failures}" errors="${errors}" skipped="0">`,
  ];
  for (const r of results) {
    const open = `    <testcase classname="axptr-sim.check" name="${xmlName(r.golden.endsWith(".outcomes") ? `${r.scenario} (outcomes)` : r.scenario)}" file="${xmlName(r.scenario)}"`;
    if (r.status === "passed") {
      lines.push(`${open}/>`);
      continue;
    }
    const message = failureMessage(r);
    const body = [r.diff ?? "", ...r.expectations.map((e) => `expectation failed: ${e}`)].filter((s) => s !== "").join("\n");
    lines.push(`${open}>`, `      <failure message="${xmlName(message)}" type="${r.status}">${xmlLines(body)}</failure>`, "    </testcase>");
  }
  for (const f of invalidFiles) {
    const body = invalid.filter((p) => p.file === f).map(formatProblem).join("\n");
    lines.push(`    <testcase classname="axptr-sim.check" name="${xmlName(f)}" file="${xmlName(f)}">`, `      <error message="invalid scenario" type="invalid">${xmlLines(body)}</error>`, "    </testcase>");
  }
  if (strict) for (const o of obsolete) lines.push(`    <testcase classname="axptr-sim.check" name="${xmlName(o)}"><failure message="${xmlName(`obsolete golden: ${why(o)}`)}" type="obsolete"/></testcase>`);
  lines.push("  </testsuite>", "</testsuites>");
  return lines.join("\n") + "\n";
}

export function failureMessage(r: CaseResult): string {
  if (r.status === "missing") return `no golden trace ${r.golden}`;
  const parts: string[] = [];
  const n = r.expectations.length;
  const outcomes = r.golden.endsWith(".outcomes");
  // An outcome golden's failed expectations are its violating classes: said first, they are why it fails.
  if (outcomes && n > 0) parts.push(`${n} class${n === 1 ? "" : "es"} violate${n === 1 ? "s" : ""} the file's explore settings`);
  if (r.absent) parts.push(`no outcome golden ${r.golden} (none is written while a class violates)`);
  if (r.diff) parts.push(`${outcomes ? "outcomes differ" : "trace differs"} from ${r.golden} at ${r.where}`);
  if (!outcomes && n > 0) parts.push(`${n} expectation${n === 1 ? "" : "s"} failed`);
  return parts.join("; ");
}

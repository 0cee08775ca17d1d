// Every problem of a file in one pass, in file order (issue 21, point 9): the rules
// are not left for a second round after the schema's problems are fixed.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/scenario/validate.js";

function problems(text: string): string[] {
  const r = loadScenario(text, "f.yaml");
  return r.ok ? [] : r.problems.map((p) => `${p.line}:${p.col}: ${p.path.join(".")}: ${p.message}`);
}

describe("one pass", () => {
  it("a schema problem (cpus) and a rule problem (page_size) together, in file order", () => {
    expect(problems("name: x\nmachine: { cpus: 65, page_size: 5000 }\n")).toEqual([
      "2:18: machine.cpus: 65 is out of range (expected a CPU count, 1..64)",
      "2:33: machine.page_size: page size 5000 is not a power of two from 4096 to 65536",
    ]);
  });

  it("rules of other parts beside unknown keys and bad values, sorted by line", () => {
    const text = [
      "name: several problems",
      "machine: { cpus: 2 }",
      "memory:",
      "  - { start: 0x10001, pages: 1, perm: rw }",
      "threads:",
      "  - name: main",
      "    cpu: 3",
      "    steps:",
      "      - { op: get_as_str, ptr: 0x10000, bogus: 1 }",
      "      - { op: get, ptr: 0x10000, use: { write: 1 } }",
      "expect: { outcome: complete }",
      "",
    ].join("\n");
    expect(problems(text)).toEqual([
      "4:14: memory.0.start: start 0x10001 is not page-aligned (page size 0x1000)",
      "7:10: threads.0.cpu: CPU 3 does not exist (machine.cpus is 2: CPUs 0..1)",
      '9:41: threads.0.steps.0.bogus: unknown key "bogus" (allowed here: op, ptr, use, nullable, expect, hold)',
      "10:39: threads.0.steps.1.use: use: { write } needs mut: true (a UserConstPtr gives a shared reference, which cannot be written)",
      '11:20: expect.outcome: expected one of completed, panic, killed, deadlock, step-limit, livelock, got the string "complete" (did you mean "completed"?)',
    ]);
  });

  it("no rule is reported that could come from a part taken out: a bad cpus hides the CPU checks that read it", () => {
    const text = "name: x\nmachine: { cpus: 0 }\nthreads:\n  - { name: main, cpu: 1, steps: [] }\n";
    expect(problems(text)).toEqual(["2:18: machine.cpus: 0 is out of range (expected a CPU count, 1..64)"]);
  });
});

// Loaded with --import: reports the process's peak resident memory and its CPU time (all threads) when it exits.
import { writeFileSync } from "node:fs";

process.on("exit", () => {
  const out = process.env.AXPTR_BENCH_RSS;
  if (!out) return;
  const u = process.resourceUsage();
  writeFileSync(out, JSON.stringify({ rss: u.maxRSS * 1024, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));
});

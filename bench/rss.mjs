// Loaded with --import: reports the process's peak resident memory when it exits.
import { writeFileSync } from "node:fs";

process.on("exit", () => {
  const out = process.env.AXPTR_BENCH_RSS;
  if (out) writeFileSync(out, String(process.resourceUsage().maxRSS * 1024));
});

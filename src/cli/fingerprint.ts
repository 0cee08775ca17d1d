// A shard's fingerprint (docs/races.md, "A shard's fingerprint"): what was explored,
// so that explore --merge refuses shards of two versions of one scenario,
// whose counts would add up to a number no exploration found (issue 17).
// Hashed here, at the edge, where the file's bytes were read.
import { createHash } from "node:crypto";
import type { KernelName } from "../scenario/kernels.js";
import type { StrategyName } from "../sim/simulate.js";

/** Changed whenever what goes into the hash changes: an old fingerprint then never equals a new one by accident. */
const VERSION = "axptr-sim-shard/1";

/** What a shard explored, besides the file: the settings in effect (an option or the file's own), and the shard count N. */
export interface Explored {
  depth: number;
  strategy: StrategyName;
  kernel: KernelName | undefined;
  shards: number;
}

const sha256 = (data: Uint8Array | string): string => createHash("sha256").update(data).digest("hex");

/**
 * `sha256:` and 64 hex digits. The same for every shard I of one exploration
 * (I is left out), whatever the file's path (a checkout elsewhere merges);
 * different when a byte of the file (a comment too: which changes matter is
 * not knowable here), the depth, strategy, kernel or N differ. A JSON array
 * keeps the parts apart: no two inputs join into the same text.
 */
export function shardFingerprint(bytes: Uint8Array, e: Explored): string {
  return `sha256:${sha256(JSON.stringify([VERSION, sha256(bytes), e.depth, e.strategy, e.kernel ?? null, e.shards]))}`;
}

// The body of an exploration worker thread (bundled as dist/explore-worker.cjs).
import { servePool } from "../workers/pool.js";
import { EXPLORE_KIND, exploreCodec, runChunk, type ExploreJob } from "./workers.js";

servePool(EXPLORE_KIND, (job: ExploreJob, k: number, progress: (n: number) => void) => runChunk(job, k, progress), exploreCodec);

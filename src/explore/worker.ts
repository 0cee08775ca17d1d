// The body of an exploration worker thread (bundled as dist/explore-worker.cjs).
import { workerData, type MessagePort } from "node:worker_threads";
import { Classes, exploreSettings } from "./result.js";
import { runChunks, type WorkerJob } from "./workers.js";

const { job, port } = workerData as { job: WorkerJob; port: MessagePort };
try {
  const settings = exploreSettings(job.scenario);
  const classes = new Classes(job.scenario, settings.never, settings.hazardsForbidden);
  runChunks(job.scenario, job.strategy, job.chunks, job.next, classes, (done) => Atomics.store(job.signal, 1, done));
  port.postMessage({ ok: true, share: { classes: classes.list(), schedules: classes.schedules } });
} catch (e) {
  port.postMessage({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
Atomics.store(job.signal, 0, 1);
Atomics.notify(job.signal, 0);

// `--format ndjson`: one event a line, then the rest of the document as `"kind": "result"`.
import type { Trace } from "../sim/events.js";
import { compactChunks, eventLine, traceJson, type TraceOf } from "./json.js";

export function renderNdjson(traces: readonly { trace: Trace; file: string }[]): string {
  return [...ndjsonChunks(traces)].join("");
}

/** Line by line: a long trace is written without being held whole, and a huge value is escaped in slices. */
export function* ndjsonChunks(traces: readonly TraceOf[]): Generator<string> {
  for (const { trace, file, extra } of traces) {
    for (const e of trace.events) yield eventLine(e, trace.stateKeys) + "\n";
    yield* compactChunks({ kind: "result", ...traceJson(trace, file, false, extra) });
    yield "\n";
  }
}

// `--format ndjson`: one event a line, then the rest of the document as `"kind": "result"`.
import type { Trace } from "../sim/events.js";
import { eventLine, traceJson } from "./json.js";

export function renderNdjson(traces: readonly { trace: Trace; file: string }[]): string {
  const lines: string[] = [];
  for (const { trace, file } of traces) {
    for (const e of trace.events) lines.push(eventLine(e, trace.stateKeys));
    lines.push(JSON.stringify({ kind: "result", ...traceJson(trace, file, false) }));
  }
  return lines.join("\n") + "\n";
}

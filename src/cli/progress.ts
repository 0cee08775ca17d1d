// The progress line of a long exploration, on a terminal's standard error only.
import { printable } from "../scenario/printable.js";

/** Redraws one line (`explore: 12,345 / 122,925 schedules, 41,000/s`) at most ten times a second. */
export function progressLine(stream: NodeJS.WriteStream): { update: (done: number, total: number, label: string) => void; clear: () => void } {
  const start = Date.now();
  let last = 0;
  let shown = false;
  return {
    update(done, total, label) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const rate = Math.round(done / Math.max((now - start) / 1000, 0.001));
      const width = 24;
      const filled = Math.round((width * done) / Math.max(total, 1));
      const bar = `[${"#".repeat(filled)}${" ".repeat(width - filled)}]`;
      stream.write(`\r\x1b[2Kexplore ${printable(label)} ${bar} ${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} schedules, ${rate.toLocaleString("en-US")}/s`);
      shown = true;
    },
    clear() {
      if (shown) stream.write("\r\x1b[2K");
    },
  };
}

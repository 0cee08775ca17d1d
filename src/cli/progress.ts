// The progress line of a long exploration, on a terminal's standard error only.
import { printable } from "../scenario/printable.js";

/** Redraws one line (`explore: 12,345 / 122,925 schedules, 41,000/s`) at most ten times a second. */
export function progressLine(stream: NodeJS.WriteStream): {
  update: (done: number, total: number, label: string) => void;
  /** `explore percpu-flag: 120,000 states, 31,984,897 schedules covered, 90,000 states/s` */
  states: (states: number, schedules: number, label: string) => void;
  /** `check [#####     ] 12 / 70 scenarios` */
  files: (done: number, total: number) => void;
  clear: () => void;
} {
  const start = Date.now();
  let last = 0;
  let shown = false;
  let exploring: string | undefined;
  let since = start;
  let base = 0;
  return {
    update(done, total, label) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const rate = Math.round(done / Math.max((now - start) / 1000, 0.001));
      stream.write(`\r\x1b[2Kexplore ${printable(label)} ${bar(done, total)} ${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} schedules, ${rate.toLocaleString("en-US")}/s`);
      shown = true;
    },
    states(states, schedules, label) {
      const now = Date.now();
      // Each exploration's rate from its own first report (check explores one file after another); the first from the start.
      if (exploring === undefined) exploring = label;
      else if (label !== exploring || states < base) [exploring, since, base] = [label, now, states];
      if (now - last < 100) return;
      last = now;
      const n = (x: number) => x.toLocaleString("en-US");
      const elapsed = (now - since) / 1000;
      const rate = elapsed >= 0.1 || since === start ? `, ${n(Math.round((states - base) / Math.max(elapsed, 0.001)))} states/s` : "";
      stream.write(`\r\x1b[2Kexplore ${printable(label)}: ${n(states)} states, ${n(schedules)} schedules covered${rate}`);
      shown = true;
    },
    files(done, total) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      stream.write(`\r\x1b[2Kcheck ${bar(done, total)} ${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} scenarios`);
      shown = true;
    },
    clear() {
      if (shown) stream.write("\r\x1b[2K");
      shown = false;
    },
  };
}

/** `[######                  ]`: done of total in 24 columns. */
function bar(done: number, total: number): string {
  const width = 24;
  const filled = Math.min(width, Math.round((width * done) / Math.max(total, 1)));
  return `[${"#".repeat(filled)}${" ".repeat(width - filled)}]`;
}

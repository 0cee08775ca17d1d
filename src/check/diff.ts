// A line-based unified diff (Myers' O((N+M)·D) algorithm): readable without
// colour, cheap when two long traces differ in a few lines.

export type Edit = { op: " " | "-" | "+"; line: string; a: number; b: number };

/** The shortest edit script turning `a` into `b`, as kept/removed/added lines. */
export function diffLines(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0)) ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) (x++, y++);
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back through the saved frontiers.
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d] as Int32Array;
    const k = x - y;
    const prevK = k === -d || (k !== d && (vd[offset + k - 1] ?? 0) < (vd[offset + k + 1] ?? 0)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : (vd[offset + prevK] ?? 0);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      edits.push({ op: " ", line: a[x] ?? "", a: x, b: y });
    }
    if (d === 0) break;
    if (x === prevX) {
      y--;
      edits.push({ op: "+", line: b[y] ?? "", a: x, b: y });
    } else {
      x--;
      edits.push({ op: "-", line: a[x] ?? "", a: x, b: y });
    }
  }
  return edits.reverse();
}

/** `--- old` / `+++ new` and `@@` hunks with `context` lines around each change; "" when equal. */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const edits = diffLines(a, b);
  const changed = edits.map((e, i) => (e.op === " " ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return "";
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  let i = 0;
  while (i < changed.length) {
    const first = changed[i] as number;
    let last = first;
    // Merge changes whose context windows touch.
    while (i + 1 < changed.length && (changed[i + 1] as number) - last <= 2 * context + 1) last = changed[++i] as number;
    i++;
    const lo = Math.max(0, first - context);
    const hi = Math.min(edits.length - 1, last + context);
    const hunk = edits.slice(lo, hi + 1);
    const aStart = hunk.find((e) => e.op !== "+")?.a ?? (hunk[0]?.a ?? 0);
    const bStart = hunk.find((e) => e.op !== "-")?.b ?? (hunk[0]?.b ?? 0);
    const aLen = hunk.filter((e) => e.op !== "+").length;
    const bLen = hunk.filter((e) => e.op !== "-").length;
    out.push(`@@ -${aLen === 0 ? aStart : aStart + 1},${aLen} +${bLen === 0 ? bStart : bStart + 1},${bLen} @@`);
    for (const e of hunk) out.push(`${e.op}${e.line}`);
  }
  return out.join("\n") + "\n";
}

/** Lines without their terminators; a final newline does not make an empty last line. */
export function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Index of the first line that differs, or -1 when equal. */
export function firstDifference(a: readonly string[], b: readonly string[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

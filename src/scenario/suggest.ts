// "did you mean": the closest known key by edit distance, when it is close.

/** Edits (insert, delete, replace, or swap two neighbours: "mian" is one edit from "main") from a to b. */
export function editDistance(a: string, b: string): number {
  // Optimal string alignment: three rows of the table suffice.
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] ?? 0) + 1);
      row.push(d);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length] ?? 0;
}

export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  // A near miss: at most a third of the word wrong (and at least one edit allowed).
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

/** One message per unknown key, joined by newlines (the reporter splits them again, one line each). */
export function unknownKeyMessages(keys: readonly string[], known: readonly string[]): string {
  return keys
    .map((key) => {
      const near = closest(key, known);
      const allowed = `allowed here: ${known.join(", ")}`;
      // JSON quoting: a key may hold a newline, and these messages are joined by newlines.
      const quoted = JSON.stringify(key);
      return near ? `unknown key ${quoted} (did you mean "${near}"?)` : `unknown key ${quoted} (${allowed})`;
    })
    .join("\n");
}

// "did you mean": the closest known key by edit distance, when it is close.

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + cost);
      diag = up;
    }
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
      return near ? `unknown key "${key}" (did you mean "${near}"?)` : `unknown key "${key}" (${allowed})`;
    })
    .join("\n");
}

// A step result as an outcome class sees it (explore.md section 4): status
// with value or errno, never a panic's message; a long one by its fingerprint
// (the key is already what stringPrint would make of its text). In the simulator because a
// state's fingerprint holds the results of the steps already run.
import type { StepResult, Value } from "./events.js";
import { Hasher, LONGEST_KEY } from "./fingerprint.js";
const SAFE = 2n ** 53n;
const DIGITS = new Array<number>(16).fill(0);

/**
 * A key being written: text while it is short, then hashed as it goes, so a
 * value of a million elements never becomes a string of megabytes (it was
 * most of an exploration's time and memory) and the key is the one
 * stringPrint would give of the whole text.
 */
class KeyWriter {
  private text = "";
  private hasher: Hasher | undefined;
  private length = 0;

  put(s: string): void {
    if (this.hasher !== undefined) {
      this.hasher.chars(s);
      this.length += s.length;
      return;
    }
    this.text += s;
    if (this.text.length > LONGEST_KEY) {
      this.hasher = new Hasher();
      this.hasher.chars(this.text);
      this.length = this.text.length;
      this.text = "";
    }
  }

  /** A whole number's decimal text, hashed digit by digit once the key is long (no string made for each element). */
  putInt(v: bigint): void {
    const h = this.hasher;
    if (h === undefined || v >= SAFE || v <= -SAFE) return this.put(v.toString());
    let n = Number(v);
    if (n < 0) {
      h.int(0x2d); // "-"
      this.length++;
      n = -n;
    }
    // Digits last to first (exact: n / 10 never lands within rounding of a whole number below 2^53), then fed first to last.
    let k = 0;
    do {
      DIGITS[k++] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
    this.length += k;
    while (k > 0) h.int(DIGITS[--k] as number);
  }

  done(): string {
    if (this.hasher === undefined) return this.text;
    this.hasher.end(this.length);
    return `#${this.hasher.text()}`;
  }
}

function writeValue(v: Value, w: KeyWriter): void {
  if (v === null) w.put("null");
  else if (typeof v === "bigint") w.putInt(v);
  else if (typeof v === "string") w.put(JSON.stringify(v));
  else {
    w.put("[");
    for (let i = 0; i < v.length; i++) {
      if (i > 0) w.put(",");
      writeValue(v[i] as Value, w);
    }
    w.put("]");
  }
}

/** Keys of long values, by result (a run asks for one result's key at its after-step point, after the step and at its end). */
const LONG_KEYS = new WeakMap<StepResult, string>();

/** The result's key: its text (`ok=[1,2]`, `err=EFAULT`) up to 48 characters, else `#` and the text's fingerprint. */
export function resultKey(r: StepResult): string {
  if (r.status === "ok") {
    if (!("value" in r)) return "ok";
    const known = LONG_KEYS.get(r);
    if (known !== undefined) return known;
    const w = new KeyWriter();
    w.put("ok=");
    writeValue(r.value ?? null, w);
    const key = w.done();
    if (key.startsWith("#")) LONG_KEYS.set(r, key);
    return key;
  }
  if (r.status === "err") return `err=${r.errno}`;
  return r.status;
}

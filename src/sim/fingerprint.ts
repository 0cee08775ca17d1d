// Fingerprints of machine states (explore's merging of equal states): two
// independent 32-bit multiplicative hashes, written as 16 hex digits. A
// fingerprint stands for bulk content (written blocks, the bytes a scan has
// read) so that comparing states costs no more than a short string; like
// TLC's fingerprints, two different contents share one with odds of about
// n²/2^64 for n states.

/** Hashes in progress: feed bytes or strings, then `text()`. */
export class Hasher {
  private a = 0x811c9dc5;
  private b = 0x2545f491;

  byte(x: number): void {
    this.a = Math.imul(this.a ^ x, 0x01000193);
    this.b = Math.imul(this.b ^ x, 0x5bd1e995) ^ (this.b >>> 15);
  }

  bytes(buf: Uint8Array, start = 0, end = buf.length): void {
    let a = this.a;
    let b = this.b;
    for (let i = start; i < end; i++) {
      const x = buf[i] as number;
      a = Math.imul(a ^ x, 0x01000193);
      b = Math.imul(b ^ x, 0x5bd1e995) ^ (b >>> 15);
    }
    this.a = a;
    this.b = b;
  }

  string(s: string): void {
    this.chars(s);
    this.end(s.length);
  }

  /** Ends a string of `length` characters fed by `chars` (the length ends each string: "ab","c" and "a","bc" differ). */
  end(length: number): void {
    this.a = Math.imul(this.a ^ length ^ 0x9e3779b9, 0x01000193);
  }

  /** A string's characters, without marking where it ends: pieces of one text in any cut hash alike. */
  chars(s: string): void {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < s.length; i++) {
      const x = s.charCodeAt(i);
      a = Math.imul(a ^ x, 0x01000193);
      b = Math.imul(b ^ x, 0x5bd1e995) ^ (b >>> 15);
    }
    this.a = a;
    this.b = b;
  }

  /** A 32-bit whole number (or the low 32 bits of one). */
  int(x: number): void {
    this.a = Math.imul(this.a ^ x, 0x01000193);
    this.b = Math.imul(this.b ^ x, 0x5bd1e995) ^ (this.b >>> 15);
  }

  /** A non-negative whole number below 2^53: its two halves. */
  num(x: number): void {
    this.int(x | 0);
    this.int((x / 0x100000000) | 0);
  }

  /** A whole number of any size (an address, a count): below 2^53 as its halves, else as hex text, each marked. */
  big(x: bigint): void {
    if (x >= 0n && x < 0x20000000000000n) {
      this.int(0);
      this.num(Number(x));
    } else {
      this.int(1);
      this.string(x.toString(16));
    }
  }

  /** The two halves of the fingerprint (a state's key: `high` picks the bucket, `low` tells a bucket's states apart). */
  get high(): number {
    return this.a | 0;
  }

  get low(): number {
    return this.b | 0;
  }

  copy(): Hasher {
    const h = new Hasher();
    h.a = this.a;
    h.b = this.b;
    return h;
  }

  text(): string {
    if (this.printed !== undefined && this.printedA === this.a && this.printedB === this.b) return this.printed;
    this.printedA = this.a;
    this.printedB = this.b;
    return (this.printed = (this.a >>> 0).toString(16).padStart(8, "0") + (this.b >>> 0).toString(16).padStart(8, "0"));
  }

  private printed: string | undefined;
  private printedA = 0;
  private printedB = 0;
}

/** The longest text kept as its own exact key; a longer one is its fingerprint. */
export const LONGEST_KEY = 48;

/** The fingerprint of one string (long ones only: a short one is its own exact key). */
export function stringPrint(s: string): string {
  if (s.length <= LONGEST_KEY) return s;
  const h = new Hasher();
  h.string(s);
  return `#${h.text()}`;
}

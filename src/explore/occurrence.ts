// Point occurrences (explore.md section 2): where an injected event could fire.
import { TRIGGERS, type TriggerName } from "../scenario/schema.js";
import type { ClosedAt } from "../sim/kernels/index.js";

export interface Occurrence {
  thread: string;
  step: number;
  at: TriggerName;
  /** `nth` for page-check and page-fault, the element index for before-read; absent elsewhere. */
  k?: bigint;
  /** What the kernel keeps from happening here (kernels.md sections 4 and 5): races it blocks have no such occurrence. */
  closed?: ClosedAt;
}

/** The points whose occurrences carry a count `[k]`. */
export function hasCount(at: TriggerName): boolean {
  return at === "page-check" || at === "page-fault" || at === "before-read";
}

const PLAIN = /^[A-Za-z0-9_.-]$/;

/** A thread name in a token: every byte outside `A-Z a-z 0-9 _ . -` as `%XX` of its UTF-8 bytes. */
export function escapeThread(name: string): string {
  let out = "";
  for (const ch of name) {
    if (PLAIN.test(ch)) out += ch;
    else for (const b of new TextEncoder().encode(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** The name an escaped thread stands for, or undefined when the text is not exactly what escapeThread writes. */
export function unescapeThread(text: string): string | undefined {
  if (!/^(?:[A-Za-z0-9_.-]|%[0-9A-F]{2})+$/.test(text)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; ) {
    if (text[i] === "%") {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(text.charCodeAt(i));
      i++;
    }
  }
  let name: string;
  try {
    name = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
  // One written form per name: `%41` for `A` is not it.
  return escapeThread(name) === text ? name : undefined;
}

/** `THREAD#STEP:POINT` plus `[k]` where k applies: `main#1:before-read[5]`. */
export function occurrenceText(o: Occurrence): string {
  return `${escapeThread(o.thread)}#${o.step}:${o.at}${o.k !== undefined ? `[${o.k}]` : ""}`;
}

const DECIMAL = "(0|[1-9][0-9]*)";
const OCCURRENCE = new RegExp(`^([^#]+)#${DECIMAL}:([a-z-]+)(?:\\[${DECIMAL}\\])?$`);

/** The most digits a `[k]` may have: k is at most 2^64-1 (20 digits); more are refused before BigInt reads them (its time grows with the square of the digits). */
export const MAX_COUNT_DIGITS = 20;

/** How many digits the `[k]` ending `text` has, 0 when it has none. */
export function countDigits(text: string): number {
  if (!text.endsWith("]")) return 0;
  const open = text.lastIndexOf("[");
  return open < 0 ? 0 : text.length - open - 2;
}

/** Reads an occurrence's written form; undefined when it is not one. */
export function parseOccurrence(text: string): Occurrence | undefined {
  if (countDigits(text) > MAX_COUNT_DIGITS) return undefined;
  const m = OCCURRENCE.exec(text);
  if (!m) return undefined;
  const [, threadText, stepText, at, kText] = m as unknown as [string, string, string, string, string | undefined];
  const thread = unescapeThread(threadText);
  if (thread === undefined || !(TRIGGERS as readonly string[]).includes(at)) return undefined;
  const point = at as TriggerName;
  if (hasCount(point) !== (kText !== undefined)) return undefined;
  const step = Number(stepText);
  if (!Number.isSafeInteger(step)) return undefined;
  return kText !== undefined ? { thread, step, at: point, k: BigInt(kText) } : { thread, step, at: point };
}

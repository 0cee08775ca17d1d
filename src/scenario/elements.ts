// Element types of user pointers on a 64-bit little-endian target.
import type { ElementTypeSpec, PrimitiveTypeName } from "./schema.js";

export interface ElementInfo {
  name: string;
  size: bigint;
  align: bigint;
  /** Primitive: read as one integer; struct: read as a list of bytes. */
  primitive: boolean;
  signed: boolean;
}

const PRIMITIVES: Record<PrimitiveTypeName, [size: number, signed: boolean]> = {
  u8: [1, false], i8: [1, true], c_char: [1, false], // c_char is unsigned, as on riscv64 and aarch64
  u16: [2, false], i16: [2, true],
  u32: [4, false], i32: [4, true],
  u64: [8, false], i64: [8, true], usize: [8, false], isize: [8, true], ptr: [8, false],
};

/** The primitives' infos, made once (a scan asks at every step an exploration takes up again). */
const PRIMITIVE_INFOS = new Map<string, Readonly<ElementInfo>>();

export function elementInfo(t: ElementTypeSpec): Readonly<ElementInfo> {
  if (typeof t === "string") {
    let info = PRIMITIVE_INFOS.get(t);
    if (info === undefined) {
      const [size, signed] = PRIMITIVES[t];
      PRIMITIVE_INFOS.set(t, (info = Object.freeze({ name: t, size: BigInt(size), align: BigInt(size), primitive: true, signed })));
    }
    return info;
  }
  return { name: `{size: ${t.size}, align: ${t.align}}`, size: t.size, align: t.align, primitive: false, signed: false };
}

export function primitiveRange(t: PrimitiveTypeName): [bigint, bigint] {
  const [size, signed] = PRIMITIVES[t];
  const bits = BigInt(size * 8);
  return signed ? [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n] : [0n, (1n << bits) - 1n];
}

/** Little-endian bytes of a value that fits its type (two's complement when negative). */
export function encode(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

const BYTES = Array.from({ length: 256 }, (_, b) => BigInt(b));
const SIGNED_BYTES = Array.from({ length: 256 }, (_, b) => BigInt(b > 127 ? b - 256 : b));

export function decode(bytes: Uint8Array, offset: number, size: number, signed: boolean): bigint {
  if (size === 1) {
    const b = bytes[offset] ?? 0;
    // One bigint per byte value, made once: a megabyte read as u8 was a million of them per run.
    return (signed && b > 127 ? SIGNED_BYTES : BYTES)[b] as bigint;
  }
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[offset + i] ?? 0);
  return signed ? BigInt.asIntN(size * 8, v) : v;
}

// AddressSpace.fork shares its areas, runs and blocks with the original until
// one side changes them (issue 20): each side must then see only its own changes.
import { describe, expect, it } from "vitest";
import { AddressSpace } from "../../src/sim/memory.js";
import { Hasher } from "../../src/sim/fingerprint.js";
import type { Perms } from "../../src/scenario/schema.js";

const P = 4096n;
const perm = (s: string): Perms => ({ read: s.includes("r"), write: s.includes("w"), execute: s.includes("x") });

/** Two areas: 0x10000 (3 pages, rw, eager) and 0x20000 (2 pages, r, lazy), a fill, a written block. */
function prepared(): AddressSpace {
  const as = new AddressSpace(P, 0x1000n, 0x7fff_ffff_f000n, 100n);
  as.addArea({ name: "buf", start: 0x10000n, end: 0x13000n, perm: perm("rw"), eager: true, present: [] });
  as.addArea({ name: "ro", start: 0x20000n, end: 0x22000n, perm: perm("r"), eager: false, present: [] });
  as.fill(0x20000n, 0x2000n, 0x61);
  as.writeBytes(0x10ffen, new Uint8Array([1, 2, 3, 4]));
  return as;
}

/** Everything a run can see of a space, as text. */
function seen(as: AddressSpace): string {
  const areas = as.areas.map((a) => `${a.start.toString(16)}-${a.end.toString(16)}:${a.perm.read ? "r" : ""}${a.perm.write ? "w" : ""}`).join(",");
  const present = [0x10000n, 0x11000n, 0x12000n, 0x20000n, 0x21000n].map((a) => (as.isPresent(a) ? "1" : "0")).join("");
  const bytes = [...as.readBytes(0x10ffcn, 8), ...as.readBytes(0x20ffen, 4)].join(" ");
  return `${areas} | ${present} | ${bytes} | ${as.freeFrames}`;
}

function print(as: AddressSpace): string {
  const h = new Hasher();
  as.hashInto(h);
  return h.text();
}

describe("AddressSpace.fork shares until written", () => {
  const before = seen(prepared());
  it("starts as the original, in what it shows and in its fingerprint", () => {
    const a = prepared();
    const b = a.fork();
    expect(seen(b)).toBe(before);
    expect(print(b)).toBe(print(a));
    expect(before).toBe("10000-13000:rw,20000-22000:r | 11100 | 0 0 1 2 3 4 0 0 97 97 97 97 | 97");
  });

  // Each change on one side, then the other side must be as it was.
  const changes: [string, (as: AddressSpace) => void, string][] = [
    ["protect", (as) => as.protect(0x11000n, 0x12000n, perm("r")), "10000-11000:rw,11000-12000:r,12000-13000:rw,20000-22000:r | 11100 | 0 0 1 2 3 4 0 0 97 97 97 97 | 97"],
    ["unmap", (as) => as.unmap(0x12000n, 0x13000n), "10000-12000:rw,20000-22000:r | 11000 | 0 0 1 2 3 4 0 0 97 97 97 97 | 98"],
    ["evict", (as) => void as.evict(0x10000n, 0x11000n), "10000-13000:rw,20000-22000:r | 01100 | 0 0 1 2 3 4 0 0 97 97 97 97 | 98"],
    ["fault in", (as) => void as.handlePageFault(0x21000n, "read"), "10000-13000:rw,20000-22000:r | 11101 | 0 0 1 2 3 4 0 0 97 97 97 97 | 96"],
    ["write into a written block", (as) => as.writeBytes(0x10ffcn, new Uint8Array([9])), "10000-13000:rw,20000-22000:r | 11100 | 9 0 1 2 3 4 0 0 97 97 97 97 | 97"],
    ["write a new block", (as) => as.writeBytes(0x20fffn, new Uint8Array([7, 8])), "10000-13000:rw,20000-22000:r | 11100 | 0 0 1 2 3 4 0 0 97 7 8 97 | 97"],
    ["fill", (as) => as.fill(0x10ffen, 4n, 5), "10000-13000:rw,20000-22000:r | 11100 | 0 0 5 5 5 5 0 0 97 97 97 97 | 97"],
  ];
  for (const [what, change, after] of changes) {
    for (const side of ["fork", "original"] as const) {
      it(`${what} on the ${side} leaves the other side as it was`, () => {
        const a = prepared();
        const printed = print(a);
        const b = a.fork();
        const [changed, other] = side === "fork" ? [b, a] : [a, b];
        change(changed);
        expect(seen(changed)).toBe(after);
        expect(seen(other)).toBe(before);
        expect(print(other)).toBe(printed);
        expect(print(changed)).not.toBe(printed);
        // A fork of a fork, changed again, leaves both its ancestors alone.
        const c = changed.fork();
        c.unmap(0x10000n, 0x11000n);
        expect(seen(changed)).toBe(after);
        expect(seen(other)).toBe(before);
      });
    }
  }
});

describe("forks writing the same bytes into the same block share the block they make", () => {
  it("each sees its own writes only, however the shared block is written after", () => {
    const start = prepared();
    const a = start.fork();
    const b = start.fork();
    a.writeBytes(0x20ffen, new Uint8Array([7]));
    b.writeBytes(0x20ffen, new Uint8Array([7]));
    expect(seen(a)).toBe("10000-13000:rw,20000-22000:r | 11100 | 0 0 1 2 3 4 0 0 7 97 97 97 | 97");
    expect(seen(b)).toBe(seen(a));
    expect(print(b)).toBe(print(a));
    // One side writes on into that block, then into the older written one: the other side and the next fork are as they were.
    a.writeBytes(0x20fffn, new Uint8Array([8]));
    a.writeBytes(0x10ffcn, new Uint8Array([9]));
    expect(seen(a)).toBe("10000-13000:rw,20000-22000:r | 11100 | 9 0 1 2 3 4 0 0 7 8 97 97 | 97");
    expect(seen(b)).toBe("10000-13000:rw,20000-22000:r | 11100 | 0 0 1 2 3 4 0 0 7 97 97 97 | 97");
    const c = start.fork();
    c.writeBytes(0x20ffen, new Uint8Array([7]));
    expect(seen(c)).toBe(seen(b));
    expect(print(c)).toBe(print(b));
    // The start wrote nothing; a fill after its forks reaches its own blocks only.
    expect(seen(start)).toBe(before());
    start.fill(0x20000n, 0x2000n, 0x62);
    expect(seen(c)).toBe(seen(b));
    expect(seen(start)).toBe("10000-13000:rw,20000-22000:r | 11100 | 0 0 1 2 3 4 0 0 98 98 98 98 | 97");
  });
});

function before(): string {
  return seen(prepared());
}

// The yardstick for the 64 MiB scan: a bare Node script that fills 16,384
// pages with a string and scans them byte by byte for its NUL.
const PAGES = 16384;
const P = 4096;
const pages = [];
for (let i = 0; i < PAGES; i++) {
  const page = new Uint8Array(P);
  page.fill(0x41);
  pages.push(page);
}
const extra = new Uint8Array(P); // the NUL lies on the next page
pages.push(extra);
let len = 0;
outer: for (const page of pages) {
  for (let i = 0; i < P; i++) {
    if (page[i] === 0) break outer;
    len++;
  }
}
if (len !== PAGES * P) throw new Error(`scanned ${len}`);

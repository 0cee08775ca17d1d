// 50 small random scenarios with races (a seeded generator, so the same 50
// every time), for the test that speed work leaves explore's results as they were.
const STRATEGIES = ["percpu-flag", "per-thread-flag", "nesting-counter", "exception-table", "none"] as const;

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: number) => `0x${n.toString(16)}`;

export function randomScenario(seed: number): string {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const base = 0x10000;
  const pages = 2 + Math.floor(r() * 2);
  const strAt = base + 0x1000 - 4 - Math.floor(r() * 12);
  const len = 3 + Math.floor(r() * 20);
  const lazy = r() < 0.6;
  const cpus = r() < 0.5 ? 1 : 2;
  const twoThreads = r() < 0.35;
  const frames = r() < 0.15 ? "\n  frames: 3" : "";
  const lock = r() < 0.1 ? "\n  aspace_lock: held" : "";
  const op = pick(["get_as_str", "get_as_str", "get_as_null_terminated", "get_slice", "get"]);
  let step: string;
  if (op === "get_as_str") step = `{ op: get_as_str, ptr: ${hex(strAt)} }`;
  else if (op === "get_as_null_terminated") step = `{ op: get_as_null_terminated, ptr: ${hex(strAt)}, type: u8 }`;
  else if (op === "get_slice") step = `{ op: get_as_slice, ptr: ${hex(strAt)}, len: ${len}, use: read }`;
  else step = `{ op: get, ptr: ${hex(base + 0x1000 - 8)}, type: u64, use: read }`;
  const second = twoThreads ? `\n  - { name: t2, cpu: ${cpus - 1}, steps: [ { op: get_as_str, ptr: ${hex(base + 0x10)} }, { op: user_access, addr: ${hex(base + 0x1000)}, access: read } ] }` : "";
  const actions = [
    `unmap: { start: ${hex(base + 0x1000)}, pages: 1 }`,
    `evict: { start: ${hex(base)}, pages: ${1 + Math.floor(r() * 2)} }`,
    `write: { at: ${hex(strAt + Math.floor(r() * len))}, bytes: [0] }`,
    `write: { at: ${hex(strAt + 1)}, bytes: [0xff] }`,
    `protect: { start: ${hex(base)}, pages: 2, perm: "" }`,
    `map: { start: ${hex(base + 0x1000)}, pages: 1, perm: r, populate: ${r() < 0.5} }`,
    `interrupt: { addr: ${pick([8, base + 0x1000, base])}, access: read }`,
    `nested: { op: get_as_str, ptr: ${hex(base + 0x10)} }`,
    `frames: 0`,
    ...(cpus === 2 ? [`migrate: { cpu: 1 }`] : []),
    ...(twoThreads ? [`run: { thread: t2, step: { op: get_as_str, ptr: ${hex(base + 0x10)} } }`] : []),
  ];
  const nraces = 1 + Math.floor(r() * 4);
  const races: string[] = [];
  for (let i = 0; i < nraces; i++) {
    const extra: string[] = [];
    if (r() < 0.25) extra.push(`at: [${pick(["before-read, page-fault", "page-check, flag-set", "before-step, after-step, page-fault", "before-read"])}]`);
    if (twoThreads && r() < 0.3) extra.push(`during: [${pick(["main", "t2", "main#1", "t2#2"])}]`);
    races.push(`  - { name: r${i}, do: { ${pick(actions)} }${extra.map((e) => `, ${e}`).join("")} }`);
  }
  const depth = nraces === 1 ? 1 : Math.min(pick([1, 2, 2, 3]), nraces >= 3 ? 2 : 3);
  const never = r() < 0.3 ? ", never: [panic]" : "";
  const hazards = r() < 0.2 ? ", hazards: forbidden" : "";
  return `name: random ${seed}
machine:
  cpus: ${cpus}
  strategy: ${pick(STRATEGIES)}${frames}${lock}
memory:
  - { start: ${hex(base)}, pages: ${pages}, perm: rw, populate: ${!lazy}, contents: [ { at: ${hex(base + 0x10)}, str: "in\\0" }, { at: ${hex(strAt)}, fill: 0x61, len: ${len} } ] }
threads:
  - { name: main, cpu: 0, steps: [ ${step} ] }${second}
races:
${races.join("\n")}
explore: { depth: ${depth}${never}${hazards} }
`;
}

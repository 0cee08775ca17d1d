// chalk lives here only: renderers ask for a palette with colour on or off.
import { Chalk } from "chalk";

export interface Palette {
  ok: (s: string) => string;
  bad: (s: string) => string;
  warn: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
  accent: (s: string) => string;
}

export function palette(color: boolean): Palette {
  if (!color) {
    const id = (s: string) => s;
    return { ok: id, bad: id, warn: id, dim: id, bold: id, accent: id };
  }
  const c = new Chalk({ level: 1 });
  return { ok: c.green, bad: c.red, warn: c.yellow, dim: c.dim, bold: c.bold, accent: c.cyan };
}

// check --exclude GLOB: `*` and `?` within one path segment, `**` across segments,
// as .gitignore-style globs go; matched against the path as check names the file.

/** A glob as a regular expression over a path with `/` separators. */
export function globRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === "*" && glob[i + 1] === "*") {
      // `**/` is any number of whole folders (none included); a trailing `**` is everything below.
      const slash = glob[i + 2] === "/";
      re += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else re += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Whether a path (`./` and `\` forms accepted) matches one of the globs; a glob without `/` matches a file name in any folder. */
export function excluded(path: string, globs: readonly RegExp[], plain: readonly RegExp[]): boolean {
  const p = path.replace(/\\/g, "/").replace(/^(\.\/)+/, "");
  const name = p.slice(p.lastIndexOf("/") + 1);
  return globs.some((g) => g.test(p)) || plain.some((g) => g.test(name));
}

/** The --exclude globs, split into those that name paths and those that name files (no `/`). */
export function excludeGlobs(list: readonly string[]): { paths: RegExp[]; names: RegExp[] } {
  return {
    paths: list.filter((g) => g.includes("/")).map((g) => globRegExp(g.replace(/^(\.\/)+/, ""))),
    names: list.filter((g) => !g.includes("/")).map(globRegExp),
  };
}

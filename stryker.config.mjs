// `npm run mutate`: mutation testing of the scenario loader (Stryker, vitest
// runner). Slow, so not part of `npm test`. Only in-process tests can kill a
// mutant (the CLI tests spawn the built bundle, which Stryker does not mutate),
// so they are left out: see vitest.stryker.config.ts.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.stryker.config.ts" },
  mutate: ["src/scenario/**/*.ts"],
  coverageAnalysis: "perTest",
  // Mutants in code that runs when a module loads (the zod schema is built there) would each need the whole
  // suite: hours on this machine. They are skipped; the schema's own behaviour is pinned by the corpus.
  ignoreStatic: true,
  concurrency: 1,
  reporters: ["clear-text", "progress", "html"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
  timeoutMS: 20000,
};

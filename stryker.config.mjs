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
  concurrency: 1,
  reporters: ["clear-text", "progress", "html"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
  timeoutMS: 20000,
};

import { defineConfig } from "vitest/config";

// For `npm run mutate` only: the tests that run the library in this process.
export default defineConfig({
  test: {
    include: ["test/scenario/**/*.test.ts"],
    exclude: ["test/scenario/invalid-corpus.test.ts"],
    testTimeout: 60_000,
  },
});

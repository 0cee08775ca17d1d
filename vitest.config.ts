import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // CLI tests spawn the built bundle (what users run); `npm test` builds it first.
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 20_000,
  },
});

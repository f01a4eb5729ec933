import { defineConfig } from "vitest/config";

// One runner for the whole repo: each workspace is a project, so `npm test` runs them all.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/api", "apps/slack-bot"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

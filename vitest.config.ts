import { defineConfig } from "vitest/config";

// One runner for the whole repo: each workspace is a project, so `npm test` runs them all.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/api", "apps/slack-bot", "apps/crm-extension/hubspot/src/app/cards"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

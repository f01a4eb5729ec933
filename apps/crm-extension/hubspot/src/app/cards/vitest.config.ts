import { defineProject } from "vitest/config";

// The card's component tests run in Node: @hubspot/ui-extensions/testing renders to its own tree, no DOM needed.
export default defineProject({
  test: { name: "hubspot-card", testTimeout: 20_000, include: ["test/**/*.test.{ts,tsx}"] },
});

import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "slack-bot", testTimeout: 60_000, hookTimeout: 120_000 } });

import { defineConfig } from "drizzle-kit";

// Generates SQL migrations into the top-level migrations/ folder; never `push`.
export default defineConfig({
  dialect: "postgresql",
  schema: "./packages/db/src/schema/index.ts",
  out: "./migrations",
  strict: true,
  verbose: true,
});

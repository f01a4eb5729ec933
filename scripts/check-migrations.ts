// Fails when the drizzle schema and the committed migrations disagree: generates into a copy and looks for new files.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";

// drizzle-kit resolves --out relative to the working directory, so the copy lives in the (git-ignored) .reckon/.
mkdirSync(".reckon", { recursive: true });
const copy = mkdtempSync(".reckon/migrations-check-");
try {
  cpSync("migrations", copy, { recursive: true });
  const before = new Set(readdirSync(copy));
  const output = execFileSync(
    "npx",
    [
      "drizzle-kit",
      "generate",
      "--dialect",
      "postgresql",
      "--schema",
      "packages/db/src/schema/index.ts",
      "--out",
      copy,
    ],
    { stdio: "pipe", encoding: "utf8" },
  );
  if (!readdirSync(`${copy}/meta`).some((file) => file.endsWith("_snapshot.json"))) {
    throw new Error("drizzle-kit found no snapshot in the copy: the check did not run");
  }
  if (/error/i.test(output)) throw new Error(`drizzle-kit failed:\n${output}`);
  const added = readdirSync(copy).filter((file) => !before.has(file));
  if (added.length > 0) {
    console.error(
      `The schema in packages/db/src/schema differs from migrations/ (drizzle-kit would add ${added.join(", ")}).\n` +
        "Run `npm run db:generate -- --name <what-changed>` and commit the new migration.",
    );
    process.exit(1);
  }
  console.log("migrations: the committed migrations match the schema");
} finally {
  rmSync(copy, { recursive: true, force: true });
}

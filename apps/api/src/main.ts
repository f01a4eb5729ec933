// `npm start`: Reckon in one process. With nothing configured: PGlite under .reckon/, in-process jobs, and a demo
// tenant synced from the local sandbox; DATABASE_URL and REDIS_URL switch to Postgres and BullMQ.
import { ConfigError, loadConfig } from "@reckon/core";
import { type Runtime, startRuntime } from "./runtime";

const roleOrder = ["admin", "finance", "account_manager", "viewer"];

/** The embedded default only: who can sign in to the demo, and the admin token scripts can use at once. */
function printDemoAccess(runtime: Runtime, dataDir: string) {
  if (!runtime.demo) return;
  const { slug, access } = runtime.demo;
  const users = [...access.users].sort(
    (a, b) => roleOrder.indexOf(a.role) - roleOrder.indexOf(b.role) || a.email.localeCompare(b.email),
  );
  const emailWidth = Math.max(...users.map((u) => u.email.length));
  console.log(`\n  Sign in at ${runtime.url}/sign-in (workspace "${slug}") as any demo user:`);
  for (const user of users) {
    console.log(`    ${user.role.padEnd(16)} ${user.email.padEnd(emailWidth)}  password: ${user.password}`);
  }
  const tokenFile = `${dataDir}/demo-token`;
  console.log(`  Demo admin API token in ${tokenFile}:`);
  console.log(`    curl -H "Authorization: Bearer $(cat ${tokenFile})" ${runtime.url}/v1/portfolio`);
}

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${error.message}\nFix the variables above (see README.md, "Configuration") and start again.`);
      process.exit(1);
    }
    throw error;
  }
  const database =
    config.database.kind === "pglite" ? `PGlite in ${config.database.dataDir}` : "PostgreSQL (DATABASE_URL)";
  const jobs = config.jobs.kind === "bullmq" ? "BullMQ (REDIS_URL)" : "in-process jobs";
  console.log(`Reckon starting: ${database}, ${jobs}`);
  const started = performance.now();
  const runtime = await startRuntime(config, { onProgress: (line) => console.log(`  ${line}`) });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\nReckon is running at ${runtime.url}  (ready in ${seconds} s; Ctrl-C stops it)`);
  console.log(`  API: ${runtime.url}/v1/portfolio   health: ${runtime.url}/healthz`);
  if (runtime.slack) console.log(`  Slack bot on the sandbox's workspace: ${runtime.url}/slack shows what it posted`);
  printDemoAccess(runtime, config.dataDir);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping...`);
    await runtime.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error("Reckon could not start:", error instanceof Error ? error.message : error);
  if (error instanceof Error && error.stack) console.error(error.stack);
  process.exit(1);
});

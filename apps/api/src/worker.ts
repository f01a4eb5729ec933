// `npm run worker`: a BullMQ worker process (production). Same DATABASE_URL, REDIS_URL and RECKON_SECRET_KEY as the
// API; run as many as the queues need. Each keeps the sync schedules registered and closes runs whose worker died.
import { createLogger, loadConfig, openServices, startSyncUpkeep } from "@reckon/core";
import { createSlackNotifier, loadNotifierConfig, slackWebClient } from "@reckon/slack-bot";

async function main() {
  const config = loadConfig();
  if (config.jobs.kind !== "bullmq") {
    console.error("npm run worker needs REDIS_URL (BullMQ). Without it, `npm start` runs jobs in-process.");
    process.exit(1);
  }
  const log = createLogger(config.logLevel, { role: "worker" });
  const services = await openServices(config, log, { processJobs: true });
  // Approvals, flags and digests are posted from here (SLACK_BOT_TOKEN); without it those jobs post nothing.
  const slack = loadNotifierConfig();
  services.slack.current = slack ? createSlackNotifier({ client: slackWebClient(slack.token, slack.apiUrl) }) : null;
  const upkeep = startSyncUpkeep({ ...services, syncEveryMs: config.syncIntervalMs });
  await upkeep.ready;
  log.info({ pid: process.pid }, "worker ready");
  console.log(`worker ${process.pid} ready`);
  const stop = async () => {
    await upkeep.stop();
    await services.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  console.error("worker could not start:", error instanceof Error ? error.message : error);
  process.exit(1);
});

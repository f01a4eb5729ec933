// Slack acknowledgement latency: the bot in its own process (as production runs it, `apps/slack-bot` main.ts on
// PostgreSQL), the demo tenant and the Slack sandbox in this one (Slack's side), and waves of 50 concurrent signed
// /billing commands from the sandbox's driver, as many people typing at once. The clock runs from the request
// leaving "Slack" to the bot's HTTP answer (Slack gives up at 3 s; the target is p99 < 300 ms). Heavy answers come
// later through the response URL and are counted, not timed, here.
import { type ChildProcess, spawn } from "node:child_process";
import { queryRows } from "@reckon/db";
import { createSlackDriver, type RunningSlackSandbox } from "@reckon/sandbox";
import { sql } from "drizzle-orm";
import { inheritedEnvironment } from "./config";
import { fmt, log, type Percentiles, percentiles, round } from "./report";
import { startBenchStack } from "./stack";

export interface SlackAckResult {
  accounts: number;
  concurrency: number;
  commands: number;
  /** Answers other than 200 (Slack would show the user an error). */
  failed: number;
  /** Commands answered: inside the acknowledgement (help) or through the response URL within 10 s of the last wave. */
  answered: number;
  ackMs: Percentiles;
}

/** Starts `npm run`'s bot entry with the sandbox's app credentials; resolves with its events URL. */
async function startBotProcess(
  slack: RunningSlackSandbox,
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "apps/slack-bot/src/main.ts"], {
    env: {
      ...inheritedEnvironment,
      ...env,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_BOT_ID: slack.workspace.bot.botId,
      SLACK_BOT_USER_ID: slack.workspace.bot.userId,
      SLACK_API_URL: slack.apiUrl,
      SLACK_PORT: "0",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const port = /listening on :(\d+)/.exec(out)?.[1];
      if (port) resolve(`http://127.0.0.1:${port}/slack/events`);
    });
    child.once("exit", (code) => reject(new Error(`the bot process exited (${code}) before listening:\n${out}`)));
  });
  return { url, child };
}

export async function slackAckLatency(
  databaseUrl: string,
  options: { accounts: number; concurrency: number; waves: number },
): Promise<SlackAckResult> {
  log(`Slack acknowledgements: starting the stack (${fmt(options.accounts)} demo accounts on PostgreSQL) ...`);
  const stack = await startBenchStack(databaseUrl, options.accounts, "slack");
  const { runtime, dataDir } = stack;
  let bot: ChildProcess | null = null;
  try {
    const started = await startBotProcess(runtime.slack!.sandbox, {
      DATABASE_URL: databaseUrl,
      RECKON_DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
    });
    bot = started.child;
    const slack = {
      sandbox: runtime.slack!.sandbox,
      driver: createSlackDriver({ url: started.url, slack: runtime.slack!.sandbox }),
    };
    const people = slack.sandbox.workspace.users.filter((u) => !u.isBot).map((u) => u.id);
    const names = await queryRows<{ name: string }>(
      runtime.services.db,
      sql`select name from accounts order by id limit 200`,
    );
    // What people type: account lookups mostly, lists and the forecast, and the odd typo or help.
    const texts = ["portfolio", "overdue", "forecast", "help", ...names.map((n) => n.name), "acme corp typo"];
    const samples: number[] = [];
    let failed = 0;
    let sent = 0;
    let answeredInAck = 0;
    const before = slack.sandbox.records.responses().length;
    for (let wave = 0; wave < options.waves; wave++) {
      const answers = await Promise.all(
        Array.from({ length: options.concurrency }, (_, i) => {
          const n = sent++;
          return slack.driver.command({
            command: "/billing",
            text: texts[n % texts.length]!,
            user: people[(n + i) % people.length]!,
          });
        }),
      );
      for (const answer of answers) {
        samples.push(answer.ackMs);
        if (answer.status !== 200) failed++;
        else if (answer.body !== null) answeredInAck++;
      }
      if ((wave + 1) % 5 === 0) log(`  ${fmt(sent)} commands, p99 so far ${round(percentiles(samples).p99)} ms`);
    }
    const deadline = Date.now() + 10_000;
    const answeredNow = () => answeredInAck + slack.sandbox.records.responses().length - before;
    while (answeredNow() < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const result: SlackAckResult = {
      accounts: options.accounts,
      concurrency: options.concurrency,
      commands: sent,
      failed,
      answered: answeredNow(),
      ackMs: percentiles(samples),
    };
    log(`  ${fmt(sent)} commands acknowledged, p99 ${result.ackMs.p99} ms; ${fmt(result.answered)} answered`);
    return result;
  } finally {
    bot?.kill("SIGTERM");
    await stack.stop();
  }
}

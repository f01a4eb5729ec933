// The bench's one read of the environment: where its scratch databases go, and what child processes inherit.
// biome-ignore lint/suspicious/noUndeclaredEnvVars: npm run bench runs under tsx, never as a turbo task.
export const benchAdminUrl = process.env.RECKON_BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** The environment the bench's child processes (the Slack bot) start from, before their own variables. */
export const inheritedEnvironment: Readonly<Record<string, string | undefined>> = { ...process.env };

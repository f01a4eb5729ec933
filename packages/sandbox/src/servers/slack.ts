// The Slack fake: the Web API methods the bot calls (under /api/, as `clientOptions.slackApiUrl` expects) and the
// response URLs it posts to. Slack answers almost everything with HTTP 200 and `{ ok, error }`: bad tokens
// (`not_authed`, `invalid_auth`), unknown methods and bad arguments included; only rate limits are a 429.
import { type Context, Hono } from "hono";
import { chatMethods } from "../slack/chatMethods.js";
import { directoryMethods } from "../slack/directoryMethods.js";
import { postToResponseUrl } from "../slack/respond.js";
import { SlackError, type SlackMethod, type SlackState } from "../slack/state.js";
import { viewMethods } from "../slack/viewMethods.js";
import { hold } from "./faultAnswers.js";

const methods: Record<string, SlackMethod> = { ...chatMethods, ...viewMethods, ...directoryMethods };

/** Arguments from the query string and the body: form-encoded (what @slack/web-api sends), JSON, or multipart. */
async function readArgs(c: Context): Promise<{ args: Record<string, unknown>; json: boolean }> {
  const args: Record<string, unknown> = Object.fromEntries(new URL(c.req.url).searchParams);
  if (c.req.method !== "POST") return { args, json: false };
  const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "multipart/form-data") {
    const form = await c.req.parseBody();
    for (const [key, value] of Object.entries(form)) if (typeof value === "string") args[key] = value;
    return { args, json: false };
  }
  const text = await c.req.text();
  if (type === "application/json") {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new SlackError("invalid_json");
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) throw new SlackError("json_not_object");
    return { args: { ...args, ...body }, json: true };
  }
  if (type !== "" && type !== "application/x-www-form-urlencoded") throw new SlackError("invalid_form_data");
  for (const [key, value] of new URLSearchParams(text)) args[key] = value;
  return { args, json: false };
}

/** The bearer token, or (form and query only, as at Slack) a `token` argument. */
function tokenOf(c: Context, args: Record<string, unknown>, json: boolean): string | null {
  const header = c.req.header("Authorization") ?? "";
  if (header.startsWith("Bearer ")) return header.slice(7).trim() || null;
  return !json && typeof args.token === "string" && args.token ? args.token : null;
}

export function slackApp(state: SlackState): Hono {
  const app = new Hono();
  let requestCounter = 0;
  app.use("*", async (c, next) => {
    const at = state.now();
    requestCounter++;
    c.header("X-Slack-Req-Id", `sandbox-${requestCounter.toString(16).padStart(12, "0")}`);
    await next();
    const path = new URL(c.req.url).pathname;
    let body: { ok?: unknown; error?: unknown } = {};
    if (c.res.headers.get("Content-Type")?.includes("json")) body = (await c.res.clone().json()) as typeof body;
    state.faults.log({
      method: path.startsWith("/api/") ? path.slice(5) : "response_url",
      status: c.res.status,
      ok: typeof body.ok === "boolean" ? body.ok : null,
      error: typeof body.error === "string" ? body.error : null,
      at,
    });
    // Tests waiting on records can wait on the log too.
    state.store.changed();
  });

  app.on(["GET", "POST"], "/api/:method", async (c) => {
    const name = c.req.param("method");
    const fault = state.faults.take(name);
    if (fault?.kind === "rate_limit") {
      c.header("Retry-After", String(fault.retryAfterSeconds));
      return c.json({ ok: false, error: "ratelimited" }, 429);
    }
    if (fault?.kind === "failure") return c.json({ ok: false, error: "internal_error" }, fault.status as 500);
    if (fault?.kind === "error") return c.json({ ok: false, error: fault.error });
    if (fault?.kind === "delay") await hold(fault.delayMs);
    try {
      const method = methods[name];
      if (!method) throw new SlackError("unknown_method", { req_method: name });
      const { args, json } = await readArgs(c);
      const token = tokenOf(c, args, json);
      if (!token) throw new SlackError("not_authed");
      if (token !== state.workspace.bot.token) throw new SlackError("invalid_auth");
      if (state.faults.tokenRevoked) throw new SlackError("token_revoked");
      return c.json(method(state, args));
    } catch (error) {
      if (error instanceof SlackError) return c.json({ ok: false, error: error.error, ...error.extra });
      throw error;
    }
  });

  app.post("/:kind{commands|actions}/*", async (c) => {
    const path = new URL(c.req.url).pathname;
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      body = undefined;
    }
    const outcome = postToResponseUrl(state, state.interactions.responseUrl(path), c.req.url, body);
    if (outcome.error) {
      const extra = outcome.messages ? { response_metadata: { messages: outcome.messages } } : {};
      return c.json({ ok: false, error: outcome.error, ...extra }, outcome.status as 400);
    }
    return c.json({ ok: true });
  });

  app.all("*", (c) => c.text("Not Found", 404));
  app.onError((error, c) => c.json({ ok: false, error: "fatal_error", detail: String(error) }, 500));
  return app;
}

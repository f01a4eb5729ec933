// The Slack page at /slack (embedded default only): what the bot posted in the sandbox's workspace, rendered as
// Slack shows it, and a box to send /billing as yourself, so a newcomer sees the bot without a Slack workspace.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { slackUsersOf, type TenantContext } from "@reckon/core";
import { renderBlocksHtml, renderMessageHtml, type SlackMessage, slackBlocksCss } from "@reckon/sandbox";
import { raw } from "hono/html";
import type { AppEnv } from "../app";
import type { DemoSlack } from "../embedded";
import { Layout, MessagePage } from "./layout";
import { signInHref, type Viewer, viewerOf } from "./viewer";

const shown = 20;

function Messages(props: { title: string; id: string; messages: SlackMessage[]; slack: DemoSlack; empty: string }) {
  const workspace = props.slack.sandbox.workspace;
  const newest = props.messages.slice(-shown).reverse();
  return (
    <section class="card" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {newest.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <ol class="timeline">
          {newest.map((message) => (
            <li>
              {raw(renderMessageHtml(message, { workspace }))}
              {message.edits.length > 0 ? (
                <p class="muted">
                  Updated {message.edits.length} time{message.edits.length === 1 ? "" : "s"} since it was posted.
                </p>
              ) : null}
              {message.threadTs === null
                ? props.slack.sandbox.records
                    .thread(message.channel, message.ts)
                    .map((reply) => <div class="note">{raw(renderMessageHtml(reply, { workspace }))}</div>)
                : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function SlackView(props: { slack: DemoSlack; slackUser: string | null; viewer: Viewer | null; sent?: string }) {
  const { sandbox } = props.slack;
  const records = sandbox.records;
  const finance = sandbox.workspace.channel("finance");
  const me = props.slackUser;
  const home = me ? records.homeView(me) : undefined;
  const channelMessages = finance ? records.messages(finance.id).filter((m) => m.threadTs === null) : [];
  return (
    <Layout title="Reckon — Slack (sandbox)" viewer={props.viewer}>
      <style>{raw(slackBlocksCss)}</style>
      <p class="note">
        This is the local sandbox's Slack workspace <strong>{sandbox.workspace.team.name}</strong>: the bot answers here
        exactly as it would in yours. Buttons are pictures on this page; the tests click them through the Slack driver.
      </p>
      {props.sent ? <p class="notice">Sent: {props.sent}</p> : null}
      <section class="card" aria-labelledby="try">
        <h2 id="try">Try the bot</h2>
        {me ? (
          <form method="post" action="/slack/command" class="actions">
            <input type="hidden" name="_csrf" value={props.viewer?.csrfToken ?? ""} />
            <label for="command-text">/billing</label>
            <input
              id="command-text"
              name="text"
              maxlength={200}
              placeholder="help, portfolio, overdue, forecast or an account"
            />
            <button type="submit">Send</button>
          </form>
        ) : (
          <p class="muted">
            Your Reckon user has no Slack user in the sandbox workspace, so the bot cannot answer you.
          </p>
        )}
      </section>
      <div class="grid2">
        <Messages
          title="Only you see (command answers)"
          id="ephemeral"
          messages={me ? records.ephemerals(me) : []}
          slack={props.slack}
          empty="Nothing yet: send /billing above."
        />
        <Messages
          title="Your direct messages from the bot"
          id="dm"
          messages={me ? records.messages(sandbox.workspace.imWith(me).id) : []}
          slack={props.slack}
          empty="None yet: retry requests and digests arrive here."
        />
      </div>
      <Messages
        title={`#${finance?.name ?? "finance"}: approvals, flags and digests`}
        id="finance"
        messages={channelMessages}
        slack={props.slack}
        empty="Nothing posted to the finance channel yet."
      />
      <section class="card" aria-labelledby="home">
        <h2 id="home">Your App Home</h2>
        {home ? (
          raw(renderBlocksHtml(home.view.blocks as never, { workspace: sandbox.workspace }))
        ) : (
          <p class="muted">Not opened yet.</p>
        )}
      </section>
    </Layout>
  );
}

async function slackUserOf(ctx: TenantContext, slack: DemoSlack): Promise<string | null> {
  if (ctx.actor.kind !== "user") return null;
  const [user] = await slackUsersOf(ctx, ctx.actor.userId, slack.sandbox.workspace.team.id);
  return user ?? null;
}

export function registerSlackPage(app: OpenAPIHono<AppEnv>) {
  const demoSlack = (deps: AppEnv["Variables"]["deps"]) => deps.demo?.slack ?? null;

  app.get("/slack", async (c) => {
    const ctx = c.var.ctx;
    if (!ctx) return c.redirect(signInHref(c.req.url), 303);
    c.header("cache-control", "no-store");
    const viewer = viewerOf(ctx, c.var.csrfToken, c.var.deps);
    const slack = demoSlack(c.var.deps);
    if (!slack) {
      const message =
        "This page shows the local sandbox's Slack workspace, which only the embedded default (npm start) runs. In production, the bot answers in your own Slack.";
      return c.html(<MessagePage title="No Slack sandbox here" message={message} viewer={viewer} />, 404);
    }
    const sent = c.req.query("sent")?.slice(0, 200);
    return c.html(
      <SlackView slack={slack} slackUser={await slackUserOf(ctx, slack)} viewer={viewer} {...(sent ? { sent } : {})} />,
    );
  });

  app.post("/slack/command", async (c) => {
    const ctx = c.var.ctx;
    if (!ctx) return c.redirect(signInHref("/slack"), 303);
    const slack = demoSlack(c.var.deps);
    const user = slack ? await slackUserOf(ctx, slack) : null;
    if (!slack || !user) return c.redirect("/slack", 303);
    const body = await c.req.parseBody();
    const text = (typeof body.text === "string" ? body.text : "").trim().slice(0, 200);
    const earlier = slack.sandbox.records.ephemerals(user).length;
    await slack.driver.command({ command: "/billing", text, user });
    // The answer arrives through the response URL a moment later: wait for it (briefly) so the page shows it.
    await slack.sandbox.records
      .waitFor(() => slack.sandbox.records.ephemerals(user).length > earlier, { timeoutMs: 3_000 })
      .catch(() => {});
    return c.redirect(`/slack?sent=${encodeURIComponent(`/billing ${text}`)}`, 303);
  });
}

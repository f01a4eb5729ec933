// Map accounts (admin): the links the sync could not settle on its own. Suggested links to confirm, and source records
// no account links yet, each with a Confirm button where one account matches. The same verbs as /v1/links/*.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { OpenAPIHono } from "@hono/zod-openapi";
import {
  type AccountRef,
  confirmAccountLink,
  confirmAccountLinkInput,
  type LinkSource,
  type LinkSuggestions,
  listLinkSuggestions,
} from "@reckon/core";
import type { AppEnv } from "../app";
import { field, guard, Notice, refusal } from "./actionRoutes";
import { currentLocale, sourceLabel } from "./format";
import { Layout } from "./layout";
import type { Viewer } from "./viewer";

const shown = 200;

const notices: Record<string, string> = {
  linked: "Linked. The account is being reconciled with that record now.",
};

const recordNames: Record<LinkSource, string> = {
  stripe: "Stripe customer",
  quickbooks: "QuickBooks customer",
  amplitude: "Amplitude group",
};

export function registerLinksPage(app: OpenAPIHono<AppEnv>) {
  app.use("/links", async (c, next) => {
    await next();
    c.header("cache-control", "no-store");
  });

  app.get("/links", async (c) => {
    const caller = await guard(c, "settings.manage", "Mapping accounts");
    if (caller instanceof Response) return caller;
    const links = await listLinkSuggestions({ ctx: caller.ctx, input: { limit: shown } });
    return c.html(<LinksView links={links} viewer={caller.viewer} notice={notices[c.req.query("notice") ?? ""]} />);
  });

  app.post("/links/confirm", async (c) => {
    const caller = await guard(c, "settings.manage", "Mapping accounts");
    if (caller instanceof Response) return caller;
    const body = await c.req.parseBody();
    const input = confirmAccountLinkInput.safeParse({
      accountId: field(body, "accountId"),
      source: field(body, "source"),
      sourceId: field(body, "sourceId"),
    });
    if (!input.success) {
      return refusal(c, caller.viewer, 400, "Not a link", "That form names no account and source record.", "/links");
    }
    const change = await confirmAccountLink({ ctx: caller.ctx, jobs: c.var.deps.jobs, input: input.data });
    if (change.ok) return c.redirect("/links?notice=linked", 303);
    const record = recordNames[input.data.source];
    switch (change.reason) {
      case "account_not_found":
        return refusal(c, caller.viewer, 404, "No such account", "That account is not in this workspace.", "/links");
      case "source_not_found":
        return refusal(c, caller.viewer, 404, `No such ${record}`, `No ${record} with that id has synced.`, "/links");
      case "linked_elsewhere":
        return refusal(
          c,
          caller.viewer,
          409,
          "Linked to another account",
          `That ${record} is linked to “${change.account.name}”. Link that account to another record first.`,
          "/links",
        );
    }
  });
}

export function LinksView(props: { links: LinkSuggestions; viewer: Viewer | null; notice?: string | undefined }) {
  const { suggested, unlinked, counts } = props.links;
  return (
    <Layout title="Reckon — Map accounts" viewer={props.viewer}>
      <p>
        <a href="/">← Portfolio</a>
      </p>
      <Notice text={props.notice} />
      <p>
        Each account is linked to its QuickBooks customer, Stripe customer and Amplitude group: by the Reckon id set on
        the record first, then by matching name or email domain. What the sync could not settle on its own waits here. A
        confirmed link is never replaced by a sync.
      </p>
      <h2 id="suggested">Suggested links to confirm ({counts.suggested.toLocaleString(currentLocale())})</h2>
      {suggested.length === 0 ? (
        <p class="muted">Nothing to confirm: every link was made by an explicit id or has been confirmed.</p>
      ) : (
        <div class="scroll">
          <table id="suggested-links">
            <caption class="sr-only">Suggested links</caption>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Source</th>
                <th scope="col">Record</th>
                <th scope="col">
                  <span class="sr-only">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {suggested.map((link) => (
                <tr>
                  <th scope="row">
                    <a href={`/accounts/${link.account.id}`}>{link.account.name}</a>
                  </th>
                  <td>{sourceLabel(link.source)}</td>
                  <td>
                    <RecordName name={link.sourceName} id={link.sourceId} />
                  </td>
                  <td>
                    <ConfirmForm
                      account={link.account}
                      source={link.source}
                      sourceId={link.sourceId}
                      viewer={props.viewer}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 id="unlinked">Records no account links yet ({counts.unlinked.toLocaleString(currentLocale())})</h2>
      {unlinked.length === 0 ? (
        <p class="muted">Every synced customer and group belongs to an account.</p>
      ) : (
        <>
          <p class="muted">
            Their invoices, payments and usage are in Reckon but on no account, so they are left out of reconciliation.
            Confirm the matching account where there is one; otherwise set the account's id on the record in the source
            (or POST /v1/links/confirm with the account id) and the next sync links it.
          </p>
          <div class="scroll">
            <table id="unlinked-records">
              <caption class="sr-only">Unlinked records</caption>
              <thead>
                <tr>
                  <th scope="col">Record</th>
                  <th scope="col">Source</th>
                  <th scope="col">Email</th>
                  <th scope="col">Matching account</th>
                </tr>
              </thead>
              <tbody>
                {unlinked.map((record) => (
                  <tr>
                    <th scope="row">
                      <RecordName name={record.name} id={record.sourceId} />
                    </th>
                    <td>{sourceLabel(record.source)}</td>
                    <td>{record.email ?? <span class="muted">—</span>}</td>
                    <td>
                      {record.suggestedAccount ? (
                        <ConfirmForm
                          account={record.suggestedAccount}
                          source={record.source}
                          sourceId={record.sourceId}
                          viewer={props.viewer}
                          named
                        />
                      ) : (
                        <span class="muted">None, or several: link it by id</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {counts.suggested > shown || counts.unlinked > shown ? (
        <p class="muted">The first {shown} of each are shown; confirming some brings the next ones up.</p>
      ) : null}
    </Layout>
  );
}

function RecordName(props: { name: string | null; id: string }) {
  return (
    <>
      {props.name ?? <span class="muted">(no name)</span>} <code class="muted">{props.id}</code>
    </>
  );
}

function ConfirmForm(props: {
  account: AccountRef;
  source: LinkSource;
  sourceId: string;
  viewer: Viewer | null;
  /** Show the account's name beside the button (the unlinked list, where the account is the suggestion). */
  named?: boolean;
}) {
  return (
    <form method="post" action="/links/confirm" class="inline">
      <input type="hidden" name="_csrf" value={props.viewer?.csrfToken ?? ""} />
      <input type="hidden" name="accountId" value={props.account.id} />
      <input type="hidden" name="source" value={props.source} />
      <input type="hidden" name="sourceId" value={props.sourceId} />
      {props.named ? <a href={`/accounts/${props.account.id}`}>{props.account.name}</a> : null}{" "}
      <button type="submit" class="secondary" aria-label={`Confirm ${props.account.name} ↔ ${props.sourceId}`}>
        Confirm
      </button>
    </form>
  );
}

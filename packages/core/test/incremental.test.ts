// After the first sync, a refresh reconciles only the accounts whose inputs changed: a new Stripe charge for one
// account recomputes that account alone, and its payment shows up.
import { freshPglite } from "@reckon/db/testing";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { getAccountDetail } from "../src/accounts/getAccountDetail";
import { createJobHandlers } from "../src/jobHandlers";
import type { JobContext } from "../src/jobs";
import { createLogger } from "../src/log";
import { listPortfolio } from "../src/portfolio/listPortfolio";
import { clock, connectTenant, smallScenario } from "./pipeline";

const job = (): JobContext => ({
  jobId: "test",
  attempt: 1,
  log: createLogger("silent"),
  progress: () => {},
  signal: new AbortController().signal,
});

describe("incremental reconciliation", () => {
  it("recomputes only the account a new charge belongs to", async () => {
    const database = await freshPglite();
    const scenario = smallScenario(13, 20, 3);
    const { ctx, sandbox } = await connectTenant(database, scenario);
    try {
      const handlers = createJobHandlers({ db: ctx.db, log: ctx.log, secrets: ctx.secrets, clock });
      const first = (await handlers["sync.tenant"]({ tenantId: ctx.tenant.tenantId, reason: "manual" }, job())) as {
        reconciled: { accounts: number };
      };
      expect(first.reconciled.accounts).toBe(20);

      // Nothing changed: nothing to recompute.
      const quiet = (await handlers["sync.tenant"]({ tenantId: ctx.tenant.tenantId, reason: "manual" }, job())) as {
        reconciled: { accounts: number };
      };
      expect(quiet.reconciled.accounts).toBe(0);

      // A new charge for one customer arrives as a Stripe event.
      const template = scenario.stripe.charges.find((c) => c.status === "succeeded")!;
      const created = Math.floor(clock().getTime() / 1000) - 60;
      const charge: Stripe.Charge = { ...template, id: "ch_incremental_test", created, amount: 4242, metadata: {} };
      sandbox.scenario.stripe.charges.push(charge);
      sandbox.scenario.stripe.events.push({
        id: "evt_incremental_test",
        object: "event",
        api_version: "2026-10-28.endive",
        created,
        livemode: false,
        pending_webhooks: 0,
        request: { id: null, idempotency_key: null },
        type: "charge.succeeded",
        data: { object: charge },
      } as Stripe.Event);

      const refresh = (await handlers["sync.tenant"]({ tenantId: ctx.tenant.tenantId, reason: "manual" }, job())) as {
        reconciled: { accounts: number };
      };
      expect(refresh.reconciled.accounts).toBe(1);
      const page = await listPortfolio({ ctx, input: { limit: 200 } });
      const customerAccounts = await Promise.all(
        page.rows.map((row) => getAccountDetail({ ctx, input: { accountId: row.accountId } })),
      );
      const owner = customerAccounts.find((d) => d?.account.links.stripe?.id === template.customer);
      expect(owner?.payments.map((p) => p.id)).toContain("ch_incremental_test");
    } finally {
      await sandbox.stop();
      await database.close();
    }
  });
});

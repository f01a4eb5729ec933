// The upkeep's webhook sweep on PGlite with the in-process runner: events whose apply job was lost are queued again,
// once per charge (Stripe) or tenant (QuickBooks), and nothing recent, settled or failed-and-just-tried is touched.
import { type DatabaseHandle, queryRows } from "@reckon/db";
import { freshPglite } from "@reckon/db/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordingHandlers, silentLog } from "../../test/jobsTestkit";
import { createInProcessRunner } from "../jobs/inProcess";
import { requeueUnappliedWebhooks } from "./recordWebhookEvents";

const now = new Date("2026-12-03T12:00:00Z");
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
let database: DatabaseHandle;

beforeAll(async () => {
  database = await freshPglite();
});
afterAll(async () => {
  await database?.close();
});

async function newTenant(slug: string): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    database.db,
    sql`insert into tenants (slug, name) values (${slug}, 'Sweep') returning id`,
  );
  return row!.id;
}

async function event(
  tenantId: string,
  source: "stripe" | "quickbooks",
  eventId: string,
  {
    outcome,
    receivedMinutesAgo,
    processedMinutesAgo = null,
    chargeId = null,
  }: {
    outcome: string;
    receivedMinutesAgo: number;
    processedMinutesAgo?: number | null;
    chargeId?: string | null;
  },
) {
  await queryRows(
    database.db,
    sql`insert into webhook_events (tenant_id, source, event_id, type, detail, outcome, received_at, processed_at)
        values (${tenantId}::uuid, ${source}, ${eventId}, 'charge.updated', ${JSON.stringify({ chargeId })}::jsonb,
          ${outcome}, ${minutesAgo(receivedMinutesAgo)}::timestamptz,
          ${processedMinutesAgo === null ? null : minutesAgo(processedMinutesAgo)}::timestamptz)`,
  );
}

describe("requeueUnappliedWebhooks", () => {
  it("queues again what lost its job, deduplicated as on receipt, and leaves the rest alone", async () => {
    const a = await newTenant("sweep-a");
    const b = await newTenant("sweep-b");
    // Lost: pending for 5 minutes; two about one charge (one job), one without a charge.
    await event(a, "stripe", "evt_lost_1", { outcome: "pending", receivedMinutesAgo: 5, chargeId: "ch_1" });
    await event(a, "stripe", "evt_lost_2", { outcome: "pending", receivedMinutesAgo: 4, chargeId: "ch_1" });
    await event(a, "stripe", "evt_lost_3", { outcome: "pending", receivedMinutesAgo: 3 });
    // Out of attempts 20 minutes ago: tried again. Failed 2 minutes ago: its retries may still be under way.
    await event(a, "stripe", "evt_failed_old", {
      outcome: "failed",
      receivedMinutesAgo: 30,
      processedMinutesAgo: 20,
      chargeId: "ch_2",
    });
    await event(a, "stripe", "evt_failed_new", {
      outcome: "failed",
      receivedMinutesAgo: 3,
      processedMinutesAgo: 2,
      chargeId: "ch_3",
    });
    // Too recent (its job may be on its way), settled, or too old to matter (the sync has long covered it).
    await event(a, "stripe", "evt_recent", { outcome: "pending", receivedMinutesAgo: 0.5, chargeId: "ch_4" });
    await event(a, "stripe", "evt_applied", {
      outcome: "applied",
      receivedMinutesAgo: 5,
      processedMinutesAgo: 5,
      chargeId: "ch_5",
    });
    await event(a, "stripe", "evt_ancient", { outcome: "pending", receivedMinutesAgo: 5 * 24 * 60, chargeId: "ch_6" });
    // QuickBooks: every change is one CDC sync, so one job per tenant.
    await event(b, "quickbooks", "qb_1", { outcome: "pending", receivedMinutesAgo: 6 });
    await event(b, "quickbooks", "qb_2", { outcome: "pending", receivedMinutesAgo: 5 });

    const harness = recordingHandlers();
    const jobs = createInProcessRunner(harness.handlers, { log: silentLog, backoffScale: 0.001 });
    try {
      expect(await requeueUnappliedWebhooks({ db: database.db, jobs, now })).toBe(4);
      await jobs.drain();
      const applied = harness.calls.filter((c) => c.name === "webhook.apply").map((c) => c.payload);
      // ch_1's two events are one re-fetch (it settles both): its oldest is queued.
      expect(applied.map((p) => (p as { eventId: string }).eventId).sort()).toEqual([
        "evt_failed_old",
        "evt_lost_1",
        "evt_lost_3",
        "qb_1",
      ]);
      expect(applied.filter((p) => (p as { tenantId: string }).tenantId === b)).toEqual([
        { tenantId: b, source: "quickbooks", eventId: "qb_1" },
      ]);
    } finally {
      await jobs.close();
    }
  });
});

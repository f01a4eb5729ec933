// The committed migrations give the same schema on PGlite (PostgreSQL 18) and on the machine's PostgreSQL.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { freshPglite, freshPostgres, postgresAvailable } from "../test/harness";
import { type Database, queryRows } from "./client";

async function describeSchema(db: Database) {
  const columns = await queryRows<Record<string, string>>(
    db,
    sql`select table_name, column_name, data_type, is_nullable, coalesce(column_default, '') as column_default
        from information_schema.columns where table_schema = 'public' order by table_name, column_name`,
  );
  const indexes = await queryRows<Record<string, string>>(
    db,
    sql`select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by indexname`,
  );
  const constraints = await queryRows<Record<string, string>>(
    db,
    sql`select conrelid::regclass::text as on_table, conname, pg_get_constraintdef(oid) as definition
        from pg_constraint where connamespace = 'public'::regnamespace and contype <> 'n' order by conname`,
  );
  return { columns, indexes, constraints };
}

describe("migrations", () => {
  it("create every table on PGlite", async () => {
    const handle = await freshPglite();
    const schema = await describeSchema(handle.db);
    const tables = new Set(schema.columns.map((c) => c.table_name));
    for (const table of ["tenants", "accounts", "usage_daily", "invoices", "invoice_lines", "payments"]) {
      expect(tables).toContain(table);
    }
    expect(schema.indexes.map((i) => i.indexname)).toContain("account_summaries_owner_name_idx");
    await handle.close();
  });

  it("put a tenant_id on every table but tenants, first in every primary key and unique index", async () => {
    const handle = await freshPglite();
    const schema = await describeSchema(handle.db);
    const tables = [...new Set(schema.columns.map((c) => c.table_name))].filter(
      (t) => t !== "tenants" && !t!.startsWith("__"),
    );
    for (const table of tables) {
      expect(
        schema.columns.some((c) => c.table_name === table && c.column_name === "tenant_id"),
        table,
      ).toBe(true);
    }
    // Credentials are looked up before anyone knows the tenant: their hash (or the outside identity) is the key.
    // So is a Slack workspace: a request names its team, and the team names the tenant; and a CRM card's request
    // names its HubSpot portal or carries its Salesforce org's card token.
    const credentialKeys = [
      "sessions_secret_key",
      "api_tokens_secret_key",
      "user_identities_external_key",
      "slack_workspaces_team_key",
      "crm_connections_external_key",
      "crm_connections_card_token_key",
    ];
    const keyed = schema.indexes.filter(
      (i) => / unique /i.test(i.indexdef!) && i.tablename !== "tenants" && !credentialKeys.includes(i.indexname!),
    );
    for (const index of keyed) {
      const first = /\((\w+)/.exec(index.indexdef!)?.[1];
      if (index.indexdef!.includes("(id)")) continue; // surrogate uuid keys are globally unique
      expect(first, index.indexname).toBe("tenant_id");
    }
    await handle.close();
  });

  it("give the same schema on PGlite and PostgreSQL", async () => {
    if (!(await postgresAvailable())) return; // fails instead under RECKON_REQUIRE_SERVICES=1
    const lite = await freshPglite();
    const pg = await freshPostgres();
    try {
      const [a, b] = await Promise.all([describeSchema(lite.db), describeSchema(pg.db)]);
      expect(a.columns.length).toBeGreaterThan(50);
      expect(b).toEqual(a);
    } finally {
      await Promise.all([lite.close(), pg.close()]);
    }
  });
});

describe("audit_log", () => {
  async function refusals(db: Database) {
    const [tenant] = await queryRows<{ id: string }>(
      db,
      sql`insert into tenants (slug, name) values ('audited', 'Audited') returning id`,
    );
    await queryRows(
      db,
      sql`insert into audit_log (tenant_id, actor_kind, via, action) values (${tenant!.id}::uuid, 'system', 'job', 'settings.updated')`,
    );
    const attempts = {
      update: sql`update audit_log set action = 'nothing happened'`,
      delete: sql`delete from audit_log`,
      truncate: sql`truncate audit_log`,
      cascade: sql`delete from tenants where id = ${tenant!.id}::uuid`,
    };
    const outcomes: Record<string, string> = {};
    for (const [name, statement] of Object.entries(attempts)) {
      outcomes[name] = await queryRows(db, statement).then(
        () => "allowed",
        (error: Error & { cause?: { message?: string } }) => error.cause?.message ?? error.message,
      );
    }
    const [left] = await queryRows<{ n: number; action: string }>(
      db,
      sql`select count(*)::int as n, min(action) as action from audit_log`,
    );
    return { outcomes, left };
  }

  it("refuses UPDATE, DELETE and TRUNCATE (and deleting its tenant) on PGlite and PostgreSQL", async () => {
    const engines = [await freshPglite()];
    if (await postgresAvailable()) engines.push(await freshPostgres());
    try {
      for (const handle of engines) {
        const { outcomes, left } = await refusals(handle.db);
        expect(outcomes.update).toMatch(/append-only: UPDATE/);
        expect(outcomes.delete).toMatch(/append-only: DELETE/);
        expect(outcomes.truncate).toMatch(/append-only: TRUNCATE/);
        expect(outcomes.cascade).not.toBe("allowed");
        expect(left).toEqual({ n: 1, action: "settings.updated" });
      }
    } finally {
      await Promise.all(engines.map((e) => e.close()));
    }
  });
});

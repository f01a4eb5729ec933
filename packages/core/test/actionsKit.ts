// Test helper for the action verbs (flags, payment retries): a synced, reconciled tenant on a given database, a
// user of every role acting through a surface, and a second tenant whose admin must find none of it.
import type { DatabaseHandle } from "@reckon/db";
import { queryRows } from "@reckon/db";
import { freshPglite, freshPostgres, postgresAvailable } from "@reckon/db/testing";
import type { RunningSandbox, Scenario } from "@reckon/sandbox";
import { sql } from "drizzle-orm";
import type { UserRole } from "../src/access/actor";
import { userContext } from "../src/access/authenticate";
import { createUser } from "../src/access/users";
import { createInProcessAccountCache } from "../src/cache/accountCache";
import { systemContext, type TenantContext } from "../src/context";
import { reconcileTenant } from "../src/reconcile/reconcileTenant";
import { runSourceSync } from "../src/sync/runSourceSync";
import { provisionTenant } from "../src/tenants/provisionTenant";
import { connectTenant } from "./pipeline";

export interface TestDatabase {
  name: string;
  open(): Promise<DatabaseHandle>;
  /** False where the database is not running here; throws when services are required (CI). */
  available(): Promise<boolean>;
}

/** The action verbs run on both engines the product runs on. */
export const actionDatabases: TestDatabase[] = [
  { name: "PGlite", open: freshPglite, available: async () => true },
  { name: "PostgreSQL", open: freshPostgres, available: postgresAvailable },
];

export interface ActionsTenant {
  system: TenantContext;
  sandbox: RunningSandbox;
  /** A user of each role (the account manager owns `own`), acting through the API. */
  as: Record<UserRole, TenantContext>;
  /** An account of the account manager's, and one of someone else's; both linked to Stripe and QuickBooks. */
  own: LinkedAccount;
  others: LinkedAccount;
  /** The admin of another tenant in the same database. */
  otherTenant: TenantContext;
}

export interface LinkedAccount {
  id: string;
  stripeCustomerId: string;
  quickbooksCustomerId: string;
}

async function userOf(system: TenantContext, role: UserRole, email: string): Promise<TenantContext> {
  const created = await createUser({ ctx: system, input: { email, name: `${role} ${email}`, role } });
  if (!created.ok) throw new Error(`could not create ${email}`);
  return userContext(
    system,
    { tenant_id: system.tenant.tenantId, user_id: created.user.id, role, name: created.user.name, email },
    "token",
    `test-${role}`,
  );
}

export async function actionsTenant(database: DatabaseHandle, scenario: Scenario): Promise<ActionsTenant> {
  const { ctx, sandbox } = await connectTenant(database, scenario);
  // An account cache, as the API runs with: what must not lag has to be read past it.
  const system: TenantContext = { ...ctx, accountCache: createInProcessAccountCache() };
  for (const source of ["quickbooks", "stripe", "amplitude"] as const) {
    await runSourceSync({ ctx: system, input: { source } });
  }
  const accounts = await queryRows<{
    id: string;
    owner_id: string;
    stripe_customer_id: string;
    quickbooks_customer_id: string;
    role: UserRole;
    name: string;
    email: string;
  }>(
    system.tenant.db,
    sql`select a.id, a.owner_id, a.stripe_customer_id, a.quickbooks_customer_id, u.role, u.name, u.email
        from accounts a join users u on u.tenant_id = a.tenant_id and u.id = a.owner_id
        where a.tenant_id = ${system.tenant.tenantId}::uuid and a.stripe_customer_id is not null
          and a.quickbooks_customer_id is not null
        order by a.name`,
  );
  const mine = accounts[0]!;
  const theirs = accounts[1]!;
  // Someone else's account: a second account manager owns it (small scenarios give every account one owner).
  const colleague = await userOf(system, "account_manager", "colleague@test.example");
  await queryRows(
    system.tenant.db,
    sql`update accounts set owner_id = ${colleague.actor.kind === "user" ? colleague.actor.userId : null}::uuid
        where id = ${theirs.id}::uuid`,
  );
  await reconcileTenant({ ctx: system, input: {} });
  const linked = (a: typeof mine): LinkedAccount => ({
    id: a.id,
    stripeCustomerId: a.stripe_customer_id,
    quickbooksCustomerId: a.quickbooks_customer_id,
  });
  const manager = userContext(
    system,
    {
      tenant_id: system.tenant.tenantId,
      user_id: mine.owner_id,
      role: "account_manager",
      name: mine.name,
      email: mine.email,
    },
    "slack",
    "test-manager",
  );
  const other = await provisionTenant({
    db: database.db,
    input: {
      slug: "other-co",
      name: "Other Co",
      baseCurrency: "EUR",
      thresholdBps: 500,
      amplitudeGroupType: "org_id",
      metrics: [],
      owners: [],
      accounts: [],
    },
  });
  return {
    system,
    sandbox,
    as: {
      admin: await userOf(system, "admin", "admin@test.example"),
      finance: await userOf(system, "finance", "finance@test.example"),
      account_manager: manager,
      viewer: await userOf(system, "viewer", "viewer@test.example"),
    },
    own: linked(mine),
    others: linked(theirs),
    otherTenant: await userOf(systemContext(system, other), "admin", "admin@other.example"),
  };
}

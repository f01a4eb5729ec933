// Row-level narrowing of account reads: an account manager sees their own portfolio only, on every read.
import { type SQL, sql } from "drizzle-orm";
import { type Actor, authorize, ownerFilter } from "./actor";

/**
 * Checks the actor may read accounts and returns the condition that narrows a query to the accounts they may see
 * (`true` for everyone but account managers). `ownerColumn` is the query's owner id column, e.g. sql`a.owner_id`.
 */
export function visibleAccounts(actor: Actor, ownerColumn: SQL): SQL {
  authorize(actor, "accounts.read");
  const owner = ownerFilter(actor);
  return owner ? sql`${ownerColumn} = ${owner}::uuid` : sql`true`;
}

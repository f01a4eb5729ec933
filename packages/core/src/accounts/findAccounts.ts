// Verb: the accounts a typed name (or id) most likely means, best first: what `/billing <name>` and search look up.
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { visibleAccounts } from "../access/visibility";
import type { TenantContext } from "../context";

export const findAccountsInput = z.object({
  query: z.string().trim().min(1, "an account name or id").max(200),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});

export interface FoundAccount {
  accountId: string;
  name: string;
  /** How it matched, best first: an id, the whole name, the start of it, every word, or only close in spelling. */
  match: "id" | "exact" | "prefix" | "words" | "similar";
}

const uuid = z.string().uuid();
const rank: Record<FoundAccount["match"], number> = { id: 0, exact: 1, prefix: 2, words: 3, similar: 4 };

/**
 * By Reckon id or a source's id (QuickBooks customer, Stripe customer, Amplitude group) first; then names containing
 * every word typed; only when nothing contains them, names within a small edit distance (typos). Account managers
 * search their own portfolio only.
 */
export async function findAccounts({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: z.input<typeof findAccountsInput>;
}): Promise<FoundAccount[]> {
  const { query, limit } = findAccountsInput.parse(input);
  const t = ctx.tenant.tenantId;
  const visible = visibleAccounts(ctx.actor, sql`owner_id`);
  const byId = await queryRows<{ id: string; name: string }>(
    ctx.tenant.db,
    sql`select id, name from accounts where tenant_id = ${t}::uuid and ${visible}
          and (${uuid.safeParse(query).success ? sql`id = ${query}::uuid or` : sql``}
               quickbooks_customer_id = ${query} or stripe_customer_id = ${query} or amplitude_group_id = ${query})
        order by name limit ${limit}`,
  );
  if (byId.length > 0) return byId.map((a) => ({ accountId: a.id, name: a.name, match: "id" }));

  const words = query.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
  const contains = words.map((w) => sql`name ilike ${`%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  const named = await queryRows<{ id: string; name: string }>(
    ctx.tenant.db,
    sql`select id, name from accounts where tenant_id = ${t}::uuid and ${visible} and ${sql.join(contains, sql` and `)}
        order by length(name), name limit 50`,
  );
  const lower = query.toLowerCase();
  if (named.length > 0) {
    return named
      .map((a): FoundAccount => {
        const name = a.name.toLowerCase();
        const match = name === lower ? "exact" : name.startsWith(lower) ? "prefix" : "words";
        return { accountId: a.id, name: a.name, match };
      })
      .sort((a, b) => rank[a.match] - rank[b.match])
      .slice(0, limit);
  }

  // Typos: the visible names within a third of the query's length in edits (Levenshtein), closest first.
  const names = await queryRows<{ id: string; name: string }>(
    ctx.tenant.db,
    sql`select id, name from accounts where tenant_id = ${t}::uuid and ${visible} limit 50000`,
  );
  const budget = Math.max(1, Math.floor(lower.length / 3));
  return names
    .map((a) => ({ a, distance: closestDistance(lower, a.name.toLowerCase(), budget) }))
    .filter((c) => c.distance <= budget)
    .sort((x, y) => x.distance - y.distance || x.a.name.localeCompare(y.a.name))
    .slice(0, limit)
    .map(({ a }) => ({ accountId: a.id, name: a.name, match: "similar" }));
}

/** The smallest edit distance between `query` and the name or any run of the name's words as long as the query. */
function closestDistance(query: string, name: string, budget: number): number {
  const words = name.split(/\s+/);
  let best = editDistance(query, name, budget);
  const wanted = query.split(/\s+/).length;
  for (let i = 0; i + wanted <= words.length && best > 0; i++) {
    best = Math.min(best, editDistance(query, words.slice(i, i + wanted).join(" "), budget));
  }
  return best;
}

/** Levenshtein distance, giving up (budget + 1) once every path exceeds the budget. */
export function editDistance(a: string, b: string, budget = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > budget) return budget + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowBest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      if (value < rowBest) rowBest = value;
    }
    if (rowBest > budget) return budget + 1;
    previous = current;
  }
  return previous[b.length]!;
}

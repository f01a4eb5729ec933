// The CRM records a scenario implies: one company / Account per QuickBooks customer, named like it, with its website
// domain; about 70 % carry the explicit id field, the rest only name and domain (for suggestions); plus a few records
// that match nothing (prospects the tenant never billed).
import { createRandom } from "../random.js";
import type { Scenario } from "../scenario.js";
import type { CrmSandboxProvider } from "./control.js";

export interface CrmSeedRecord {
  name: string;
  /** The website's domain ("acme.io"), null when the record has no website. */
  domain: string | null;
  /** The explicit-id field's value: the QuickBooks customer id, or null when people never filled it in. */
  explicitId: string | null;
  /** The QuickBooks customer this record is the CRM's copy of (ground truth for tests), null for CRM-only records. */
  customerId: string | null;
  createdAt: Date;
}

/** Share of records that carry the explicit id. */
export const explicitIdShare = 0.7;

const crmOnly = [
  { name: "Harborview Analytics", domain: "harborview-analytics.com" },
  { name: "Quillfeather Studios", domain: "quillfeather.io" },
  { name: "Tamarack Logistics", domain: null },
];

function seedOf(scenario: Scenario): number {
  if (scenario.manifest) return scenario.manifest.seed;
  let h = 0;
  for (const c of scenario.quickbooks.realmId) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return h;
}

export function crmSeed(scenario: Scenario, provider: CrmSandboxProvider): CrmSeedRecord[] {
  const random = createRandom(seedOf(scenario)).fork(`crm:${provider}`);
  const records: CrmSeedRecord[] = scenario.quickbooks.customers
    .filter((customer) => customer.status !== "Deleted")
    .map((customer) => {
      const email = customer.PrimaryEmailAddr?.Address ?? null;
      return {
        name: customer.CompanyName ?? customer.DisplayName,
        domain: email?.includes("@") ? email.slice(email.indexOf("@") + 1).toLowerCase() : null,
        explicitId: random.chance(explicitIdShare) ? customer.Id : null,
        customerId: customer.Id,
        createdAt: new Date(customer.MetaData.CreateTime),
      };
    });
  const firstCreated = Math.min(Date.parse("2026-01-01T00:00:00Z"), ...records.map((r) => r.createdAt.getTime()));
  for (const [i, prospect] of crmOnly.entries()) {
    records.push({
      ...prospect,
      explicitId: null,
      customerId: null,
      createdAt: new Date(firstCreated + (i + 1) * 86_400_000),
    });
  }
  return records;
}

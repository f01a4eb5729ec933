import { describe, expect, it } from "vitest";
import { ceiOfPeriod, collectionEffectiveness } from "./cei";
import { receivablesForPeriod } from "./receivables";

describe("collectionEffectiveness", () => {
  it("is 87.5% from four numbers", () => {
    // Beginning AR $100,000, credit sales $300,000, ending AR $120,000 of which $80,000 not yet due:
    // collected = 100,000 + 300,000 - 120,000 = 280,000; collectible = 100,000 + 300,000 - 80,000 = 320,000;
    // CEI = 280,000 / 320,000 x 100 = 87.5%.
    const result = collectionEffectiveness({
      beginningArMinor: 10_000_000n,
      creditSalesMinor: 30_000_000n,
      endingArMinor: 12_000_000n,
      endingCurrentArMinor: 8_000_000n,
    });
    expect(result).toMatchObject({ ok: true, text: "87.5%" });
    expect(result.ok && result.percent).toEqual({ numerator: 175n, denominator: 2n });
  });

  it("is 100% when everything due came in, and reports when nothing was collectible", () => {
    // 0 + 500 - 200 collected out of 0 + 500 - 200 collectible: all of it.
    const all = { beginningArMinor: 0n, creditSalesMinor: 500n, endingArMinor: 200n, endingCurrentArMinor: 200n };
    expect(collectionEffectiveness(all).text).toBe("100.0%");
    const none = { beginningArMinor: 0n, creditSalesMinor: 500n, endingArMinor: 500n, endingCurrentArMinor: 500n };
    expect(collectionEffectiveness(none)).toMatchObject({ ok: false, reason: "nothing-collectible" });
  });

  it("rounds half-even once: 2 / 3 x 100 = 66.666... -> 66.7%", () => {
    const third = { beginningArMinor: 0n, creditSalesMinor: 300n, endingArMinor: 100n, endingCurrentArMinor: 0n };
    expect(collectionEffectiveness(third).text).toBe("66.7%");
  });
});

describe("CEI from the ledger", () => {
  it("is 62.5% for the DSO worked example", () => {
    // Same ledger as dso.test.ts: beginning 1,000, sales 9,200, ending 5,200, ending current 2,200.
    // (1,000 + 9,200 - 5,200) / (1,000 + 9,200 - 2,200) = 5,000 / 8,000 = 62.5%. The 5,000 is exactly what was paid.
    const inv = (id: string, issuedOn: string, dueOn: string, totalMinor: bigint) => ({
      id,
      number: id,
      customerId: "acme",
      currency: "USD",
      totalMinor,
      issuedOn,
      dueOn,
    });
    const receivables = receivablesForPeriod({
      invoices: [
        inv("1", "2026-09-15", "2026-10-15", 100_000n),
        inv("2", "2026-10-05", "2026-11-04", 300_000n),
        inv("3", "2026-11-10", "2026-12-10", 400_000n),
        inv("4", "2026-12-15", "2027-01-14", 220_000n),
      ],
      applications: [
        { invoiceId: "1", paidOn: "2026-10-10", amountMinor: 100_000n, currency: "USD" },
        { invoiceId: "2", paidOn: "2026-11-01", amountMinor: 300_000n, currency: "USD" },
        { invoiceId: "3", paidOn: "2026-12-20", amountMinor: 100_000n, currency: "USD" },
      ],
      currency: "USD",
      from: "2026-10-01",
      to: "2026-12-31",
    });
    expect(ceiOfPeriod(receivables).text).toBe("62.5%");
  });
});

import { describe, expect, it } from "vitest";
import { parseQuantity } from "./quantity";
import { describeInvoices, type MetricUsageInput, reconcileMetric, reconcileUsage } from "./usage";

const inv1043 = { id: "qb-1", number: "1043" };

function metric(metered: string, billed: string, invoices = [inv1043]): MetricUsageInput {
  return {
    metric: "gb_stored",
    unit: "GB",
    meteredMicro: parseQuantity(metered),
    billedMicro: parseQuantity(billed),
    invoices,
  };
}

const closed = { period: "2026-10", state: "closed" as const };

describe("usage against invoice, one metric", () => {
  it("matches exactly at the 5% threshold, and not one micro-unit beyond", () => {
    // 5% of 1,000 GB is 50 GB: billing 1,050 GB is still within the threshold.
    const edge = reconcileMetric(metric("1000", "1050"), closed);
    expect(edge.status).toBe("matched");
    expect(edge.varianceBps).toBe(500);
    expect(edge.explanation).toBe(
      "Invoice 1043 bills 1,050 GB; Amplitude metered 1,000 GB (+5.0%, within the 5% threshold): matched.",
    );
    expect(reconcileMetric(metric("1000", "950"), closed).status).toBe("matched");
    expect(reconcileMetric(metric("1000", "1050.000001"), closed).status).toBe("over_billed");
    expect(reconcileMetric(metric("1000", "949.999999"), closed).status).toBe("under_billed");
  });

  it("explains an under-billed metric (variance is billed against metered)", () => {
    // (1,200 - 1,318) / 1,318 = -8.95% -> -895 bps, shown as -9.0%.
    const result = reconcileMetric(metric("1318", "1200"), closed);
    expect(result).toMatchObject({
      status: "under_billed",
      varianceMicro: parseQuantity("-118"),
      varianceBps: -895,
      thresholdBps: 500,
    });
    expect(result.explanation).toBe(
      "Invoice 1043 bills 1,200 GB; Amplitude metered 1,318 GB (-9.0%, beyond the 5% threshold): under-billed.",
    );
  });

  it("explains an over-billed metric", () => {
    const result = reconcileMetric(metric("1000", "1200.5"), closed);
    expect(result.status).toBe("over_billed");
    expect(result.varianceBps).toBe(2005);
    // 20.05% is shown with one decimal, rounded half-even: 20.0%, not 20.1%.
    expect(result.explanation).toBe(
      "Invoice 1043 bills 1,200.5 GB; Amplitude metered 1,000 GB (+20.0%, beyond the 5% threshold): over-billed.",
    );
  });

  it("uses the tenant threshold", () => {
    expect(reconcileMetric(metric("1000", "1080"), { ...closed, thresholdBps: 1000 }).status).toBe("matched");
    expect(reconcileMetric(metric("1000", "1001"), { ...closed, thresholdBps: 0 }).status).toBe("over_billed");
    expect(() => reconcileMetric(metric("1", "1"), { ...closed, thresholdBps: -1 })).toThrow(RangeError);
  });

  it("flags usage that no invoice bills once the period is closed", () => {
    const result = reconcileMetric(metric("1318", "0", []), closed);
    expect(result.status).toBe("missing_invoice");
    expect(result.explanation).toBe("No invoice bills GB for 2026-10; Amplitude metered 1,318 GB: missing invoice.");
  });

  it("flags an invoice that bills a metric with no usage", () => {
    const result = reconcileMetric(metric("0", "1200"), closed);
    expect(result.status).toBe("invoice_without_usage");
    expect(result.varianceBps).toBeNull();
    expect(result.explanation).toBe(
      "Invoice 1043 bills 1,200 GB for 2026-10; Amplitude metered none: invoice without usage.",
    );
  });

  it("counts an invoice line of zero units as billed (under-billed, not missing)", () => {
    expect(reconcileMetric(metric("100", "0"), closed).status).toBe("under_billed");
  });

  it("never reports a discrepancy for the open month", () => {
    const open = { period: "2026-11", state: "open" as const };
    const result = reconcileMetric(metric("1318", "0", []), open);
    expect(result.status).toBe("in_progress");
    expect(result.explanation).toBe(
      "2026-11 is still open: Amplitude has metered 1,318 GB so far; it is reconciled once the month is invoiced.",
    );
    expect(reconcileMetric(metric("1318", "500"), open).status).toBe("in_progress");
  });

  it("waits for the invoice during the grace days", () => {
    const result = reconcileMetric(metric("1318", "0", []), { period: "2026-10", state: "invoicing" });
    expect(result.status).toBe("in_progress");
    expect(reconcileMetric(metric("1318", "1200"), { period: "2026-10", state: "invoicing" }).status).toBe(
      "under_billed",
    );
  });

  it("names several invoices in order", () => {
    expect(describeInvoices([{ id: "a", number: "1043" }])).toBe("Invoice 1043");
    expect(
      describeInvoices([
        { id: "a", number: "1043" },
        { id: "b", number: null },
        { id: "c", number: "1051" },
      ]),
    ).toBe("Invoices 1043, b and 1051");
    const result = reconcileMetric(
      metric("100", "100", [
        { id: "c", number: "1051" },
        { id: "a", number: "1043" },
        { id: "a", number: "1043" },
      ]),
      closed,
    );
    expect(result.invoices.map((i) => i.number)).toEqual(["1043", "1051"]);
  });
});

describe("usage against invoice, one period", () => {
  it("sorts metrics and uses the given source name and unit fallback", () => {
    const results = reconcileUsage({
      period: "2026-10",
      state: "closed",
      usageSource: "Segment",
      metrics: [
        { metric: "seats", meteredMicro: parseQuantity("10"), billedMicro: parseQuantity("10"), invoices: [inv1043] },
        { metric: "api_calls", meteredMicro: parseQuantity("5"), billedMicro: 0n, invoices: [] },
      ],
    });
    expect(results.map((r) => [r.metric, r.status])).toEqual([
      ["api_calls", "missing_invoice"],
      ["seats", "matched"],
    ]);
    expect(results[0]?.explanation).toBe(
      "No invoice bills api_calls for 2026-10; Segment metered 5 api_calls: missing invoice.",
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AccountInput, reconcileAccount } from "./account";
import { addDays } from "./calendar";
import { toDecimalString } from "./decimal";
import { allocatePayments } from "./payments";
import { allocatableMinor, type InvoiceInput, type PaymentInput, paymentStatuses } from "./records";

const currency = fc.constantFrom("USD", "EUR");
// Dates within a few months, and few invoice numbers, so references, matches and conflicts are frequent.
const dayOf2026 = fc.integer({ min: 0, max: 120 }).map((offset) => addDays("2026-01-01", offset));
const amount = fc.bigInt({ min: 0n, max: 2_000_000n });
// Few distinct amounts, so that equal-amount matching and conflicts actually happen.
const roundAmount = fc.constantFrom(100_000n, 250_000n, 520_000n);

const invoicesArb = fc
  .uniqueArray(fc.integer({ min: 1000, max: 1007 }), { minLength: 0, maxLength: 6 })
  .chain((numbers) =>
    fc.tuple(
      ...numbers.map((n) =>
        fc.record({
          id: fc.constant(`qb-${n}`),
          number: fc.constant(String(n)),
          currency,
          totalMinor: fc.oneof(amount, roundAmount, roundAmount),
          balanceMinor: amount,
          issuedOn: dayOf2026,
          dueOn: fc.option(fc.integer({ min: 0, max: 45 }), { nil: null }),
          lines: fc.array(
            fc.record({
              metric: fc.option(fc.constantFrom("gb", "seats"), { nil: null }),
              quantity: fc.option(
                fc.bigInt({ min: 0n, max: 5_000_000_000n }).map((q) => toDecimalString(q, 6)),
                {
                  nil: null,
                },
              ),
              amountMinor: amount,
              serviceDate: fc.option(dayOf2026, { nil: null }),
            }),
            { maxLength: 3 },
          ),
        }),
      ),
    ),
  )
  .map((invoices) =>
    invoices.map((i): InvoiceInput => ({ ...i, dueOn: i.dueOn === null ? null : addDays(i.issuedOn, i.dueOn) })),
  );

const referenceArb = fc.record({
  invoiceId: fc.option(
    fc.integer({ min: 1000, max: 1008 }).map((n) => `qb-${n}`),
    { nil: null },
  ),
  invoiceNumber: fc.option(fc.integer({ min: 1000, max: 1008 }).map(String), { nil: null }),
  amountMinor: fc.option(fc.oneof(amount, roundAmount), { nil: null }),
});

const paymentsArb = fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 8 }).chain((ids) =>
  fc.tuple(
    ...ids.map((id) =>
      fc
        .record({
          id: fc.constant(`py_${id}`),
          status: fc.constantFrom(...paymentStatuses),
          amountMinor: fc.oneof(amount, roundAmount, roundAmount),
          refundFraction: fc.integer({ min: 0, max: 4 }),
          currency,
          failureCode: fc.option(fc.constantFrom("card_declined", "expired_card"), { nil: null }),
          disputed: fc.boolean(),
          references: fc.oneof(fc.constant([]), fc.array(referenceArb, { maxLength: 3 })),
          createdAt: fc.integer({ min: 0, max: 150 * 86_400 }).map((s) => new Date(Date.UTC(2026, 0, 1) + s * 1000)),
        })
        .map(
          ({ refundFraction, ...p }): PaymentInput => ({
            ...p,
            // Refunds are 0, 1/4, ... or all of the payment.
            refundedMinor: (p.amountMinor * BigInt(refundFraction)) / 4n,
            failureMessage: null,
          }),
        ),
    ),
  ),
);

const usageArb = fc.array(
  fc.record({
    metric: fc.constantFrom("gb", "seats"),
    day: dayOf2026,
    quantity: fc.bigInt({ min: 0n, max: 200_000_000n }).map((q) => toDecimalString(q, 6)),
  }),
  { maxLength: 30 },
);

const accountArb = fc.record({ usage: usageArb, invoices: invoicesArb, payments: paymentsArb });
const asOfArb = fc.integer({ min: 0, max: 200 }).map((d) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000));
const thresholdArb = fc.constantFrom(0, 250, 500, 1000);

/** The same account with every list (and every nested list) in another order. */
function shuffled(input: AccountInput): fc.Arbitrary<AccountInput> {
  const permutation = <T>(items: readonly T[]) => fc.shuffledSubarray([...items], { minLength: items.length });
  return fc.record({
    usage: permutation(input.usage),
    invoices: fc
      .tuple(...input.invoices.map((i) => permutation(i.lines).map((lines) => ({ ...i, lines }))))
      .chain(permutation),
    payments: fc
      .tuple(...input.payments.map((p) => permutation(p.references).map((references) => ({ ...p, references }))))
      .chain(permutation),
  });
}

describe("allocation properties", () => {
  it("conserves money: never more than a payment's net amount nor an invoice's total, the rest unallocated", () => {
    fc.assert(
      fc.property(invoicesArb, paymentsArb, (invoices, payments) => {
        const { allocations, unallocated } = allocatePayments(invoices, payments);
        for (const allocation of allocations) expect(allocation.amountMinor).toBeGreaterThan(0n);
        for (const p of payments) {
          const mine = allocations.filter((a) => a.paymentId === p.id);
          const applied = mine.reduce((sum, a) => sum + a.amountMinor, 0n);
          const left = unallocated.filter((u) => u.paymentId === p.id).reduce((sum, u) => sum + u.amountMinor, 0n);
          expect(applied + left).toBe(allocatableMinor(p));
          for (const a of mine) expect(a.currency).toBe(p.currency);
        }
        for (const i of invoices) {
          const mine = allocations.filter((a) => a.invoiceId === i.id);
          const paid = mine.reduce((sum, a) => sum + a.amountMinor, 0n);
          expect(paid).toBeLessThanOrEqual(i.totalMinor > 0n ? i.totalMinor : 0n);
          for (const a of mine) expect(a.currency).toBe(i.currency);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("account properties", () => {
  it("gives the same result whatever the input order", () => {
    fc.assert(
      fc.property(
        accountArb.chain((input) => fc.tuple(fc.constant(input), shuffled(input))),
        asOfArb,
        thresholdArb,
        ([input, reordered], asOf, thresholdBps) => {
          expect(reconcileAccount(reordered, { asOf, thresholdBps })).toEqual(
            reconcileAccount(input, { asOf, thresholdBps }),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("is idempotent and leaves its input untouched", () => {
    fc.assert(
      fc.property(accountArb, asOfArb, thresholdArb, (input, asOf, thresholdBps) => {
        const before = structuredClone(input);
        const first = reconcileAccount(input, { asOf, thresholdBps });
        expect(reconcileAccount(input, { asOf, thresholdBps })).toEqual(first);
        expect(input).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  it("never reports a discrepancy from usage in an open period", () => {
    fc.assert(
      fc.property(accountArb, asOfArb, (input, asOf) => {
        for (const period of reconcileAccount(input, { asOf, thresholdBps: 500 }).periods) {
          if (period.state !== "open") continue;
          expect(period.usage.every((m) => m.status === "in_progress")).toBe(true);
          const usageCodes = ["over_billed", "under_billed", "missing_invoice", "invoice_without_usage", "late_usage"];
          expect(period.discrepancies.filter((d) => usageCodes.includes(d.code))).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
  });
});

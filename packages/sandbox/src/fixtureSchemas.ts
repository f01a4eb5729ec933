// Loose zod schemas for a fixture folder: they check ids and types the sandbox relies on and let every other field pass.
import { z } from "zod";
import { discrepancyKinds } from "./scenario.js";

const stripeObject = (object: string) =>
  z.looseObject({ id: z.string().min(1), object: z.literal(object), created: z.number().int() });
const money = { amount: z.number().int(), currency: z.string().length(3) };
const metadata = z.record(z.string(), z.string());

export const stripeSchemas = {
  customers: z.array(stripeObject("customer").extend({ metadata })),
  invoices: z.array(stripeObject("invoice").extend({ currency: z.string().length(3) })),
  charges: z.array(stripeObject("charge").extend({ ...money, status: z.string(), metadata })),
  payment_intents: z.array(stripeObject("payment_intent").extend({ ...money, status: z.string(), metadata })),
  refunds: z.array(stripeObject("refund").extend({ ...money })),
  disputes: z.array(
    stripeObject("dispute").extend({ ...money, charge: z.union([z.string(), z.looseObject({ id: z.string() })]) }),
  ),
  events: z.array(
    stripeObject("event").extend({ type: z.string(), data: z.looseObject({ object: z.looseObject({}) }) }),
  ),
};

const qboMeta = z.looseObject({ CreateTime: z.string(), LastUpdatedTime: z.string() });
const qboEntity = z.looseObject({ Id: z.string().min(1), SyncToken: z.string(), MetaData: qboMeta });
const qboRef = z.looseObject({ value: z.string().min(1), name: z.string().optional() });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a YYYY-MM-DD date");

export const quickbooksSchemas = {
  company: z.looseObject({ realmId: z.string().min(1) }),
  Customer: z.array(qboEntity.extend({ DisplayName: z.string(), Active: z.boolean() })),
  Item: z.array(qboEntity.extend({ Name: z.string(), Type: z.enum(["Service", "NonInventory", "Inventory"]) })),
  Invoice: z.array(
    qboEntity.extend({
      TxnDate: day,
      CustomerRef: qboRef,
      Line: z.array(z.looseObject({ Amount: z.number(), DetailType: z.string() })),
      TotalAmt: z.number(),
      Balance: z.number(),
    }),
  ),
  Payment: z.array(
    qboEntity.extend({
      TxnDate: day,
      CustomerRef: qboRef,
      TotalAmt: z.number(),
      Line: z.array(
        z.looseObject({
          Amount: z.number(),
          LinkedTxn: z.array(z.looseObject({ TxnId: z.string(), TxnType: z.string() })),
        }),
      ),
    }),
  ),
};

export const amplitudeEventSchema = z.looseObject({
  $insert_id: z.string().min(1),
  event_type: z.string().min(1),
  event_time: z.string(),
  server_upload_time: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}/, "expected 'YYYY-MM-DD HH:MM:SS.ffffff'"),
  user_id: z.string().nullable().default(null),
  event_properties: z.record(z.string(), z.unknown()).default({}),
  groups: z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({}),
});

export const tenantSchema = z.object({
  name: z.string().min(1).optional(),
  baseCurrency: z.string().length(3).optional(),
  thresholdBps: z.number().int().min(0).optional(),
  amplitudeGroupType: z.string().min(1).optional(),
  metrics: z
    .array(
      z.object({
        key: z.string().min(1),
        unit: z.string(),
        eventType: z.string().min(1),
        quickbooksItemIds: z.array(z.string()),
      }),
    )
    .optional(),
  owners: z.array(z.object({ email: z.string().min(3), name: z.string() })).optional(),
  accounts: z
    .array(
      z.object({
        name: z.string(),
        ownerEmail: z.string().nullable().default(null),
        quickbooksCustomerId: z.string().nullable().default(null),
        stripeCustomerId: z.string().nullable().default(null),
        amplitudeGroupId: z.string().nullable().default(null),
      }),
    )
    .optional(),
  rateCards: z
    .array(
      z.object({
        quickbooksCustomerId: z.string(),
        plan: z.string(),
        currency: z.string().length(3),
        effectiveFrom: day,
        baseFeeMinor: z.string().regex(/^-?\d+$/),
        minimumCommitMinor: z.string().regex(/^\d+$/).optional(),
        metrics: z.array(
          z.object({
            key: z.string(),
            includedUnits: z.string(),
            unitPrice: z.string().optional(),
            pricing: z
              .object({
                model: z.enum(["graduated", "volume"]),
                tiers: z.array(
                  z.object({ upTo: z.string().nullable(), unitPrice: z.string(), flatFeeMinor: z.string().optional() }),
                ),
              })
              .optional(),
          }),
        ),
      }),
    )
    .optional(),
  fxRates: z
    .array(
      z.object({
        from: z.string().length(3),
        to: z.string().length(3),
        rate: z.string().regex(/^\d+(\.\d+)?$/),
        effectiveOn: day,
      }),
    )
    .optional(),
});

export const manifestSchema = z.object({
  seed: z.number().int(),
  accounts: z.number().int(),
  months: z.number().int(),
  asOf: day,
  entries: z.array(
    z.object({
      kind: z.enum(discrepancyKinds),
      accountRef: z.string(),
      period: z
        .string()
        .regex(/^\d{4}-\d{2}$/)
        .nullable(),
      amountMinor: z
        .string()
        .regex(/^-?\d+$/)
        .nullable(),
      sourceIds: z.array(z.string()),
      note: z.string(),
    }),
  ),
});

// Builders of Stripe objects with every field the API returns, typed as the stripe package's own types.
import type Stripe from "stripe";

export interface CardDecline {
  failureCode: string;
  declineCode: string;
  message: string;
}

export const declines: readonly CardDecline[] = [
  { failureCode: "card_declined", declineCode: "insufficient_funds", message: "Your card has insufficient funds." },
  { failureCode: "card_declined", declineCode: "generic_decline", message: "Your card was declined." },
  { failureCode: "expired_card", declineCode: "expired_card", message: "Your card has expired." },
  { failureCode: "card_declined", declineCode: "do_not_honor", message: "Your card was declined." },
];

export function stripeCustomer(input: {
  id: string;
  created: number;
  name: string;
  email: string | null;
  metadata: Record<string, string>;
}): Stripe.Customer {
  return {
    id: input.id,
    object: "customer",
    address: null,
    balance: 0,
    created: input.created,
    currency: "usd",
    default_source: null,
    delinquent: false,
    description: null,
    email: input.email,
    invoice_prefix: input.id.slice(4, 12).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: input.metadata,
    name: input.name,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  };
}

export interface ChargeInput {
  id: string;
  paymentIntentId: string;
  customerId: string;
  created: number;
  amount: number;
  currency: string;
  metadata: Record<string, string>;
  description: string;
  billingName: string;
  billingEmail: string | null;
  last4: string;
  brand: string;
  decline: CardDecline | null;
}

export function charge(input: ChargeInput): Stripe.Charge {
  const succeeded = input.decline === null;
  return {
    id: input.id,
    object: "charge",
    amount: input.amount,
    amount_captured: succeeded ? input.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: succeeded ? `txn_${input.id.slice(3)}` : null,
    billing_details: { address: null, email: input.billingEmail, name: input.billingName, phone: null, tax_id: null },
    calculated_statement_descriptor: "RECKON DEMO",
    captured: succeeded,
    created: input.created,
    currency: input.currency,
    customer: input.customerId,
    description: input.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: input.decline?.failureCode ?? null,
    failure_message: input.decline?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: input.metadata,
    on_behalf_of: null,
    outcome: succeeded
      ? {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: "approved_by_network",
          reason: null,
          risk_level: "normal",
          risk_score: 20 + (input.amount % 40),
          seller_message: "Payment complete.",
          type: "authorized",
        }
      : {
          advice_code: input.decline!.declineCode === "insufficient_funds" ? "try_again_later" : "do_not_try_again",
          network_advice_code: null,
          network_decline_code: input.decline!.declineCode === "insufficient_funds" ? "51" : "05",
          network_status: "declined_by_network",
          reason: input.decline!.declineCode,
          risk_level: "normal",
          risk_score: 30 + (input.amount % 40),
          seller_message: `The bank returned the decline code \`${input.decline!.declineCode}\`.`,
          type: "issuer_declined",
        },
    paid: succeeded,
    payment_intent: input.paymentIntentId,
    payment_method: `pm_${input.id.slice(3)}`,
    payment_method_details: {
      type: "card",
      card: {
        amount_authorized: succeeded ? input.amount : null,
        authorization_code: succeeded ? String(100000 + (input.amount % 900000)) : null,
        brand: input.brand,
        checks: { address_line1_check: null, address_postal_code_check: "pass", cvc_check: null },
        country: "US",
        electronic_commerce_indicator: null,
        exp_month: 1 + (input.amount % 12),
        exp_year: 2028,
        funding: "credit",
        installments: null,
        last4: input.last4,
        mandate: null,
        network: input.brand,
        network_transaction_id: succeeded ? `${input.created}${input.last4}` : null,
        regulated_status: "unregulated",
        three_d_secure: null,
        transaction_link_id: null,
        wallet: null,
      },
    },
    receipt_email: input.billingEmail,
    receipt_number: null,
    receipt_url: `https://pay.stripe.com/receipts/payment/${input.id}`,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: succeeded ? "succeeded" : "failed",
    transfer_data: null,
    transfer_group: null,
  };
}

/** The payment intent behind a charge, in the state the charge left it. */
export function paymentIntentFor(ch: Stripe.Charge): Stripe.PaymentIntent {
  const succeeded = ch.status === "succeeded";
  const pm = typeof ch.payment_method === "string" ? ch.payment_method : null;
  return {
    id: String(ch.payment_intent),
    object: "payment_intent",
    allowed_payment_method_types: ["card"],
    amount: ch.amount,
    amount_capturable: 0,
    amount_received: succeeded ? ch.amount : 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic",
    client_secret: `${String(ch.payment_intent)}_secret_${ch.id.slice(3, 15)}`,
    confirmation_method: "automatic",
    created: ch.created,
    currency: ch.currency,
    customer: ch.customer,
    customer_account: null,
    description: ch.description,
    excluded_payment_method_types: null,
    last_payment_error: succeeded
      ? null
      : {
          type: "card_error",
          code: ch.failure_code ?? "card_declined",
          decline_code: ch.outcome?.reason ?? undefined,
          message: ch.failure_message ?? "Your card was declined.",
          charge: ch.id,
          doc_url: `https://stripe.com/docs/error-codes/${(ch.failure_code ?? "card_declined").replace(/_/g, "-")}`,
        },
    latest_charge: ch.id,
    livemode: false,
    managed_payments: null,
    metadata: ch.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: succeeded ? pm : null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ["card"],
    payment_record: null,
    processing: null,
    receipt_email: ch.receipt_email,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: succeeded ? "succeeded" : "requires_payment_method",
    transfer_group: null,
  };
}

export function refund(input: { id: string; charge: Stripe.Charge; amount: number; created: number }): Stripe.Refund {
  return {
    id: input.id,
    object: "refund",
    amount: input.amount,
    balance_transaction: `txn_${input.id.slice(3)}`,
    charge: input.charge.id,
    created: input.created,
    currency: input.charge.currency,
    customer: input.charge.customer,
    customer_account: null,
    metadata: {},
    payment_intent: input.charge.payment_intent,
    payment_method: typeof input.charge.payment_method === "string" ? input.charge.payment_method : null,
    reason: "requested_by_customer",
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  };
}

export function dispute(input: { id: string; charge: Stripe.Charge; created: number; reason: string }): Stripe.Dispute {
  const nothing = null;
  return {
    id: input.id,
    object: "dispute",
    amount: input.charge.amount,
    balance_transactions: [],
    charge: input.charge.id,
    created: input.created,
    currency: input.charge.currency,
    enhanced_eligibility_types: [],
    evidence: {
      access_activity_log: nothing,
      billing_address: nothing,
      cancellation_policy: nothing,
      cancellation_policy_disclosure: nothing,
      cancellation_rebuttal: nothing,
      customer_communication: nothing,
      customer_email_address: input.charge.billing_details.email,
      customer_name: input.charge.billing_details.name,
      customer_purchase_ip: nothing,
      customer_signature: nothing,
      duplicate_charge_documentation: nothing,
      duplicate_charge_explanation: nothing,
      duplicate_charge_id: nothing,
      enhanced_evidence: {},
      product_description: nothing,
      receipt: nothing,
      refund_policy: nothing,
      refund_policy_disclosure: nothing,
      refund_refusal_explanation: nothing,
      service_date: nothing,
      service_documentation: nothing,
      shipping_address: nothing,
      shipping_carrier: nothing,
      shipping_date: nothing,
      shipping_documentation: nothing,
      shipping_tracking_number: nothing,
      uncategorized_file: nothing,
      uncategorized_text: nothing,
    },
    evidence_details: {
      due_by: input.created + 21 * 86_400,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: "not_submitted",
    },
    intended_submission_method: null,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: input.charge.payment_intent,
    reason: input.reason,
    status: "needs_response",
  };
}

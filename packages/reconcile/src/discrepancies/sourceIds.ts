// Source ids in the manifest's notation: Stripe ids as they are, QuickBooks and Amplitude ids prefixed by kind.

export const sourceId = {
  invoice: (id: string) => `qbo:Invoice:${id}`,
  quickbooksCustomer: (id: string) => `qbo:Customer:${id}`,
  amplitudeGroup: (id: string) => `amplitude:group:${id}`,
  insertId: (id: string) => `amplitude:insert_id:${id}`,
  /** Stripe customers and charges keep their own ids (cus_, ch_). */
  stripe: (id: string) => id,
} as const;

/** At most this many insert ids are carried per account and period; the sentence gives the full count. */
export const MAX_INSERT_IDS = 100;

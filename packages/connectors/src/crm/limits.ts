// The CRMs' published request limits and the share of them Reckon's gates keep to (REFERENCE.md "Published limits").

export interface CrmRequestLimit {
  /** Requests admitted per rolling window of `perMs`. */
  requests: number;
  perMs: number;
  /** Requests in flight at once. */
  concurrency: number;
}

export const crmRequestLimits = {
  // HubSpot: 190 requests per rolling 10 s per app and account on Pro/Enterprise (100 on lower tiers, and Reckon
  // cannot see the tier), shared with whatever else the portal runs: keep under the lower tier's 100.
  // Search has its own 4 requests/s, which the HubSpot client paces itself (see hubspotSearchIntervalMs).
  hubspot: { requests: 80, perMs: 10_000, concurrency: 5 },
  // Salesforce: 100,000 + per-licence calls per rolling 24 h per org, and 25 concurrent long (>20 s) requests. A batch
  // of 200 records is one call, so 12,000 accounts are 60 calls: 30 a minute keeps any burst far inside both.
  salesforce: { requests: 30, perMs: 60_000, concurrency: 5 },
} as const satisfies Record<"hubspot" | "salesforce", CrmRequestLimit>;

/** HubSpot's search endpoints allow 4 requests a second per token: one search starts at most every 260 ms. */
export const hubspotSearchIntervalMs = 260;

// The card's view of the Reckon CRM card API (apps/crm-extension/CARD_API.md): what the endpoints answer.

/** Integer minor units as a string, with the ISO currency they are counted in. */
export interface Money {
  minor: string;
  currency: string;
}

export type ViewerRole = "admin" | "finance" | "account_manager" | "viewer";

export interface Viewer {
  name: string;
  role: ViewerRole;
}

export interface AccountSuggestion {
  accountId: string;
  name: string;
  matchedOn: "name" | "domain";
}

export interface UnlinkedCard {
  state: "unlinked";
  recordId: string;
  viewer: Viewer;
  /** Only admins may link; others are told to ask one. */
  canLink: boolean;
  /** Accounts that look like this record, best first, at most 5. */
  suggestions: AccountSuggestion[];
  message: string;
}

export interface ReconciliationStatus {
  status: string;
  headline: string;
  outlier: boolean;
  discrepancyCount: number;
  reconciledAt: string;
}

export interface PartialSyncBanner {
  message: string;
  missed: string[];
}

export interface StaleBanner {
  message: string;
  sources: string[];
  lastGoodAt: string | null;
}

export interface UsageMetric {
  metric: string;
  unit: string;
  monthToDate: string;
  /** The last 12 months, oldest first. */
  months: Array<{ period: string; quantity: string }>;
}

export interface UsageForecast {
  metric: string;
  unit: string | null;
  quarter: string;
  toDate: string;
  projectedTotal: string;
  band: { low: string; high: string };
  committed: string | null;
  mapePercent: number | null;
  alerts: string[];
}

export interface Invoice {
  id: string;
  number: string | null;
  issuedOn: string;
  dueOn: string | null;
  total: Money;
  balance: Money;
  overdue: boolean;
}

export type RetryState = "none" | "available" | "requested" | "approved" | "succeeded" | "failed" | "rejected";

export interface Payment {
  id: string;
  status: string;
  amount: Money;
  createdAt: string;
  failureCode: string | null;
  failureMessage: string | null;
  retry: { state: RetryState; requestId: string | null };
}

export interface OpenFlag {
  id: string;
  reason: string;
  note: string | null;
  amount: Money | null;
  raisedBy: string | null;
  raisedAt: string;
}

export type SyncSource = "stripe" | "quickbooks" | "amplitude";

export interface LastSync {
  source: SyncSource;
  status: string | null;
  finishedAt: string | null;
  needsReconnect: boolean;
}

export interface FlagReason {
  value: string;
  label: string;
}

export interface LinkedCard {
  state: "linked";
  recordId: string;
  viewer: Viewer;
  account: { id: string; name: string; owner: { name: string; email: string } | null; webUrl: string };
  status: ReconciliationStatus | null;
  banners: { partialSync: PartialSyncBanner | null; stale: StaleBanner | null };
  usage: UsageMetric[];
  forecast: UsageForecast[];
  /** Newest first, at most 10. */
  invoices: Invoice[];
  overdue: Money | null;
  /** Newest first, at most 10. */
  payments: Payment[];
  /** Open flags, newest first, at most 20. */
  flags: OpenFlag[];
  openFlagCount: number;
  lastSync: LastSync[];
  actions: { retry: boolean; flag: boolean };
  flagReasons: FlagReason[];
}

export type CrmCard = LinkedCard | UnlinkedCard;

/** What the card sends to raise a flag. */
export interface FlagRequest {
  reason: string;
  note?: string;
  amount?: Money;
}

/** Every action answers with a sentence for the person who clicked. */
export interface ActionAnswer {
  message: string;
}

export interface PaymentRetryAnswer extends ActionAnswer {
  retry: { id: string; status: string };
}

export interface FlagAnswer extends ActionAnswer {
  flag: { id: string; reason: string };
}

export interface LinkAnswer extends ActionAnswer {
  account: { id: string; name: string };
}

/** The record's own fields the API uses to link it or suggest accounts. */
export interface RecordHints {
  name?: string;
  domain?: string;
  quickbooksCustomerId?: string;
}

// @reckon/db: the schema, the two drivers behind one type, tenant scoping, and the queries every verb uses.
export * from "./client";
export * from "./migrate";
export type {
  AccountLinks,
  AccountStatus,
  ActionSurface,
  CrmProvider,
  FlagStatus,
  IdentityProvider,
  PaymentRetryStatus,
  RateCardMetrics,
  SyncCounts,
  SyncRunStatus,
  SyncSource,
  UserRole,
  WebhookOutcome,
  WebhookSource,
} from "./schema";
export * as schema from "./schema";
export {
  actionSurfaces,
  crmProviders,
  flagStatuses,
  identityProviders,
  paymentRetryStatuses,
  syncSources as syncSourceList,
  userRoles,
} from "./schema";
export * from "./scope";
export * from "./store/bulk";
export * from "./store/syncBatch";

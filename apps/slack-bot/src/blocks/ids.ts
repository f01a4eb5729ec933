// Action and view ids: one place, so listeners and builders cannot drift apart.
export const actionIds = {
  retryPayment: "reckon.retry_payment",
  flagIssue: "reckon.flag_issue",
  openAccount: "reckon.open_account",
  approveRetry: "reckon.approve_retry",
  rejectRetry: "reckon.reject_retry",
  resolveFlag: "reckon.resolve_flag",
} as const;

export const viewIds = { flagIssue: "reckon.flag_issue_modal" } as const;

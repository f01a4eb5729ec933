// The account page's two actions as plain forms (they work without JavaScript): Retry payment on each failed payment
// an account manager may ask finance to retry, and Flag issue with its reason, note and amount.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { AccountDetail, PaymentRetry } from "@reckon/core";
import { flagReasonLabel, flagReasons } from "@reckon/core";
import { formatInstant, formatMoney } from "./format";
import type { Viewer } from "./viewer";

/** What the page says after an action redirects back to it (?notice=...). */
export const actionNotices: Record<string, string> = {
  retry_requested:
    "Retry requested: finance approves or rejects it (in Reckon or Slack), and this page shows the outcome.",
  retry_open: "A retry of that payment is already waiting for finance.",
  flagged: "Flagged: finance sees it on their flags page and in Slack.",
  approved: "Approved: Stripe is asked once for this approval; the outcome shows here in a moment.",
  rejected: "Rejected: the requester sees it on the account page and in Slack.",
  resolved: "Resolved.",
};

const statusWords: Record<string, string> = {
  requested: "waiting for finance",
  approved: "approved, retrying in Stripe",
  succeeded: "retried: paid",
  failed: "retried: declined again",
  rejected: "rejected",
  cancelled: "cancelled (paid by other means)",
};

export function retryStatusText(retry: PaymentRetry): string {
  const who = retry.decidedBy ? ` by ${retry.decidedBy.name}` : "";
  return `${statusWords[retry.status] ?? retry.status}${retry.status === "requested" ? "" : who}`;
}

/** Failed payments with the state of their newest retry request, and a Retry button where one may be asked. */
export function RetryPanel(props: {
  accountId: string;
  payments: AccountDetail["payments"];
  retries: PaymentRetry[];
  viewer: Viewer | null;
  canRequest: boolean;
}) {
  const failed = props.payments.filter((p) => p.status === "failed" && !p.disputed);
  if (failed.length === 0) return <p class="muted">No failed payments to retry.</p>;
  const newest = new Map<string, PaymentRetry>();
  for (const retry of props.retries) if (!newest.has(retry.paymentId)) newest.set(retry.paymentId, retry);
  return (
    <ul class="plain" id="retries">
      {failed.map((payment) => {
        const retry = newest.get(payment.id);
        const open = retry && (retry.status === "requested" || retry.status === "approved");
        return (
          <li>
            <strong>{formatMoney(payment.amount)}</strong> failed {formatInstant(payment.createdAt)}
            {payment.failureCode ? ` (${payment.failureCode})` : ""}
            {retry ? (
              <span class={retry.status === "failed" || retry.status === "rejected" ? "red" : "muted"}>
                {" "}
                · retry {retryStatusText(retry)}
              </span>
            ) : null}
            {props.canRequest && !open && retry?.status !== "succeeded" ? (
              <form method="post" action={`/accounts/${props.accountId}/payment-retries`} class="inline">
                <input type="hidden" name="_csrf" value={props.viewer?.csrfToken ?? ""} />
                <input type="hidden" name="paymentId" value={payment.id} />
                <button type="submit">Retry {formatMoney(payment.amount)}</button>
              </form>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** Flag issue: a disclosure, so the page stays short until someone needs it. */
export function FlagForm(props: { accountId: string; currency: string; viewer: Viewer | null }) {
  return (
    <details class="flag-form">
      <summary class="button secondary">Flag issue</summary>
      <form method="post" action={`/accounts/${props.accountId}/flags`} class="stack">
        <input type="hidden" name="_csrf" value={props.viewer?.csrfToken ?? ""} />
        <input type="hidden" name="currency" value={props.currency} />
        <label for="flag-reason">Reason</label>
        <select id="flag-reason" name="reason" required>
          {flagReasons.map((reason) => (
            <option value={reason}>{flagReasonLabel(reason)}</option>
          ))}
        </select>
        <label for="flag-note">Note (needed for "Something else")</label>
        <textarea id="flag-note" name="note" rows={3} maxlength={2000} />
        <label for="flag-amount">Amount at stake in {props.currency} (optional)</label>
        <input id="flag-amount" name="amount" inputmode="decimal" pattern="[0-9]+([.,][0-9]{1,3})?" />
        <button type="submit">Flag it</button>
      </form>
    </details>
  );
}

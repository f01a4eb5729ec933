// The `payments.retry` job: runs an approved retry as the system and turns the verb's answer into the job's. Settled
// (or nothing to do): done, and Slack is told. No answer from Stripe, or another worker mid-call: an error the job
// layer retries with its backoff, waiting at least what Stripe or the live claim asks for. Retries live here only:
// the connector never repeats a request.
import type { TenantContext } from "../context";
import type { JobRunner } from "../jobs";
import { announceToSlack } from "../notify/slackNotifier";
import type { PaymentRetryStatus } from "./paymentRetry";
import { runPaymentRetry } from "./runPaymentRetry";

/** The approval is not settled yet and running again can settle it; retryable, at the earliest after `retryAfterMs`. */
export class PaymentRetryPending extends Error {
  override readonly name = "PaymentRetryPending";
  readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}

export interface PaymentRetryJobResult {
  /** Where the request stands after this run (null: no such request any more). */
  status: PaymentRetryStatus | null;
  /** This run got Stripe's answer and settled the request. */
  settled: boolean;
}

/**
 * `jobs` queues the Slack update (the approval's message and the requester's copy); null where the process has no
 * runner to queue it on (then nothing is posted, and the next announcement of this request brings Slack up to date).
 */
export async function runPaymentRetryJob(
  ctx: TenantContext,
  retryId: string,
  jobs: Pick<JobRunner, "enqueue"> | null,
): Promise<PaymentRetryJobResult> {
  const announce = () =>
    jobs ? announceToSlack(jobs, ctx.tenant.tenantId, "payment_retry", retryId) : Promise.resolve();
  const result = await runPaymentRetry({ ctx, input: { retryId } });
  if (result.ok) {
    // Also when an earlier run settled it: that run may have failed to queue the update (Slack updates in place).
    await announce();
    return { status: result.retry.status, settled: result.ran };
  }
  switch (result.reason) {
    case "not_found":
      return { status: null, settled: false };
    case "not_approved":
      return { status: result.retry.status, settled: false };
    case "busy":
      throw new PaymentRetryPending(`another worker is calling Stripe for retry ${retryId}`, result.retryAfterMs);
    case "no_answer":
      // Finance sees the approval waiting on Stripe (with "Try again") while the job keeps trying.
      await announce();
      if (result.retryable) {
        throw new PaymentRetryPending(
          result.retry.lastError ?? "Stripe did not answer",
          result.retryAfterMs ?? undefined,
        );
      }
      ctx.log.warn({ retryId, lastError: result.retry.lastError }, "payment retry cannot run until Stripe is fixed");
      return { status: result.retry.status, settled: false };
  }
}

// What approve and reject share: their body, their refusals, and the handler that decides and answers.
import {
  announceToSlack,
  type DecidePaymentRetryResult,
  decidePaymentRetry,
  decidePaymentRetryBody,
  type PaymentRetry,
} from "@reckon/core";
import type { Context } from "hono";
import type { AppEnv } from "../app";
import { actingContext } from "../auth/guard";
import { ApiError } from "../errors";
import { paymentRetrySchema } from "./paymentRetries";

export const decisionRequest = {
  body: { content: { "application/json": { schema: decidePaymentRetryBody } }, required: false },
};

export const decisionResponses = {
  400: { description: "Invalid id or body" },
  404: { description: "No such request in this workspace (or not on one of the caller's accounts)" },
  409: { description: "Decided the other way already (rejected, or approved)" },
};

export const retryContent = { "application/json": { schema: paymentRetrySchema } };

/** The request after the decision; 202 while an approval's Stripe call is queued or has had no answer yet. */
function decisionAnswer(answer: DecidePaymentRetryResult): { retry: PaymentRetry; status: 200 | 202 } {
  if (answer.ok) return { retry: answer.retry, status: answer.retry.status === "approved" ? 202 : 200 };
  if (answer.reason === "not_found") {
    throw new ApiError("not_found", "No payment retry with that id. See GET /v1/payment-retries.");
  }
  throw new ApiError(
    "conflict",
    `That retry was ${answer.retry.status === "rejected" ? "rejected" : `approved (now ${answer.retry.status})`} already${
      answer.retry.decidedBy ? ` by ${answer.retry.decidedBy.name}` : ""
    }; a new retry needs a new request.`,
  );
}

/** Decides the request the path names (the body, when sent, carries the note or reason) and tells Slack. */
export async function decide(
  c: Context<AppEnv>,
  retryId: string,
  body: { reason?: string | undefined },
  decision: "approve" | "reject",
): Promise<{ retry: PaymentRetry; status: 200 | 202 }> {
  const ctx = actingContext(c);
  const jobs = c.var.deps.jobs;
  const answer = await decidePaymentRetry({ ctx, jobs, input: { ...body, retryId, decision } });
  if (answer.ok && !answer.replayed) await announceToSlack(jobs, ctx.tenant.tenantId, "payment_retry", retryId);
  return decisionAnswer(answer);
}

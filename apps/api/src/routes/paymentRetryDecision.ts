// What approve and reject share: their body, and how a decision's answer becomes an HTTP answer.
import { type DecidePaymentRetryResult, decidePaymentRetryBody, type PaymentRetry } from "@reckon/core";
import { ApiError } from "../errors";
import { paymentRetrySchema } from "./paymentRetries";

export const decisionRequest = {
  body: { content: { "application/json": { schema: decidePaymentRetryBody } }, required: false },
};

export const decisionResponses = {
  400: { description: "Invalid id or body" },
  404: { description: "No such request in this workspace" },
  409: { description: "Decided the other way already (rejected, or approved)" },
};

export const retryContent = { "application/json": { schema: paymentRetrySchema } };

/** The request after the decision; 202 while an approval's Stripe call has no answer yet (approve again re-runs it). */
export function decisionAnswer(answer: DecidePaymentRetryResult): { retry: PaymentRetry; status: 200 | 202 } {
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

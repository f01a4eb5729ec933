// The account's latest payments, with Retry payment where the API says a retry may be asked for.
import {
  Button,
  Flex,
  Heading,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from "@hubspot/ui-extensions";
import type { Payment, RetryState } from "../api/types";
import { type Formatters, humanize } from "../format/formatters";

const retryStateLabels: Record<Exclude<RetryState, "none" | "available">, string> = {
  requested: "Retry requested",
  approved: "Retry approved",
  succeeded: "Retry succeeded",
  failed: "Retry failed",
  rejected: "Retry rejected",
};

type PaymentStatusVariant = "danger" | "warning" | "info" | "success" | "default";

const paymentVariants: Record<string, PaymentStatusVariant> = {
  succeeded: "success",
  failed: "danger",
  refunded: "info",
  pending: "warning",
};

export interface PaymentsSectionProps {
  payments: Payment[];
  /** Whether this viewer may ask for retries at all (`actions.retry`). */
  canRetry: boolean;
  busy: boolean;
  format: Formatters;
  onRetry(paymentId: string): void;
}

export function PaymentsSection({ payments, canRetry, busy, format, onRetry }: PaymentsSectionProps) {
  return (
    <Flex direction="column" gap="sm">
      <Heading>Payments</Heading>
      {payments.length === 0 ? (
        <Text>No payments yet.</Text>
      ) : (
        <Table bordered={false} testId="payments-table">
          <TableHead>
            <TableRow>
              <TableHeader>Date</TableHeader>
              <TableHeader align="right">Amount</TableHeader>
              <TableHeader>Status</TableHeader>
              <TableHeader>Retry</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {payments.map((payment) => (
              <TableRow key={payment.id}>
                <TableCell>{format.instant(payment.createdAt)}</TableCell>
                <TableCell align="right">{format.money(payment.amount)}</TableCell>
                <TableCell>
                  <StatusTag variant={paymentVariants[payment.status] ?? "default"}>
                    {humanize(payment.status)}
                  </StatusTag>
                  {payment.failureMessage && (
                    <Text variant="microcopy">
                      {payment.failureMessage}
                      {payment.failureCode ? ` (${payment.failureCode})` : ""}
                    </Text>
                  )}
                </TableCell>
                <TableCell>
                  <RetryCell payment={payment} canRetry={canRetry} busy={busy} onRetry={onRetry} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Flex>
  );
}

function RetryCell(props: { payment: Payment; canRetry: boolean; busy: boolean; onRetry(paymentId: string): void }) {
  const { payment, canRetry, busy, onRetry } = props;
  const { state } = payment.retry;
  if (state === "available") {
    if (!canRetry) return <Text variant="microcopy">Your Reckon role cannot retry payments.</Text>;
    return (
      <Button
        size="sm"
        variant="secondary"
        disabled={busy}
        onClick={() => onRetry(payment.id)}
        testId={`retry-${payment.id}`}
      >
        Retry payment
      </Button>
    );
  }
  if (state === "none") return null;
  return <Tag variant={state === "failed" || state === "rejected" ? "error" : "info"}>{retryStateLabels[state]}</Tag>;
}

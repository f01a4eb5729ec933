// Who the account is and where its reconciliation stands: status, headline, discrepancies, owner.
import { Flex, Heading, Link, StatusTag, Tag, Text } from "@hubspot/ui-extensions";
import type { LinkedCard } from "../api/types";
import { type Formatters, humanize } from "../format/formatters";

type StatusVariant = "danger" | "warning" | "info" | "success" | "default";

const statusVariants: Record<string, StatusVariant> = {
  reconciled: "success",
  discrepancy: "danger",
  overdue: "danger",
  unreconciled: "warning",
};

export function AccountStatus({ card, format }: { card: LinkedCard; format: Formatters }) {
  const { account, status } = card;
  return (
    <Flex direction="column" gap="xs">
      <Flex direction="row" gap="sm" align="center" wrap="wrap">
        <Heading>{account.name}</Heading>
        {status && (
          <StatusTag variant={statusVariants[status.status] ?? "default"} testId="reconciliation-status">
            {humanize(status.status)}
          </StatusTag>
        )}
        {status?.outlier && <Tag variant="warning">Outlier</Tag>}
      </Flex>
      {status ? (
        <>
          <Text format={{ fontWeight: "demibold" }} testId="status-headline">
            {status.headline}
          </Text>
          <Text variant="microcopy">
            {status.discrepancyCount === 1 ? "1 discrepancy" : `${status.discrepancyCount} discrepancies`}; reconciled{" "}
            {format.instant(status.reconciledAt)}
          </Text>
        </>
      ) : (
        <Text testId="status-headline">Not reconciled yet.</Text>
      )}
      <Text variant="microcopy">
        Owner: {account.owner ? `${account.owner.name} (${account.owner.email})` : "nobody yet"} ·{" "}
        <Link href={{ url: account.webUrl, external: true }}>Open in Reckon</Link>
      </Text>
    </Flex>
  );
}

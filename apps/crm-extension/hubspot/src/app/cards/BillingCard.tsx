// The Reckon billing card: one of loading, error, unlinked or the linked account's data, plus the last action's answer.
import { Alert, Button, Flex, LoadingSpinner, Text } from "@hubspot/ui-extensions";
import type { HubSpotFetch } from "./api/reckonClient";
import { LinkedCardView } from "./LinkedCardView";
import { UnlinkedSection } from "./sections/UnlinkedSection";
import { useBillingCard } from "./useBillingCard";

export function BillingCard({ fetchReckon }: { fetchReckon: HubSpotFetch }) {
  const model = useBillingCard(fetchReckon);
  const { view, notice } = model;

  if (view.status === "loading") {
    return <LoadingSpinner label="Loading billing data from Reckon" showLabel layout="centered" />;
  }
  if (view.status === "error") {
    return (
      <Alert title="Reckon could not load this company" variant="danger" testId="load-error">
        <Flex direction="column" gap="sm">
          <Text>{view.detail}</Text>
          <Button size="sm" variant="secondary" onClick={() => void model.reload()}>
            Try again
          </Button>
        </Flex>
      </Alert>
    );
  }
  return (
    <Flex direction="column" gap="md">
      {notice && (
        <Alert
          title={notice.variant === "success" ? "Done" : "That did not work"}
          variant={notice.variant}
          testId="notice"
        >
          {notice.message}
        </Alert>
      )}
      {view.card.state === "unlinked" ? (
        <UnlinkedSection card={view.card} busy={model.busy} onLink={(accountId) => void model.linkAccount(accountId)} />
      ) : (
        <LinkedCardView card={view.card} model={model} />
      )}
    </Flex>
  );
}

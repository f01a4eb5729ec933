// Open flags on the account, and the Flag issue form for viewers who may raise one.
import { Button, Flex, Heading, Text } from "@hubspot/ui-extensions";
import { useState } from "react";
import type { FlagRequest, LinkedCard, OpenFlag } from "../api/types";
import type { Formatters } from "../format/formatters";
import { FlagIssueForm } from "./FlagIssueForm";

export interface FlagsSectionProps {
  card: LinkedCard;
  busy: boolean;
  format: Formatters;
  onRaise(flag: FlagRequest): Promise<boolean>;
}

export function FlagsSection({ card, busy, format, onRaise }: FlagsSectionProps) {
  const [formOpen, setFormOpen] = useState(false);
  const currency = accountCurrency(card);
  const reasonLabel = (value: string) => card.flagReasons.find((reason) => reason.value === value)?.label ?? value;

  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" justify="between" align="center">
        <Heading>Open flags ({card.openFlagCount})</Heading>
        {card.actions.flag && !formOpen && (
          <Button size="sm" variant="secondary" onClick={() => setFormOpen(true)} testId="open-flag-form">
            Flag issue
          </Button>
        )}
      </Flex>
      {formOpen && (
        <FlagIssueForm
          reasons={card.flagReasons}
          currency={currency}
          busy={busy}
          onCancel={() => setFormOpen(false)}
          onSubmit={async (flag) => {
            if (await onRaise(flag)) setFormOpen(false);
          }}
        />
      )}
      {card.flags.length === 0 ? (
        <Text>No open flags.</Text>
      ) : (
        card.flags.map((flag) => (
          <FlagLine key={flag.id} flag={flag} label={reasonLabel(flag.reason)} format={format} />
        ))
      )}
    </Flex>
  );
}

function FlagLine({ flag, label, format }: { flag: OpenFlag; label: string; format: Formatters }) {
  return (
    <Flex direction="column" gap="flush" testId={`flag-${flag.id}`}>
      <Text format={{ fontWeight: "demibold" }}>
        {label}
        {flag.amount ? `: ${format.money(flag.amount)}` : ""}
      </Text>
      {flag.note && <Text>{flag.note}</Text>}
      <Text variant="microcopy">
        Raised {flag.raisedBy ? `by ${flag.raisedBy} ` : ""}
        {format.instant(flag.raisedAt)}
      </Text>
    </Flex>
  );
}

/** The account's currency as the card can see it: its overdue amount, else its invoices, else its payments. */
export function accountCurrency(card: LinkedCard): string | null {
  return card.overdue?.currency ?? card.invoices[0]?.total.currency ?? card.payments[0]?.amount.currency ?? null;
}

// Everything the card shows for a linked company, banners first so nobody reads incomplete numbers unwarned.
import { Divider, Flex } from "@hubspot/ui-extensions";
import type { LinkedCard } from "./api/types";
import { AccountStatus } from "./sections/AccountStatus";
import { Banners } from "./sections/Banners";
import { FlagsSection } from "./sections/FlagsSection";
import { ForecastSection } from "./sections/ForecastSection";
import { InvoicesSection } from "./sections/InvoicesSection";
import { PaymentsSection } from "./sections/PaymentsSection";
import { SyncSection } from "./sections/SyncSection";
import { UsageSection } from "./sections/UsageSection";
import type { BillingCardModel } from "./useBillingCard";

export function LinkedCardView({ card, model }: { card: LinkedCard; model: BillingCardModel }) {
  const { format, busy } = model;
  return (
    <Flex direction="column" gap="md">
      <Banners banners={card.banners} format={format} />
      <AccountStatus card={card} format={format} />
      <Divider />
      <UsageSection usage={card.usage} format={format} />
      <ForecastSection forecast={card.forecast} format={format} />
      <Divider />
      <InvoicesSection invoices={card.invoices} overdue={card.overdue} format={format} />
      <PaymentsSection
        payments={card.payments}
        canRetry={card.actions.retry}
        busy={busy}
        format={format}
        onRetry={(paymentId) => void model.retryPayment(paymentId)}
      />
      <Divider />
      <FlagsSection card={card} busy={busy} format={format} onRaise={model.raiseFlag} />
      <SyncSection lastSync={card.lastSync} format={format} />
    </Flex>
  );
}

// Entry point HubSpot loads (reckon-billing-card-hsmeta.json): the card talks to Reckon only through hubspot.fetch.
import { hubspot } from "@hubspot/ui-extensions";
import { BillingCard } from "./BillingCard";

hubspot.extend<"crm.record.tab">(() => <BillingCard fetchReckon={hubspot.fetch} />);

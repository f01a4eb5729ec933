// Renders the billing card with HubSpot's testing renderer, as it would appear on company 4711.
import { createRenderer } from "@hubspot/ui-extensions/testing";
import { BillingCard } from "../BillingCard";
import { hubspotProxy } from "./reckonApi";

export const companyProperties = { name: "Acme Analytics", domain: "acme.example", quickbooks_customer_id: "58" };

export function renderCard(options: { properties?: Record<string, string>; recordId?: number } = {}) {
  const renderer = createRenderer("crm.record.tab");
  const { mocks } = renderer;
  mocks.context.crm.objectId = options.recordId ?? 4711;
  mocks.context.portal.timezone = "UTC";
  mocks.actions.fetchCrmObjectProperties.willCall(async () => options.properties ?? companyProperties);
  renderer.render(<BillingCard fetchReckon={hubspotProxy(mocks.context)} />);
  return renderer;
}

/** Waits up to 5 s: the first request through msw can take a moment on a busy machine. */
export const patiently = { timeoutInMs: 5000 };

// CRM: connecting HubSpot portals and Salesforce orgs, who a card's request acts as, the card, linking, write-back.
export * from "./connectCrm";
export * from "./getCrmCard";
export * from "./identify";
export * from "./linkCrmRecord";
export * from "./runCrmWriteback";
export * from "./writeBack";

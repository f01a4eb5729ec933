// Admin settings: reconciliation settings, FX rates, item mappings, account link confirmation, source connections.
export * from "./confirmAccountLink";
export * from "./deleteFxRate";
export * from "./deleteItemMapping";
export * from "./fields";
export * from "./getSettings";
export * from "./listConnections";
export * from "./listLinkSuggestions";
export * from "./queueReconcile";
export * from "./saveFxRates";
export * from "./saveItemMappings";
export * from "./updateConnection";
export * from "./updateSettings";

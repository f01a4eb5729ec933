export * from "./exportAccount";
export * from "./exportPortfolio";
export * from "./exportResult";

export * from "./actor";
export * from "./apiTokens";
export * from "./authenticate";
export * from "./credentials";
export * from "./identities";
export * from "./signIn";
export * from "./users";
export * from "./visibility";

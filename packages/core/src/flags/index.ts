// Flags: a person's "this looks wrong" on an account, raised from any surface and resolved by finance.
export * from "./attachFlagThread";
export * from "./createFlag";
export * from "./flag";
export * from "./getFlag";
export * from "./listFlags";
export * from "./resolveFlag";

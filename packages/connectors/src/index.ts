export * from "./records";
export * from "./source";

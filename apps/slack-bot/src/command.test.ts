import { describe, expect, it } from "vitest";
import { parseBillingCommand } from "./command";

describe("/billing text", () => {
  it("reads the subcommands in any case, and nothing as help", () => {
    expect(parseBillingCommand("")).toEqual({ kind: "help" });
    expect(parseBillingCommand(undefined)).toEqual({ kind: "help" });
    expect(parseBillingCommand("  PORTFOLIO ")).toEqual({ kind: "portfolio" });
    expect(parseBillingCommand("overdue")).toEqual({ kind: "overdue" });
    expect(parseBillingCommand("forecast")).toEqual({ kind: "forecast" });
    expect(parseBillingCommand("help")).toEqual({ kind: "help" });
  });

  it("takes anything else as an account name, spaces collapsed", () => {
    expect(parseBillingCommand("  Acme   Robotics ")).toEqual({ kind: "account", query: "Acme Robotics" });
    expect(parseBillingCommand("portfolio review")).toEqual({ kind: "account", query: "portfolio review" });
    expect(parseBillingCommand("Zoë & Søn")).toEqual({ kind: "account", query: "Zoë & Søn" });
  });

  it("says what is wrong with mentions, links, overlong names and non-text", () => {
    expect(parseBillingCommand("<@U123>")).toMatchObject({ kind: "invalid" });
    expect(parseBillingCommand("<https://evil.example|click>")).toMatchObject({ kind: "invalid" });
    expect(parseBillingCommand("x".repeat(201))).toMatchObject({ kind: "invalid" });
    expect(parseBillingCommand("x".repeat(5_000))).toMatchObject({ kind: "invalid" });
    expect(parseBillingCommand(42)).toMatchObject({ kind: "invalid" });
  });
});

// What `/billing <text>` asks for. Anything that is not a subcommand is an account name or id to look up.
import { z } from "zod";

export type BillingCommand =
  | { kind: "help" }
  | { kind: "portfolio" }
  | { kind: "overdue" }
  | { kind: "forecast" }
  | { kind: "account"; query: string }
  | { kind: "invalid"; problem: string };

const subcommands = new Set(["help", "portfolio", "overdue", "forecast"]);
/** Slack allows 4,000 characters of command text; an account name is far shorter. */
const maxQueryLength = 200;
const commandText = z.string().max(4_000);

export function parseBillingCommand(raw: unknown): BillingCommand {
  const parsed = commandText.safeParse(raw ?? "");
  if (!parsed.success) return { kind: "invalid", problem: "That command text is too long." };
  // Slack sends mentions and links escaped (<@U123>, <https://...|label>); neither names an account.
  const text = parsed.data.replace(/\s+/g, " ").trim();
  if (text === "") return { kind: "help" };
  const word = text.toLowerCase();
  if (subcommands.has(word)) return { kind: word as "help" | "portfolio" | "overdue" | "forecast" };
  if (text.length > maxQueryLength) {
    return { kind: "invalid", problem: `An account name is at most ${maxQueryLength} characters.` };
  }
  if (/[<>]/.test(text)) return { kind: "invalid", problem: "Type the account's name or id, not a mention or a link." };
  return { kind: "account", query: text };
}

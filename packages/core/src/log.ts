// Structured JSON logs (pino) with secrets redacted by configuration, never by hope.
import pino from "pino";

export type Logger = pino.Logger;

const redact = {
  paths: [
    "*.apiKey",
    "*.secretKey",
    "*.clientSecret",
    "*.accessToken",
    "*.refreshToken",
    "*.password",
    "*.authorization",
    "*.headers.authorization",
    "*.headers.cookie",
    "secrets",
    "*.secrets",
  ],
  censor: "[redacted]",
};

export function createLogger(level: pino.LevelWithSilent, base: Record<string, unknown> = {}): Logger {
  return pino({ level, redact, base: { service: "reckon", ...base } });
}

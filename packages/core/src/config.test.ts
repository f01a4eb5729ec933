// Configuration: nothing set is the embedded default; each bad value is named in the error.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

describe("loadConfig", () => {
  it("is the embedded default when nothing is set", () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: "pglite", dataDir: ".reckon/pgdata" });
    expect(config.jobs).toEqual({ kind: "in-process" });
    expect(config.port).toBe(3000);
    expect(config.sandbox.enabled).toBe(true);
    expect(config.syncIntervalMs).toBe(300_000);
  });

  it("gives each source a request timeout: 30 s for Stripe and QuickBooks, 300 s for Amplitude's export", () => {
    expect(loadConfig({}).sourceTimeoutsMs).toEqual({ stripe: 30_000, quickbooks: 30_000, amplitude: 300_000 });
    const set = loadConfig({ RECKON_QUICKBOOKS_TIMEOUT_SECONDS: "12", RECKON_AMPLITUDE_TIMEOUT_SECONDS: "900" });
    expect(set.sourceTimeoutsMs).toEqual({ stripe: 30_000, quickbooks: 12_000, amplitude: 900_000 });
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ DATABASE_URL: "", REDIS_URL: "  " }).database.kind).toBe("pglite");
  });

  it("switches to Postgres and BullMQ by URL", () => {
    const config = loadConfig({ DATABASE_URL: "postgres://u@db:5432/reckon", REDIS_URL: "redis://cache:6379" });
    expect(config.database).toEqual({ kind: "postgres", url: "postgres://u@db:5432/reckon" });
    expect(config.jobs).toEqual({ kind: "bullmq", redisUrl: "redis://cache:6379", prefix: "reckon" });
    expect(config.logLevel).toBe("info");
  });

  it.each([
    ["PORT", "eighty"],
    ["PORT", "70000"],
    ["DATABASE_URL", "mysql://db/reckon"],
    ["REDIS_URL", "not a url"],
    ["RECKON_SECRET_KEY", "c2hvcnQ="],
    ["RECKON_AS_OF", "25/11/2026"],
    ["LOG_LEVEL", "loud"],
    ["RECKON_SYNC_INTERVAL_SECONDS", "1"],
    ["RECKON_QUICKBOOKS_TIMEOUT_SECONDS", "0"],
    ["RECKON_STRIPE_TIMEOUT_SECONDS", "2.5"],
    ["RECKON_AMPLITUDE_TIMEOUT_SECONDS", "forever"],
  ])("names %s when it is %s", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrowError(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrowError(new RegExp(`${name}:`));
  });
});

import { gunzipSync, strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateScenario } from "../generate/index.js";
import { type RunningSandbox, startSandbox } from "../sandbox.js";
import type { AmplitudeExportEvent } from "../scenario.js";

let sandbox: RunningSandbox;
let auth: string;

beforeAll(async () => {
  sandbox = await startSandbox(generateScenario({ seed: 11, accounts: 12, months: 2, asOf: "2026-11-25" }));
  auth = `Basic ${Buffer.from(`${sandbox.amplitude.apiKey}:${sandbox.amplitude.secretKey}`).toString("base64")}`;
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.faults.reset());

const exportUrl = (start: string, end: string) => `${sandbox.amplitude.baseUrl}/api/2/export?start=${start}&end=${end}`;

describe("Amplitude Export API sandbox", () => {
  it("answers a zip of hourly gzipped JSON lines, selected by upload hour", async () => {
    const response = await fetch(exportUrl("20261101T00", "20261101T23"), { headers: { Authorization: auth } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const names = Object.keys(files);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^187520\/187520_2026-11-01_\d{1,2}#0\.json\.gz$/);
    const rows: AmplitudeExportEvent[] = names.flatMap((name) =>
      strFromU8(gunzipSync(files[name]!))
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as AmplitudeExportEvent),
    );
    const expected = sandbox.scenario.amplitude.events.filter((e) => e.server_upload_time.startsWith("2026-11-01"));
    expect(rows.map((r) => r.$insert_id).sort()).toEqual(expected.map((e) => e.$insert_id).sort());
    for (const name of names) {
      const hour = Number(/_(\d+)#0/.exec(name)![1]);
      const inFile = strFromU8(gunzipSync(files[name]!))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as AmplitudeExportEvent);
      expect(inFile.every((row) => Number(row.server_upload_time.slice(11, 13)) === hour)).toBe(true);
    }
  });

  it("answers 404 when the range holds no data, 400 for bad or too long ranges, 401 for bad keys", async () => {
    const get = (url: string, authorization = auth) => fetch(url, { headers: { Authorization: authorization } });
    expect((await get(exportUrl("20200101T00", "20200101T23"))).status).toBe(404);
    expect((await get(exportUrl("2026-11-01", "20261101T23"))).status).toBe(400);
    expect((await get(exportUrl("20250101T00", "20260102T00"))).status).toBe(400);
    expect((await get(exportUrl("20261102T00", "20261101T00"))).status).toBe(400);
    const wrong = `Basic ${Buffer.from("nope:nope").toString("base64")}`;
    expect((await get(exportUrl("20261101T00", "20261101T23"), wrong)).status).toBe(401);
  });

  it("rate-limits on demand with Retry-After", async () => {
    sandbox.faults.rateLimitNext("amplitude", 1, 30);
    const limited = await fetch(exportUrl("20261101T00", "20261101T23"), { headers: { Authorization: auth } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("30");
    sandbox.faults.failNext("amplitude", 1, 503);
    expect((await fetch(exportUrl("20261101T00", "20261101T23"), { headers: { Authorization: auth } })).status).toBe(
      503,
    );
    expect(sandbox.faults.requests("amplitude").map((r) => r.status)).toEqual([429, 503]);
  });
});

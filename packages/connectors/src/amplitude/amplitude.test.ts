import { gzipSync, strToU8, zipSync } from "fflate";
import { delay, HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SourceError } from "../source";
import { createAmplitudeSource } from ".";
import type { ExportEvent } from "./export";
import { readExportArchive } from "./export";
import { UsageTally } from "./map";

const baseUrl = "https://amplitude.test";
const mapping = { groupType: "org_id", eventMetrics: { "API Call": "api_calls", "Storage Used": "storage_gb" } };

function event(overrides: Partial<ExportEvent> & { at: string; upload?: string }): ExportEvent & { upload: string } {
  const { at, upload, ...rest } = overrides;
  return {
    $insert_id: crypto.randomUUID(),
    event_type: "API Call",
    event_time: at,
    server_upload_time: upload ?? at,
    user_id: "u1",
    groups: { org_id: ["org_acme"] },
    event_properties: { quantity: 10 },
    ...rest,
    upload: upload ?? at,
  };
}

/** An export archive as Amplitude sends it: a zip of gzipped JSON-lines files, one per hour. */
function archive(events: ExportEvent[]): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [index, e] of events.entries()) {
    const name = `123456/123456_${(e.server_upload_time ?? e.event_time).slice(0, 13).replace(" ", "_")}#${index % 2}.json.gz`;
    files[name] = strToU8(`${JSON.stringify(e)}\n`);
  }
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, data]) => [name, gzipSync(data)])));
}

const exportHour = (time: string) =>
  time
    .slice(0, 13)
    .replace(/[- ]/g, "")
    .replace(/(\d{8})(\d{2})/, "$1T$2");

/** A fake Export API over a list of events: selects by upload hour, 404 when empty, like the real one. */
function exportApi(events: Array<ExportEvent & { upload: string }>, requests: string[] = []) {
  return http.get(`${baseUrl}/api/2/export`, ({ request }) => {
    const url = new URL(request.url);
    const start = url.searchParams.get("start") ?? "";
    const end = url.searchParams.get("end") ?? "";
    requests.push(`${start}-${end}`);
    if (request.headers.get("authorization") !== `Basic ${btoa("key:secret")}`)
      return new HttpResponse(null, { status: 401 });
    const hits = events.filter((e) => exportHour(e.upload) >= start && exportHour(e.upload) <= end);
    if (hits.length === 0) return new HttpResponse(null, { status: 404 });
    return HttpResponse.arrayBuffer(archive(hits).slice().buffer, { headers: { "content-type": "application/zip" } });
  });
}

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const source = (extra: Partial<Parameters<typeof createAmplitudeSource>[0]> = {}) =>
  createAmplitudeSource({ apiKey: "key", secretKey: "secret", baseUrl, ...mapping, ...extra });

async function collect(iterable: AsyncIterable<import("../source").SyncBatch>) {
  const batches = [];
  for await (const batch of iterable) batches.push(batch);
  return batches;
}

describe("UsageTally", () => {
  it("sums exact quantities per day, group and metric; dedupes insert ids within a day", () => {
    const tally = new UsageTally(mapping);
    const dup = "ins-1";
    tally.add(event({ at: "2026-10-01 10:00:00.000000", $insert_id: dup, event_properties: { quantity: 0.1 } }));
    tally.add(event({ at: "2026-10-01 11:00:00.000000", $insert_id: dup, event_properties: { quantity: 0.1 } }));
    tally.add(event({ at: "2026-10-01 12:00:00.000000", event_properties: { quantity: "0.2" } }));
    tally.add(event({ at: "2026-10-01 13:00:00.000000", event_properties: {} })); // counts as 1
    tally.add(event({ at: "2026-10-02 00:00:01.000000", $insert_id: dup })); // another day: not a duplicate
    tally.add(event({ at: "2026-10-01 13:00:00.000000", event_type: "Page Viewed" })); // not a metric
    tally.add(event({ at: "2026-10-01 13:00:00.000000", groups: {} })); // no client
    tally.add(
      event({
        at: "2026-10-01 14:00:00.000000",
        event_type: "Storage Used",
        groups: { org_id: "org_b" },
        event_properties: { quantity: 1.5 },
      }),
    );
    const none = { duplicateQuantity: "0", duplicateInsertIds: [] };
    expect(tally.usage()).toEqual([
      {
        groupId: "org_acme",
        metric: "api_calls",
        day: "2026-10-01",
        uploadedOn: "2026-10-01",
        quantity: "1.3",
        eventCount: 3,
        duplicateEvents: 1,
        duplicateQuantity: "0.1",
        duplicateInsertIds: ["ins-1"],
      },
      {
        groupId: "org_b",
        metric: "storage_gb",
        day: "2026-10-01",
        uploadedOn: "2026-10-01",
        quantity: "1.5",
        eventCount: 1,
        duplicateEvents: 0,
        ...none,
      },
      {
        groupId: "org_acme",
        metric: "api_calls",
        day: "2026-10-02",
        uploadedOn: "2026-10-02",
        quantity: "10",
        eventCount: 1,
        duplicateEvents: 0,
        ...none,
      },
    ]);
  });

  it("counts the earliest upload of an insert id, whatever the reading order, on the row of its upload day", () => {
    const early = event({ at: "2026-10-01 23:59:00.000000", $insert_id: "x", upload: "2026-10-01 23:59:30.000000" });
    const late = event({ at: "2026-10-01 23:59:00.000000", $insert_id: "x", upload: "2026-10-02 00:05:00.000000" });
    const rows = (order: ExportEvent[]) => {
      const tally = new UsageTally(mapping);
      for (const e of order) tally.add(e);
      return tally.usage();
    };
    expect(rows([late, early])).toEqual(rows([early, late]));
    expect(rows([late, early]).map((r) => [r.uploadedOn, r.eventCount, r.duplicateEvents])).toEqual([
      ["2026-10-01", 1, 0],
      ["2026-10-02", 0, 1],
    ]);
  });

  it("rejects a metric event whose quantity is not a number", () => {
    const tally = new UsageTally(mapping);
    expect(() => tally.add(event({ at: "2026-10-01 10:00:00", event_properties: { quantity: "lots" } }))).toThrow(
      SourceError,
    );
  });
});

describe("readExportArchive", () => {
  it("reads gzipped JSON lines out of the zip and validates them", () => {
    const seen: string[] = [];
    readExportArchive(archive([event({ at: "2026-10-01 10:00:00.000000", $insert_id: "a" })]), (e) =>
      seen.push(e.$insert_id ?? ""),
    );
    expect(seen).toEqual(["a"]);
    expect(() => readExportArchive(strToU8("not a zip"), () => {})).toThrow(/not a zip/);
    const badLine = zipSync({ "x.json.gz": gzipSync(strToU8('{"event_type": 5}\n')) });
    expect(() => readExportArchive(badLine, () => {})).toThrowError(expect.objectContaining({ kind: "invalid" }));
  });
});

describe("createAmplitudeSource", () => {
  const now = new Date("2026-10-10T12:30:00Z");
  const events = [
    event({ at: "2026-09-25 10:00:00.000000" }),
    event({ at: "2026-09-26 23:59:59.000000", upload: "2026-09-27 00:00:05.000000" }), // crosses a chunk edge
    event({ at: "2026-09-26 12:00:00.000000" }),
    event({ at: "2026-10-08 09:00:00.000000" }),
    event({ at: "2026-10-10 11:00:00.000000" }),
  ];

  it("backfills in chunks of whole days, one batch each, cursor = last complete day", async () => {
    const requests: string[] = [];
    server.use(exportApi(events, requests));
    const batches = await collect(source({ backfillDays: 20, chunkDays: 7 }).pull(null, { now }));
    expect(batches.map((b) => b.cursor)).toEqual([
      '{"day":"2026-09-26"}',
      '{"day":"2026-10-03"}',
      '{"day":"2026-10-09"}',
    ]);
    expect(requests).toEqual([
      "20260920T00-20260926T23",
      "20260927T00-20261003T23",
      "20260926T00-20260926T23", // the late upload's day, read again whole
      "20261004T00-20261010T12",
    ]);
    const all = batches.flatMap((b) => b.usage);
    // 2026-09-26 is emitted by its own chunk, then again, complete with the late upload (a row of its own upload day).
    expect(all.filter((row) => row.day === "2026-09-26").map((row) => [row.uploadedOn, row.eventCount])).toEqual([
      ["2026-09-26", 1],
      ["2026-09-26", 1],
      ["2026-09-27", 1],
    ]);
    const last = new Map(all.map((row) => [row.day, row]));
    expect([...last.keys()].sort()).toEqual(["2026-09-25", "2026-09-26", "2026-10-08", "2026-10-10"]);
  });

  it("re-reads from the day before the cursor day, and re-reads late days whole", async () => {
    const late = event({ at: "2026-09-25 18:00:00.000000", upload: "2026-10-09 10:00:00.000000" });
    const requests: string[] = [];
    server.use(exportApi([...events, late], requests));
    const batches = await collect(source().pull('{"day":"2026-10-09"}', { now }));
    expect(requests[0]).toBe("20261008T00-20261010T12");
    expect(requests.slice(1)).toEqual(["20260925T00-20261001T23", "20261002T00-20261007T23"]);
    // Only the late day is re-emitted; days in between stay as stored.
    expect(batches).toHaveLength(1);
    const rows = batches[0]?.usage ?? [];
    expect(rows.filter((row) => row.day === "2026-09-25").map((r) => [r.uploadedOn, r.quantity])).toEqual([
      ["2026-09-25", "10"],
      ["2026-10-09", "10"],
    ]);
    expect(rows.map((row) => row.day)).toEqual(["2026-09-25", "2026-09-25", "2026-10-08", "2026-10-10"]);
    expect(batches[0]?.cursor).toBe('{"day":"2026-10-09"}');
  });

  it("is idempotent: the same pull twice gives the same rows", async () => {
    server.use(exportApi(events));
    const first = await collect(source().pull('{"day":"2026-10-07"}', { now }));
    const second = await collect(source().pull('{"day":"2026-10-07"}', { now }));
    expect(second).toEqual(first);
  });

  it("abandons an export that does not answer within its timeout: transient, so the job retries it", async () => {
    let asked = 0;
    server.use(
      http.get(`${baseUrl}/api/2/export`, async () => {
        asked += 1;
        await delay("infinite");
        return new HttpResponse(null, { status: 404 });
      }),
    );
    const error = await collect(source({ timeoutMs: 150 }).pull('{"day":"2026-10-07"}', { now })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ kind: "transient", retryable: true });
    expect((error as SourceError).message).toMatch(
      /^amplitude: export start=\d{8}T\d{2}&end=\d{8}T\d{2}: no answer within 0\.15 s$/,
    );
    expect(asked).toBe(1);
  });
});

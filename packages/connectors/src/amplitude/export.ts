// Amplitude Export API client: one GET per hour range, answered by a zip of gzipped JSON-lines files, validated by zod.
import { gunzipSync, unzipSync } from "fflate";
import { z } from "zod";
import { invalidPayload, networkFailure, requestTimedOut, sourceErrorFromStatus } from "../errors";
import { openGate, type RequestGate } from "../gate";
import { SourceError } from "../source";

/*
 * Shapes from Amplitude's own documentation, amplitude/amplitude-docs content/collections/api/en/export.md:
 * `GET /api/2/export?start=YYYYMMDDTHH&end=YYYYMMDDTHH` with HTTP Basic auth (api key : secret key); both hours are
 * included; the range is by upload time (`server_upload_time`), in UTC, at most 365 days; data is exportable about
 * 2 hours after upload. 200 answers "a zipped archive of JSON files", several per hour, one event JSON object per line;
 * 404 means no data for the range, 400 that the export exceeds 4 GB, 504 that it timed out.
 * The response schema lists (among others): "$insert_id": string, "event_type": string, "event_time": UTC timestamp,
 * "server_upload_time": UTC timestamp, "user_id": string, "groups": dict, "event_properties": dict.
 * Real exports print timestamps as "2026-10-01 14:32:05.123000" and group values as a string or a list of strings.
 */
const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/, "expected a UTC timestamp");
export const exportEventSchema = z
  .object({
    $insert_id: z.string().nullish(),
    event_type: z.string(),
    event_time: timestamp,
    server_upload_time: timestamp.nullish(),
    user_id: z.string().nullish(),
    groups: z.record(z.string(), z.union([z.string(), z.array(z.string())])).nullish(),
    event_properties: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();
export type ExportEvent = z.infer<typeof exportEventSchema>;

export interface ExportConfig {
  apiKey: string;
  secretKey: string;
  /** https://amplitude.com (or the EU host, or the local sandbox). */
  baseUrl: string;
  /**
   * Per export request, the download included: an export of a busy week can take minutes, so the default
   * (defaultAmplitudeTimeoutMs) is far longer than the JSON APIs'.
   */
  timeoutMs?: number;
  /** Admits each export request (Amplitude allows 5 concurrent per project). */
  gate?: RequestGate;
}

/** Export requests answer a zip of a whole range: minutes for a busy week, so the deadline is long. */
export const defaultAmplitudeTimeoutMs = 300_000;

/** An hour as the Export API writes it: 20260131T05 (UTC). */
export function exportHour(at: Date): string {
  const iso = at.toISOString(); // 2026-01-31T05:...
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}`;
}

const decoder = new TextDecoder("utf-8", { fatal: true });
const isGzip = (bytes: Uint8Array) => bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Unpacks an export archive and hands each validated event to `onEvent`. Throws SourceError("invalid") on bad data. */
export function readExportArchive(archive: Uint8Array, onEvent: (event: ExportEvent) => void): void {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(archive);
  } catch (error) {
    throw invalidPayload("amplitude", `amplitude: export is not a zip archive (${(error as Error).message})`);
  }
  for (const [name, content] of Object.entries(files)) {
    if (name.endsWith("/")) continue;
    let text: string;
    try {
      text = decoder.decode(isGzip(content) ? gunzipSync(content) : content);
    } catch (error) {
      throw invalidPayload("amplitude", `amplitude: export file ${name} unreadable (${(error as Error).message})`);
    }
    for (const [index, line] of text.split("\n").entries()) {
      if (line.trim() === "") continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw invalidPayload("amplitude", `amplitude: export file ${name} line ${index + 1} is not JSON`);
      }
      const parsed = exportEventSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw invalidPayload(
          "amplitude",
          `amplitude: ${name}:${index + 1}: ${issue?.path.join(".")} ${issue?.message}`,
        );
      }
      onEvent(parsed.data);
    }
  }
}

/** Exports events uploaded from `start` to `end` (hours, both included). No data (404) is no events. */
export async function fetchExport(
  config: ExportConfig,
  start: Date,
  end: Date,
  onEvent: (event: ExportEvent) => void,
): Promise<void> {
  const url = new URL("/api/2/export", config.baseUrl);
  url.searchParams.set("start", exportHour(start));
  url.searchParams.set("end", exportHour(end));
  const credentials = Buffer.from(`${config.apiKey}:${config.secretKey}`).toString("base64");
  const timeoutMs = config.timeoutMs ?? defaultAmplitudeTimeoutMs;
  let response: Response;
  let body: Uint8Array;
  // One deadline for the request and its download, started when the gate admits it.
  const deadline: { signal?: AbortSignal } = {};
  try {
    // The body is read inside the gate: a concurrency slot is held until the download is done.
    [response, body] = await (config.gate ?? openGate).run(async () => {
      deadline.signal = AbortSignal.timeout(timeoutMs);
      const answer = await fetch(url, { headers: { Authorization: `Basic ${credentials}` }, signal: deadline.signal });
      if (answer.status === 404 || !answer.ok) return [answer, new Uint8Array()] as const;
      return [answer, new Uint8Array(await answer.arrayBuffer())] as const;
    });
    if (response.status === 404) return;
    if (!response.ok) {
      throw sourceErrorFromStatus(
        "amplitude",
        response.status,
        `amplitude: export ${url.searchParams} answered HTTP ${response.status}`,
        response.headers.get("retry-after"),
      );
    }
  } catch (error) {
    if (error instanceof SourceError) throw error;
    if (deadline.signal?.aborted)
      throw requestTimedOut("amplitude", `amplitude: export ${url.searchParams}`, timeoutMs, error);
    throw networkFailure("amplitude", error);
  }
  readExportArchive(body, onEvent);
}

// Amplitude events to daily usage rows: per UTC event day, group and metric; exact quantities; duplicates counted.
import { addDecimals, formatDecimal, parseDecimal, type ScaledDecimal } from "../decimal";
import { invalidPayload } from "../errors";
import { MAX_DUPLICATE_IDS, type UsageDay } from "../records";
import type { ExportEvent } from "./export";

export interface UsageMapping {
  /** Amplitude group type that identifies a client, e.g. "org_id". */
  groupType: string;
  /** event_type -> metric key; other event types are ignored. */
  eventMetrics: Record<string, string>;
}

interface Tally {
  quantity: ScaledDecimal;
  eventCount: number;
  duplicateEvents: number;
  duplicateQuantity: ScaledDecimal;
  duplicateInsertIds: string[];
}

/** One upload of an event: several uploads of one insert id on one event day are one event and its repeats. */
interface Upload {
  uploadedAt: string;
  groups: string[];
  metric: string;
  quantity: ScaledDecimal;
}

/** The UTC day of an export timestamp ("2026-10-01 14:32:05.123000" -> "2026-10-01"). */
export const eventDay = (eventTime: string): string => eventTime.slice(0, 10);

const one: ScaledDecimal = { units: 1n, scale: 0 };

/** `event_properties.quantity` as an exact decimal; a missing quantity counts the event as 1. */
export function eventQuantity(event: ExportEvent): ScaledDecimal {
  const value = event.event_properties?.quantity;
  if (value === undefined || value === null) return one;
  if (typeof value === "number" || typeof value === "string") {
    try {
      return parseDecimal(value);
    } catch {
      // reported below
    }
  }
  throw invalidPayload(
    "amplitude",
    `amplitude: event ${event.$insert_id ?? event.event_type} has a non-numeric quantity ${JSON.stringify(value)}`,
  );
}

function groupIds(event: ExportEvent, groupType: string): string[] {
  const value = event.groups?.[groupType];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((id) => id !== "");
}

/** "2026-10-01 14:32:05.123000" -> "2026-10-01" (the upload's UTC day; the event's day when absent). */
const uploadDay = (upload: Upload): string => upload.uploadedAt.slice(0, 10);
const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
const zero = (): ScaledDecimal => ({ units: 0n, scale: 0 });

/**
 * Accumulates usage per event day, upload day, group and metric. Events are deduplicated by `$insert_id` within their
 * UTC event day (Amplitude's own dedup key): the earliest upload counts, later ones are repeats, counted in
 * `duplicateEvents` with their quantity and insert ids on the row of the day they were uploaded. Which upload counts
 * does not depend on the order events are read in, so re-reading a day gives the same rows. An optional day filter
 * restricts which event days are tallied (used when re-reading older uploads for late events).
 */
export class UsageTally {
  private readonly byInsertId = new Map<string, Upload[]>();
  private readonly anonymous = new Map<string, Upload[]>();
  private readonly eventDays = new Set<string>();
  constructor(private readonly mapping: UsageMapping) {}

  add(event: ExportEvent, includeDay: (day: string) => boolean = () => true): void {
    const metric = this.mapping.eventMetrics[event.event_type];
    if (metric === undefined) return;
    const day = eventDay(event.event_time);
    if (!includeDay(day)) return;
    const groups = groupIds(event, this.mapping.groupType);
    if (groups.length === 0) return; // no client to attribute it to
    const upload: Upload = {
      uploadedAt: event.server_upload_time ?? event.event_time,
      groups,
      metric,
      quantity: eventQuantity(event),
    };
    this.eventDays.add(day);
    const bucket = event.$insert_id ? this.byInsertId : this.anonymous;
    const key = event.$insert_id ? `${day}\u0000${event.$insert_id}` : day;
    const list = bucket.get(key);
    if (list) list.push(upload);
    else bucket.set(key, [upload]);
  }

  /** The event days that have usage. */
  days(): Set<string> {
    return new Set(this.eventDays);
  }

  /** Rows for the given event days (all days when omitted), sorted by day, upload day, group and metric. */
  usage(days?: ReadonlySet<string>): UsageDay[] {
    const rows = new Map<string, Tally>();
    const row = (day: string, upload: Upload, groupId: string) => {
      const key = `${day}\u0000${uploadDay(upload)}\u0000${groupId}\u0000${upload.metric}`;
      let tally = rows.get(key);
      if (!tally) {
        tally = {
          quantity: zero(),
          eventCount: 0,
          duplicateEvents: 0,
          duplicateQuantity: zero(),
          duplicateInsertIds: [],
        };
        rows.set(key, tally);
      }
      return tally;
    };
    for (const [day, uploads] of this.anonymous) {
      if (days && !days.has(day)) continue;
      for (const upload of uploads)
        for (const groupId of upload.groups) {
          const tally = row(day, upload, groupId);
          tally.quantity = addDecimals(tally.quantity, upload.quantity);
          tally.eventCount += 1;
        }
    }
    for (const [key, uploads] of this.byInsertId) {
      const [day = "", insertId = ""] = key.split("\u0000");
      if (days && !days.has(day)) continue;
      const ordered = [...uploads].sort(
        (a, b) => compare(a.uploadedAt, b.uploadedAt) || compare(formatDecimal(a.quantity), formatDecimal(b.quantity)),
      );
      ordered.forEach((upload, index) => {
        for (const groupId of upload.groups) {
          const tally = row(day, upload, groupId);
          if (index === 0) {
            tally.quantity = addDecimals(tally.quantity, upload.quantity);
            tally.eventCount += 1;
          } else {
            tally.duplicateEvents += 1;
            tally.duplicateQuantity = addDecimals(tally.duplicateQuantity, upload.quantity);
            tally.duplicateInsertIds.push(insertId);
          }
        }
      });
    }
    const out: UsageDay[] = [];
    for (const [key, tally] of rows) {
      const [day = "", uploadedOn = "", groupId = "", metric = ""] = key.split("\u0000");
      out.push({
        groupId,
        metric,
        day,
        uploadedOn,
        quantity: formatDecimal(tally.quantity),
        eventCount: tally.eventCount,
        duplicateEvents: tally.duplicateEvents,
        duplicateQuantity: formatDecimal(tally.duplicateQuantity),
        duplicateInsertIds: [...new Set(tally.duplicateInsertIds)].sort(compare).slice(0, MAX_DUPLICATE_IDS),
      });
    }
    return out.sort(
      (a, b) =>
        compare(a.day, b.day) ||
        compare(a.uploadedOn, b.uploadedOn) ||
        compare(a.groupId, b.groupId) ||
        compare(a.metric, b.metric),
    );
  }
}

// Amplitude events to daily usage rows: per UTC event day, group and metric; exact quantities; duplicates counted.
import { addDecimals, formatDecimal, parseDecimal, type ScaledDecimal } from "../decimal";
import { invalidPayload } from "../errors";
import type { UsageDay } from "../records";
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

/**
 * Accumulates usage. Events are deduplicated by `$insert_id` within their UTC day (Amplitude's own dedup key):
 * a repeat adds nothing to the quantity and is counted in `duplicateEvents`. An optional day filter restricts which
 * event days are tallied (used when re-reading older uploads for late events).
 */
export class UsageTally {
  private readonly rows = new Map<string, Tally>();
  private readonly seen = new Map<string, Set<string>>();
  constructor(private readonly mapping: UsageMapping) {}

  add(event: ExportEvent, includeDay: (day: string) => boolean = () => true): void {
    const metric = this.mapping.eventMetrics[event.event_type];
    if (metric === undefined) return;
    const day = eventDay(event.event_time);
    if (!includeDay(day)) return;
    const groups = groupIds(event, this.mapping.groupType);
    if (groups.length === 0) return; // no client to attribute it to
    let duplicate = false;
    if (event.$insert_id) {
      const seenToday = this.seen.get(day) ?? new Set<string>();
      this.seen.set(day, seenToday);
      duplicate = seenToday.has(event.$insert_id);
      seenToday.add(event.$insert_id);
    }
    const quantity = duplicate ? null : eventQuantity(event);
    for (const groupId of groups) {
      const key = `${day}\u0000${groupId}\u0000${metric}`;
      const tally = this.rows.get(key) ?? { quantity: { units: 0n, scale: 0 }, eventCount: 0, duplicateEvents: 0 };
      if (quantity === null) tally.duplicateEvents += 1;
      else {
        tally.quantity = addDecimals(tally.quantity, quantity);
        tally.eventCount += 1;
      }
      this.rows.set(key, tally);
    }
  }

  /** The event days that have usage. */
  days(): Set<string> {
    return new Set([...this.rows.keys()].map((key) => key.split("\u0000")[0] ?? ""));
  }

  /** Rows for the given days (all days when omitted), sorted by day, group and metric. */
  usage(days?: ReadonlySet<string>): UsageDay[] {
    const out: UsageDay[] = [];
    for (const [key, tally] of this.rows) {
      const [day = "", groupId = "", metric = ""] = key.split("\u0000");
      if (days && !days.has(day)) continue;
      out.push({
        groupId,
        metric,
        day,
        quantity: formatDecimal(tally.quantity),
        eventCount: tally.eventCount,
        duplicateEvents: tally.duplicateEvents,
      });
    }
    const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    return out.sort((a, b) => compare(a.day, b.day) || compare(a.groupId, b.groupId) || compare(a.metric, b.metric));
  }
}

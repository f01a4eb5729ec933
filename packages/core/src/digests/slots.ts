// When a quarter-end digest is due: the tenant's own calendar day and hour decide, not UTC's.
import { daysBetween, quarterOfDay } from "@reckon/reconcile";

export interface DigestSchedule {
  /** Days before quarter end a digest goes out (default 14, 7, 3, 1). */
  daysBefore: readonly number[];
  /** The tenant's local hour (0-23) from which the day's digest may go out. */
  hour: number;
  /** IANA time zone of the tenant, e.g. "America/New_York". */
  timeZone: string;
}

export const defaultDigestDays = [14, 7, 3, 1] as const;

export interface DigestSlot {
  /** One key per quarter and day count, e.g. "2026-Q4:-7d": a digest is sent at most once per key and recipient. */
  key: string;
  quarter: string;
  quarterEnd: string;
  daysBefore: number;
  /** The tenant's local day the slot falls on. */
  localDay: string;
}

/** The tenant's local calendar day and hour at `instant`. */
export function localDayAndHour(instant: Date, timeZone: string): { day: string; hour: number } {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    hourCycle: "h23",
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { day: `${part("year")}-${part("month")}-${part("day")}`, hour: Number(part("hour")) };
}

/**
 * The digest slot due at `instant`, or null. A slot is due on its local day from the schedule's hour until that day
 * ends, so an hourly job that misses one run (a deploy, a restart) still sends it later the same day.
 */
export function dueDigestSlot(instant: Date, schedule: DigestSchedule): DigestSlot | null {
  const { day, hour } = localDayAndHour(instant, schedule.timeZone);
  if (hour < schedule.hour) return null;
  const quarter = quarterOfDay(day);
  const daysBefore = daysBetween(day, quarter.end);
  if (!schedule.daysBefore.includes(daysBefore)) return null;
  return {
    key: `${quarter.label}:-${daysBefore}d`,
    quarter: quarter.label,
    quarterEnd: quarter.end,
    daysBefore,
    localDay: day,
  };
}

// Date arithmetic in UTC and the timestamp formats each provider writes (Stripe unix seconds, QBO offsets, Amplitude).

const dayMs = 86_400_000;

/** Midnight UTC of a YYYY-MM-DD date. */
export function parseDay(day: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a YYYY-MM-DD date: ${day}`);
  const date = new Date(`${day}T00:00:00.000Z`);
  if (Number.isNaN(date.getTime())) throw new Error(`not a valid date: ${day}`);
  return date;
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * dayMs);
}

export function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}

export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** YYYY-MM of a date. */
export function periodOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** First day of the month `offset` months after the month of `date`. */
export function monthStart(date: Date, offset = 0): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1));
}

export function daysInMonth(start: Date): number {
  return Math.round((monthStart(start, 1).getTime() - start.getTime()) / dayMs);
}

export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** QuickBooks writes times in the company's zone; the sandbox company sits at UTC-08:00 all year. */
export function qboTime(date: Date): string {
  const local = new Date(date.getTime() - 8 * 3_600_000);
  return `${local.toISOString().slice(0, 19)}-08:00`;
}

/** Amplitude's export format: "2026-10-01 14:32:05.123000" in UTC. */
export function amplitudeTime(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

/** Reads Amplitude's "YYYY-MM-DD HH:MM:SS.ffffff" (UTC) back into a Date. */
export function parseAmplitudeTime(value: string): Date {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?/.exec(value);
  if (!match) return new Date(Number.NaN);
  const fraction = (match[3] ?? ".0").slice(0, 4);
  return new Date(`${match[1]}T${match[2]}${fraction}Z`);
}

// Amplitude UsageSource: whole UTC days from the Export API, so re-running a day replaces its rows, never adds to them.
import { invalidPayload } from "../errors";
import type { PullOptions, SyncBatch, UsageSource } from "../source";
import { type ExportConfig, fetchExport } from "./export";
import { type UsageMapping, UsageTally } from "./map";

export interface AmplitudeSourceConfig extends ExportConfig, UsageMapping {
  /** How far back the first sync reaches. Default and maximum 365 (the Export API's longest range). */
  backfillDays?: number;
  /** Days per export request (one batch each). Default 7. */
  chunkDays?: number;
}

/** The last UTC day whose uploads are all stored. */
type AmplitudeCursor = { day: string };

const dayMs = 24 * 3600 * 1000;
const maxLookbackDays = 365;

const startOfDay = (at: Date): Date => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
const addDays = (day: Date, days: number): Date => new Date(day.getTime() + days * dayMs);
const isoDay = (day: Date): string => day.toISOString().slice(0, 10);
const lastHourOf = (day: Date): Date => new Date(day.getTime() + dayMs - 3600 * 1000);
const earlier = (a: Date, b: Date): Date => new Date(Math.min(a.getTime(), b.getTime()));

function parseCursor(text: string): AmplitudeCursor {
  try {
    const value = JSON.parse(text) as AmplitudeCursor;
    if (typeof value.day === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value.day)) return value;
  } catch {
    // fall through
  }
  throw invalidPayload("amplitude", `unreadable Amplitude cursor: ${text.slice(0, 80)}`);
}

/**
 * Daily usage per group and metric from Amplitude's Export API.
 *
 * The Export API selects by upload time; rows are by event time. Every event of day D was uploaded on D or later, so a
 * fetch of uploads from D's start up to now yields D's complete row. A fetched range thus gives complete rows for
 * every event day from its first day on. An event that arrives late for an earlier day (a late upload) makes us read
 * that day's uploads again from its start, so its row is complete too before it replaces the stored one.
 */
export function createAmplitudeSource(config: AmplitudeSourceConfig): UsageSource {
  const backfillDays = Math.min(config.backfillDays ?? maxLookbackDays, maxLookbackDays);
  const chunkDays = Math.max(1, Math.min(config.chunkDays ?? 7, maxLookbackDays));

  async function* pull(cursorText: string | null, options: PullOptions): AsyncGenerator<SyncBatch> {
    const today = startOfDay(options.now);
    const earliest = addDays(today, -maxLookbackDays + 1);
    const currentHour = new Date(Math.floor(options.now.getTime() / 3600_000) * 3600_000);
    // Data lands ~2 h after upload, so the incremental run re-reads from the day before the last complete day.
    let start =
      cursorText === null ? addDays(today, -backfillDays) : addDays(new Date(parseCursor(cursorText).day), -1);
    if (start < earliest) start = earliest;
    if (start > today) start = today;

    while (start <= today) {
      const lastDay = earlier(addDays(start, chunkDays - 1), today);
      const end = lastDay.getTime() === today.getTime() ? currentHour : lastHourOf(lastDay);
      const tally = new UsageTally(config);
      await fetchExport(config, start, end, (event) => tally.add(event));

      // Events for days before this range came late: re-read those days' uploads so their rows are whole.
      const firstDay = isoDay(start);
      const lateDays = new Set([...tally.days()].filter((day) => day < firstDay && new Date(day) >= earliest));
      if (lateDays.size > 0) {
        const from = new Date([...lateDays].sort()[0] ?? firstDay);
        for (let chunk = from; chunk < start; chunk = addDays(chunk, chunkDays)) {
          const chunkEnd = earlier(addDays(chunk, chunkDays), start);
          const lastHour = new Date(chunkEnd.getTime() - 3600 * 1000);
          await fetchExport(config, chunk, lastHour, (event) => tally.add(event, (day) => lateDays.has(day)));
        }
      }
      const keep = new Set([...tally.days()].filter((day) => day >= firstDay || lateDays.has(day)));
      // The cursor never passes yesterday: today is still filling up.
      const completeDay = lastDay < today ? lastDay : addDays(today, -1);
      yield {
        customers: [],
        invoices: [],
        payments: [],
        usage: tally.usage(keep),
        cursor: JSON.stringify({ day: isoDay(completeDay) } satisfies AmplitudeCursor),
        label: `usage ${firstDay}..${isoDay(lastDay)}${lateDays.size ? ` (+${lateDays.size} late days)` : ""}`,
      };
      start = addDays(lastDay, 1);
    }
  }

  return { source: "amplitude", pull };
}

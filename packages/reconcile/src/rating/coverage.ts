// Which rate card is in effect on each day of a billing period: plan segments, each card's days, uncovered days.

import { addDays, daysBetween, periodStart, shiftPeriod } from "../calendar";
import { normalizeCurrency } from "../money";
import { compareCards, describeCard, type RateCard, type RateCardProblem, validateRateCards } from "./rateCard";

/** A run of consecutive days of the period on one plan. `to` is the run's last day (inclusive). */
export interface PlanSegment {
  plan: string;
  from: string;
  to: string;
  days: number;
  /** The segment's share of the month as "days/days-in-month" ("14/31"). */
  share: string;
}

/** Days of the period no valid rate card covers: they are not rated, and are reported. */
export interface UncoveredDays {
  from: string;
  to: string; // inclusive
  days: number;
}

/** A card in effect for part of the period, with all its days there (a card can hold several segments). */
export interface CardInPeriod {
  card: RateCard;
  days: number;
  firstDay: string;
}

export interface RatingProblem {
  code: RateCardProblem["code"] | "no_rate_card" | "currency_mismatch";
  message: string;
}

export interface PeriodCoverage {
  period: string;
  days: string[];
  daysInMonth: number;
  /** The card in effect on each day of `days`, or null. */
  dayCards: Array<RateCard | null>;
  /** Cards in effect, in order of their first day. */
  cards: CardInPeriod[];
  segments: PlanSegment[];
  uncovered: UncoveredDays[];
  problems: RatingProblem[];
}

/** The days of a billing period: "2026-10" -> "2026-10-01" ... "2026-10-31". */
export function daysOfPeriod(period: string): string[] {
  const first = periodStart(period);
  const count = daysBetween(first, periodStart(shiftPeriod(period, 1)));
  return Array.from({ length: count }, (_, offset) => addDays(first, offset));
}

function usableCards(
  cards: readonly RateCard[],
  days: readonly string[],
  currency: string,
  problems: RatingProblem[],
): RateCard[] {
  const found = validateRateCards(cards);
  // Overlaps are resolved (the later-starting card applies); any other problem makes the card unusable.
  const broken = new Set(found.filter((p) => p.code !== "overlapping_range").map((p) => p.cardIndex));
  const first = days[0] ?? "";
  const last = days[days.length - 1] ?? "";
  // Only problems of cards that could apply to this period (or whose dates cannot be read) concern its rating.
  const concerns = (card: RateCard | undefined) =>
    !card || !(card.effectiveFrom > last || (card.effectiveTo !== null && card.effectiveTo <= first));
  for (const { code, message, cardIndex } of found) {
    if (code === "invalid_date" || concerns(cards[cardIndex])) problems.push({ code, message });
  }
  const code = normalizeCurrency(currency);
  return cards.filter((card, index) => {
    if (broken.has(index) || !concerns(card)) return false;
    if (normalizeCurrency(card.currency) === code) return true;
    problems.push({
      code: "currency_mismatch",
      message: `Rate card ${describeCard(card)} prices in ${card.currency}, not ${code}: it is not used.`,
    });
    return false;
  });
}

/** Runs of equal consecutive values: [{ value, start, length }]. */
function runs<T>(values: readonly T[]): Array<{ value: T; start: number; length: number }> {
  const found: Array<{ value: T; start: number; length: number }> = [];
  values.forEach((value, index) => {
    const last = found[found.length - 1];
    if (last && last.value === value) last.length += 1;
    else found.push({ value, start: index, length: 1 });
  });
  return found;
}

/**
 * Resolves the period day by day. A card applies from effectiveFrom (inclusive) to effectiveTo (exclusive); where
 * cards overlap, the one that started later applies. Cards in another currency or with problems are not used (and
 * said so in `problems`), and days no card covers are listed in `uncovered`. Input order never matters.
 */
export function coverPeriod(cards: readonly RateCard[], period: string, currency: string): PeriodCoverage {
  const problems: RatingProblem[] = [];
  // Latest start first, so the first card found covering a day is the one that applies.
  const days = daysOfPeriod(period);
  const candidates = usableCards(cards, days, currency, problems).sort((a, b) => compareCards(b, a));
  const daysInMonth = days.length;
  const dayCards = days.map(
    (day) =>
      candidates.find((card) => card.effectiveFrom <= day && (card.effectiveTo === null || day < card.effectiveTo)) ??
      null,
  );
  const segments: PlanSegment[] = [];
  const uncovered: UncoveredDays[] = [];
  const byCard = new Map<RateCard, CardInPeriod>();
  for (const run of runs(dayCards)) {
    const from = days[run.start] ?? "";
    const to = days[run.start + run.length - 1] ?? "";
    if (run.value === null) {
      uncovered.push({ from, to, days: run.length });
      continue;
    }
    segments.push({ plan: run.value.plan, from, to, days: run.length, share: `${run.length}/${daysInMonth}` });
    const seen = byCard.get(run.value);
    if (seen) seen.days += run.length;
    else byCard.set(run.value, { card: run.value, days: run.length, firstDay: from });
  }
  for (const gap of uncovered) {
    const span = gap.days === 1 ? gap.from : `${gap.from} to ${gap.to}`;
    problems.push({
      code: "no_rate_card",
      message: `No rate card covers ${span} (${gap.days} day${gap.days === 1 ? "" : "s"}): ${gap.days === 1 ? "it is" : "they are"} not rated.`,
    });
  }
  problems.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  return { period, days, daysInMonth, dayCards, cards: [...byCard.values()], segments, uncovered, problems };
}

// The reports' one trend chart, drawn with vector paths: round-numbered value axis, gridlines, bars, lines and a band.
import { colors, type Pdf, textLine } from "./document";

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ChartSeries {
  label: string;
  color: string;
  kind: "line" | "bar";
  /** Dashed lines mark values that are projected rather than measured. */
  dashed?: boolean;
  /** One value per category, in the chart's integer unit (minor units, micro-units); null where there is none. */
  values: ReadonlyArray<bigint | null>;
}

/** A shaded range between two series, such as a projection's ~80% prediction interval. */
export interface ChartBand {
  label: string;
  color: string;
  low: ReadonlyArray<bigint | null>;
  high: ReadonlyArray<bigint | null>;
}

export interface TrendChart {
  title: string;
  /** The x axis, one label per value ("2026-11" or "2026-11-15"). */
  categories: readonly string[];
  series: readonly ChartSeries[];
  band?: ChartBand;
  /** A value-axis label, from a tick in the chart's integer unit. */
  formatValue: (value: bigint) => string;
  /** The smallest tick step the labels can show: 100n for cents shown in dollars, 1_000_000n for micro-units. */
  minStep?: bigint;
}

export interface Scale {
  min: bigint;
  max: bigint;
  step: bigint;
}

const floorDiv = (a: bigint, b: bigint) => (a - (((a % b) + b) % b)) / b;
const ceilDiv = (a: bigint, b: bigint) => -floorDiv(-a, b);

/**
 * A value axis from zero (or the lowest value, when negative) to the highest, in about `ticks` steps of 1, 2 or 5
 * x 10^n times `minStep`. Integer math on bigint, so a tick is an exact amount and its label never shows float noise.
 */
export function niceScale(values: readonly bigint[], ticks = 5, minStep = 1n): Scale {
  let low = 0n;
  let high = 0n;
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  const raw = ceilDiv(high - low, BigInt(ticks));
  let magnitude = minStep;
  while (magnitude * 10n < raw) magnitude *= 10n;
  const step = [1n, 2n, 5n].map((m) => m * magnitude).find((candidate) => candidate >= raw) ?? 10n * magnitude;
  const min = floorDiv(low, step) * step;
  const max = ceilDiv(high, step) * step;
  return { min, max: max > min ? max : min + step, step };
}

const LABEL_SIZE = 7;
const TITLE_HEIGHT = 14;
const LEGEND_HEIGHT = 16;
const X_LABEL_HEIGHT = 14;

/** Draws the chart inside `box` (top-left origin); leaves the document cursor where it was. */
export function drawTrendChart(doc: Pdf, box: Box, chart: TrendChart): void {
  const cursor = doc.y;
  doc.save();
  const values = [
    ...chart.series.flatMap((s) => s.values),
    ...(chart.band ? [...chart.band.low, ...chart.band.high] : []),
  ];
  const scale = niceScale(
    values.filter((v): v is bigint => v !== null),
    5,
    chart.minStep,
  );
  const ticks: bigint[] = [];
  for (let tick = scale.min; tick <= scale.max; tick += scale.step) ticks.push(tick);
  const tickLabels = ticks.map(chart.formatValue);
  doc.fontSize(LABEL_SIZE);
  const gutter = Math.max(...tickLabels.map((label) => doc.widthOfString(label))) + 6;

  textLine(doc, chart.title, box.x, box.y, { size: 10, bold: true, width: box.width });
  drawLegend(doc, chart, box.x, box.y + TITLE_HEIGHT, box.width);

  const plot = {
    left: box.x + gutter,
    right: box.x + box.width,
    top: box.y + TITLE_HEIGHT + LEGEND_HEIGHT,
    bottom: box.y + box.height - X_LABEL_HEIGHT,
  };
  // Number() only places things on the page; every value shown was formatted from the exact bigint.
  const yOf = (value: bigint) =>
    plot.bottom - (Number(value - scale.min) / Number(scale.max - scale.min)) * (plot.bottom - plot.top);
  const slot = (plot.right - plot.left) / Math.max(chart.categories.length, 1);
  const xOf = (index: number) => plot.left + slot * (index + 0.5);

  ticks.forEach((tick, i) => {
    const y = yOf(tick);
    doc.moveTo(plot.left, y).lineTo(plot.right, y).lineWidth(0.5).strokeColor(colors.grid).stroke();
    textLine(doc, tickLabels[i]!, plot.left - 4, y - LABEL_SIZE / 2, {
      size: LABEL_SIZE,
      color: colors.muted,
      align: "right",
    });
  });
  drawCategoryLabels(doc, chart.categories, xOf, slot, { left: box.x, right: box.x + box.width, top: plot.bottom + 4 });

  if (chart.band) drawBand(doc, chart.band, xOf, yOf);
  drawBars(
    doc,
    chart.series.filter((s) => s.kind === "bar"),
    xOf,
    yOf,
    slot,
  );
  for (const series of chart.series.filter((s) => s.kind === "line")) drawLine(doc, series, xOf, yOf);

  // Axes last, so bars and bands never cover them; the zero line is the baseline bars stand on.
  doc.lineWidth(0.75).strokeColor(colors.muted);
  doc.moveTo(plot.left, plot.top).lineTo(plot.left, plot.bottom).stroke();
  doc.moveTo(plot.left, yOf(0n)).lineTo(plot.right, yOf(0n)).stroke();
  if (values.every((v) => v === null)) {
    textLine(doc, "No data for this period", (plot.left + plot.right) / 2 - 40, (plot.top + plot.bottom) / 2, {
      color: colors.muted,
    });
  }
  doc.restore();
  doc.y = cursor;
}

function drawLegend(doc: Pdf, chart: TrendChart, x: number, y: number, width: number): void {
  const entries: Array<{ label: string; color: string; swatch: "line" | "dashed" | "block" }> = [
    ...chart.series.map((s) => ({
      label: s.label,
      color: s.color,
      swatch: s.kind === "bar" ? ("block" as const) : s.dashed ? ("dashed" as const) : ("line" as const),
    })),
    ...(chart.band ? [{ label: chart.band.label, color: chart.band.color, swatch: "block" as const }] : []),
  ];
  let left = x;
  for (const entry of entries) {
    if (entry.swatch === "block") {
      doc.rect(left, y + 1, 10, 6).fill(entry.color);
    } else {
      if (entry.swatch === "dashed") doc.dash(3, { space: 2 });
      doc
        .moveTo(left, y + 4)
        .lineTo(left + 12, y + 4)
        .lineWidth(1.5)
        .strokeColor(entry.color)
        .stroke();
      doc.undash();
    }
    doc.fontSize(LABEL_SIZE);
    textLine(doc, entry.label, left + 15, y, { size: LABEL_SIZE, color: colors.muted, width: x + width - left - 15 });
    left += 15 + doc.widthOfString(entry.label) + 14;
  }
}

function drawCategoryLabels(
  doc: Pdf,
  categories: readonly string[],
  xOf: (index: number) => number,
  slot: number,
  /** Where labels may go: centred under their point, but kept inside the chart's box. */
  area: { left: number; right: number; top: number },
): void {
  doc.fontSize(LABEL_SIZE);
  const widest = Math.max(0, ...categories.map((label) => doc.widthOfString(label)));
  // Label every nth category so labels never overlap, however many points the series has.
  const every = Math.max(1, Math.ceil((widest + 6) / slot));
  categories.forEach((label, i) => {
    if (i % every !== 0) return;
    const width = doc.widthOfString(label);
    const x = Math.min(Math.max(xOf(i) - width / 2, area.left), area.right - width);
    textLine(doc, label, x, area.top, { size: LABEL_SIZE, color: colors.muted });
  });
}

/** Runs of consecutive indexes where `present` holds: a line or band is broken where a value is missing. */
function runs(length: number, present: (index: number) => boolean): number[][] {
  const result: number[][] = [];
  let current: number[] = [];
  for (let i = 0; i <= length; i++) {
    if (i < length && present(i)) {
      current.push(i);
    } else if (current.length) {
      result.push(current);
      current = [];
    }
  }
  return result;
}

type Axis = (value: bigint) => number;

function drawBand(doc: Pdf, band: ChartBand, xOf: (index: number) => number, yOf: Axis): void {
  for (const run of runs(band.low.length, (i) => band.low[i] != null && band.high[i] != null)) {
    if (run.length < 2) continue;
    const upper = run.map((i) => [xOf(i), yOf(band.high[i]!)]);
    const lower = [...run].reverse().map((i) => [xOf(i), yOf(band.low[i]!)]);
    doc.polygon(...upper, ...lower).fill(band.color);
  }
}

function drawBars(doc: Pdf, bars: readonly ChartSeries[], xOf: (index: number) => number, yOf: Axis, slot: number) {
  if (!bars.length) return;
  const group = slot * 0.7;
  const width = group / bars.length;
  bars.forEach((series, k) => {
    series.values.forEach((value, i) => {
      if (value === null || value === 0n) return;
      const top = yOf(value > 0n ? value : 0n);
      const bottom = yOf(value > 0n ? 0n : value);
      doc.rect(xOf(i) - group / 2 + k * width, top, width, bottom - top).fill(series.color);
    });
  });
}

function drawLine(doc: Pdf, series: ChartSeries, xOf: (index: number) => number, yOf: Axis): void {
  const segments = runs(series.values.length, (i) => series.values[i] != null);
  const point = (i: number): [number, number] => [xOf(i), yOf(series.values[i]!)];
  const lines = segments.filter((run) => run.length > 1);
  if (lines.length) {
    for (const run of lines) {
      doc.moveTo(...point(run[0]!));
      for (const i of run.slice(1)) doc.lineTo(...point(i));
    }
    doc.lineWidth(1.5).strokeColor(series.color).lineJoin("round");
    if (series.dashed) doc.dash(4, { space: 3 });
    doc.stroke();
    doc.undash();
  }
  // A lone value has no neighbour to draw a line to: a dot keeps it visible. Drawn after the stroke, as a path of its own.
  for (const run of segments.filter((run) => run.length === 1)) {
    doc.circle(...point(run[0]!), 1.5).fill(series.color);
  }
}

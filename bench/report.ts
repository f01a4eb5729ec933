// Output helpers: progress lines, percentiles, number formatting and plain-text tables.

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const fmt = (value: number) => integer.format(value);
export const fmt2 = (value: number) => decimal.format(value);
export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

export function progress(label: string, done: number, total: number, perSec: number): void {
  log(`  ${label} ${fmt(done)}/${fmt(total)} (${fmt(perSec)}/s)`);
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of a sample, ms rounded to 0.01. */
export function percentiles(sample: number[]): Percentiles {
  const sorted = [...sample].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  return { p50: round(at(50)), p95: round(at(95)), p99: round(at(99)), max: round(at(100)), mean: round(mean) };
}

/** Left-aligned first column, right-aligned others. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { drawTrendChart, niceScale, type TrendChart } from "./chart";
import { startReport } from "./document";
import { inspectPdf, pdfColor, strokes } from "./inspectPdf";

describe("niceScale", () => {
  it("runs from zero to a round number above the highest value", () => {
    expect(niceScale([0n, 9_500n])).toEqual({ min: 0n, max: 10_000n, step: 2_000n });
    expect(niceScale([1n, 7n])).toEqual({ min: 0n, max: 8n, step: 2n });
    expect(niceScale([120n], 4)).toEqual({ min: 0n, max: 150n, step: 50n });
  });

  it("keeps steps at or above minStep, and gives an empty chart one step", () => {
    expect(niceScale([], 5, 100n)).toEqual({ min: 0n, max: 100n, step: 100n });
    expect(niceScale([0n, 0n], 5, 1_000_000n)).toEqual({ min: 0n, max: 1_000_000n, step: 1_000_000n });
    expect(niceScale([250n], 5, 100n)).toEqual({ min: 0n, max: 300n, step: 100n });
  });

  it("reaches below zero for negative values", () => {
    expect(niceScale([-30n, 70n])).toEqual({ min: -40n, max: 80n, step: 20n });
  });

  it("is exact beyond float precision", () => {
    const huge = 90_071_992_547_409_930_001n;
    const scale = niceScale([huge]);
    expect(scale.max).toBeGreaterThanOrEqual(huge);
    expect(scale.max % scale.step).toBe(0n);
  });

  it("always covers every value with 1, 2 or 5 x 10^n steps and few ticks", () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), { maxLength: 30 }), (values) => {
        const { min, max, step } = niceScale(values);
        for (const value of values) {
          expect(value).toBeGreaterThanOrEqual(min);
          expect(value).toBeLessThanOrEqual(max);
        }
        expect(min <= 0n && max >= 0n && max > min).toBe(true);
        expect(min % step).toBe(0n);
        expect(/^[125]0*$/.test(step.toString())).toBe(true);
        expect((max - min) / step).toBeLessThanOrEqual(7n);
      }),
    );
  });
});

/** The fill colours and sizes of rectangles in a content stream, in drawing order. */
function filledRects(content: string): Array<{ height: number; color: string }> {
  return [...content.matchAll(/[\d.-]+ [\d.-]+ [\d.-]+ ([\d.-]+) re\n\/DeviceRGB cs\n([\d. ]+) scn\nf\n/g)].map(
    ([, height = "", color = ""]) => ({ height: Number(height), color }),
  );
}

async function drawOnly(chart: TrendChart) {
  const report = startReport({
    title: "Chart",
    tenantName: "Test",
    generatedAt: "2026-11-15T00:00:00Z",
    layout: "portrait",
    options: { compress: false },
  });
  drawTrendChart(report.doc, { x: 36, y: 36, width: 500, height: 220 }, chart);
  return inspectPdf(await report.finish()).pages[0]!;
}

describe("drawTrendChart", () => {
  it("draws bars in proportion to exact values, with gridlines and tick labels", async () => {
    const values = [100n, 250n, 0n, 400n];
    const page = await drawOnly({
      title: "Billed",
      categories: ["2026-01", "2026-02", "2026-03", "2026-04"],
      series: [{ label: "Billed", color: "#3e7cb1", kind: "bar", values }],
      formatValue: (value) => value.toString(),
    });
    const bars = filledRects(page.content).filter((rect) => rect.color === pdfColor("#3e7cb1"));
    // The legend swatch, then one bar per non-zero value (a zero bar is not drawn).
    expect(bars).toHaveLength(4);
    const [, ...heights] = bars.map((bar) => bar.height);
    expect(heights[1]! / heights[0]!).toBeCloseTo(250 / 100, 5);
    expect(heights[2]! / heights[0]!).toBeCloseTo(400 / 100, 5);
    expect(page.texts).toEqual(expect.arrayContaining(["Billed", "0", "100", "400", "2026-01", "2026-04"]));
    expect(page.texts).not.toContain("500");
  });

  it("draws a line per run of values, dashed for a projection, with a dot for a lone value", async () => {
    const page = await drawOnly({
      title: "Usage",
      categories: ["d1", "d2", "d3", "d4", "d5", "d6"],
      series: [
        { label: "Measured", color: "#3e7cb1", kind: "line", values: [1n, 2n, null, 4n, null, null] },
        { label: "Projected", color: "#e07a5f", kind: "line", dashed: true, values: [null, null, null, 4n, 5n, 6n] },
      ],
      band: {
        label: "Range",
        color: "#f6ddd3",
        low: [null, null, null, 3n, 4n, 5n],
        high: [null, null, null, 5n, 6n, 7n],
      },
      formatValue: (value) => value.toString(),
    });
    const lines = strokes(page.content);
    const measured = lines.filter((stroke) => stroke.color === pdfColor("#3e7cb1"));
    // The legend's dashed swatch uses a shorter pattern; "[4 3]" is the projection's line alone.
    const projected = lines.filter((stroke) => stroke.dash === "[4 3]");
    // The measured run d1-d2 is a solid line of two points; d4 stands alone, so it is a dot, not a line.
    // The legend's swatch first (a short solid stroke), then the data.
    expect(measured).toHaveLength(2);
    expect(measured[1]!.dash).toBeNull();
    expect(measured[1]!.points).toHaveLength(2);
    expect(projected).toHaveLength(1);
    expect(projected[0]!.color).toBe(pdfColor("#e07a5f"));
    expect(projected[0]!.points).toHaveLength(3);
    // Rising values are drawn rising (y grows downward on the page).
    const ys = projected[0]!.points.map(([, y]) => y);
    expect(ys[0]!).toBeGreaterThan(ys[1]!);
    expect(ys[1]!).toBeGreaterThan(ys[2]!);
    // The lone d4 value: a circle (four Bézier curves) filled in the measured colour.
    expect(page.content).toMatch(
      new RegExp(`(?:[\\d. ]+ c\\n){4}h\\n/DeviceRGB cs\\n${pdfColor("#3e7cb1")} scn\\nf\\n`),
    );
    // The band: a filled polygon, 3 points along the top and 3 back along the bottom.
    expect(page.content).toMatch(
      new RegExp(`[\\d. ]+ m\\n(?:[\\d. ]+ l\\n){5}h\\n/DeviceRGB cs\\n${pdfColor("#f6ddd3")} scn\\nf\\n`),
    );
  });

  it("says so when there is no data at all", async () => {
    const page = await drawOnly({
      title: "Nothing",
      categories: [],
      series: [{ label: "Measured", color: "#3e7cb1", kind: "line", values: [] }],
      formatValue: (value) => value.toString(),
    });
    expect(page.texts).toContain("No data for this period");
  });
});

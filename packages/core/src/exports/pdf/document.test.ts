import { describe, expect, it } from "vitest";
import { drawable, startReport, wrapLines } from "./document";
import { inspectPdf } from "./inspectPdf";

describe("drawable", () => {
  it("keeps WinAnsi text and replaces what the standard fonts cannot draw", () => {
    expect(drawable("Zoë Müller – “Café” €5 … ™")).toBe("Zoë Müller – “Café” €5 … ™");
    expect(drawable("株式会社 Acme 😀")).toBe("???? Acme ?");
    expect(drawable("two\nlines\tand\u0000nul")).toBe("two lines and nul");
  });
});

describe("text on the page", () => {
  it("draws exactly the text asked for, and the same input gives the same bytes", async () => {
    const render = async (generatedAt: string) => {
      const report = startReport({
        title: "T",
        tenantName: "Ünïcode 株",
        generatedAt,
        layout: "portrait",
        options: { compress: false },
      });
      return report.finish();
    };
    const pdf = await render("2026-11-15T14:03:00Z");
    expect(pdf.equals(await render("2026-11-15T14:03:00Z"))).toBe(true);
    expect(pdf.equals(await render("2026-11-15T14:04:00Z"))).toBe(false);
    expect(pdf.toString("latin1")).toContain("/CreationDate");
    expect(pdf.toString("latin1")).toContain("(D:20261115140300Z)");
    expect(inspectPdf(pdf).pages[0]!.texts).toEqual(["Ünïcode ?: T", "Page 1 of 1"]);
  });

  it("wraps at spaces within the width, cutting a word longer than a line", () => {
    const { doc } = startReport({
      title: "T",
      tenantName: "t",
      generatedAt: "2026-01-01T00:00:00Z",
      layout: "portrait",
    });
    const lines = wrapLines(doc, `short words here ${"x".repeat(80)} end`, 100);
    for (const line of lines) expect(doc.widthOfString(line)).toBeLessThanOrEqual(100);
    expect(lines[0]).toBe("short words here");
    expect(lines.join("").replaceAll(" ", "")).toBe(`shortwordshere${"x".repeat(80)}end`);
    expect(lines.length).toBeGreaterThan(3);
  });
});

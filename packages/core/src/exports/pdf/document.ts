// The report page: one pdfkit document per report, its fonts, colours, cursor and text drawn one line at a time.
import PDFDocument from "pdfkit";

export type Pdf = PDFKit.PDFDocument;

export interface PdfRenderOptions {
  /** Deflate page contents (default true). Tests turn it off so text and drawing operators can be read back. */
  compress?: boolean;
}

export const MARGIN = 36;
const FOOTER_HEIGHT = 18;

export const FONT = "Helvetica";
export const BOLD = "Helvetica-Bold";

export const colors = {
  ink: "#1f2933",
  muted: "#616e7c",
  rule: "#cbd2d9",
  grid: "#e4e7eb",
  stripe: "#f5f7fa",
  ok: "#2f8132",
  attention: "#b7791f",
  atRisk: "#c53030",
} as const;

export interface Report {
  doc: Pdf;
  /** Resolves with the whole file once `finish` has been called. */
  finish(): Promise<Buffer>;
}

/**
 * Starts a report. Its creation date is the report's own generated-at instant, not the clock, so the same input always
 * gives the same bytes (pdfkit derives the file id from the info dictionary too): tests compare files exactly and a
 * re-download is byte-identical.
 */
export function startReport(input: {
  title: string;
  tenantName: string;
  generatedAt: string;
  layout: "portrait" | "landscape";
  options?: PdfRenderOptions;
}): Report {
  const doc = new PDFDocument({
    size: "A4",
    layout: input.layout,
    margin: MARGIN,
    compress: input.options?.compress ?? true,
    // Page footers say "Page n of N", which is known only at the end.
    bufferPages: true,
    info: {
      Title: input.title,
      Author: input.tenantName,
      Creator: "Reckon",
      CreationDate: new Date(input.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.font(FONT).fillColor(colors.ink);
  return {
    doc,
    finish() {
      drawFooters(doc, `${input.tenantName}: ${input.title}`);
      doc.end();
      return done;
    },
  };
}

function drawFooters(doc: Pdf, label: string): void {
  const { start, count } = doc.bufferedPageRange();
  for (let page = start; page < start + count; page++) {
    doc.switchToPage(page);
    const y = doc.page.height - MARGIN - FOOTER_HEIGHT + 8;
    textLine(doc, label, MARGIN, y, { size: 7, color: colors.muted, width: contentWidth(doc) * 0.7 });
    textLine(doc, `Page ${page - start + 1} of ${count}`, pageRight(doc), y, {
      size: 7,
      color: colors.muted,
      align: "right",
    });
  }
}

export const contentWidth = (doc: Pdf) => doc.page.width - 2 * MARGIN;
export const pageRight = (doc: Pdf) => doc.page.width - MARGIN;
/** The lowest y content may reach on a page (the footer sits below it). */
export const pageBottom = (doc: Pdf) => doc.page.height - MARGIN - FOOTER_HEIGHT;

/** Makes room for `height` points below the cursor, starting a new page when the current one is full. */
export function ensureSpace(doc: Pdf, height: number): void {
  // addPage puts the cursor back at the top margin.
  if (doc.y + height > pageBottom(doc)) doc.addPage();
}

// Windows-1252 code points above 0x7F that are not Latin-1 (pdfkit's standard fonts map them to WinAnsiEncoding).
const winAnsiExtras = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");

/**
 * Text the standard fonts can draw: they only have WinAnsi glyphs, and pdfkit writes any other character as bytes of
 * its code point (garbage on the page), so those become "?" and control characters a space.
 */
export function drawable(text: string): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += " ";
    else if (code < 0x100 || winAnsiExtras.has(char)) out += char;
    else out += "?";
  }
  return out;
}

export interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: string;
  /** Cut with an ellipsis to fit this width. */
  width?: number;
  /** "right": `x` is the right edge. */
  align?: "left" | "right";
}

/**
 * Draws one line of text with its top at y and leaves the cursor alone. Never wraps and never adds a page (pdfkit's
 * own wrapping would), so the caller's layout decides where everything goes.
 */
export function textLine(doc: Pdf, text: string, x: number, y: number, style: TextStyle = {}): void {
  doc
    .font(style.bold ? BOLD : FONT)
    .fontSize(style.size ?? 9)
    .fillColor(style.color ?? colors.ink);
  const fitted = style.width === undefined ? drawable(text) : fitWidth(doc, drawable(text), style.width);
  const left = style.align === "right" ? x - doc.widthOfString(fitted) : x;
  // pdfkit moves its cursor to wherever text is drawn; the layout's cursor stays where the caller left it.
  const cursor = { x: doc.x, y: doc.y };
  doc.text(fitted, left, y, { lineBreak: false });
  doc.x = cursor.x;
  doc.y = cursor.y;
}

/** The longest prefix of `text` that fits `width` with an ellipsis, or `text` itself when it fits. */
function fitWidth(doc: Pdf, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  const chars = [...text];
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (doc.widthOfString(`${chars.slice(0, mid).join("").trimEnd()}…`) <= width) low = mid;
    else high = mid - 1;
  }
  return low === 0 ? "" : `${chars.slice(0, low).join("").trimEnd()}…`;
}

/** Greedy word wrap to `width` in the given style; a word longer than a line is cut across lines. */
export function wrapLines(doc: Pdf, text: string, width: number, style: TextStyle = {}): string[] {
  doc.font(style.bold ? BOLD : FONT).fontSize(style.size ?? 9);
  const lines: string[] = [];
  let line = "";
  for (const word of drawable(text).split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (doc.widthOfString(candidate) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (doc.widthOfString(line) > width && line.length > 1) {
      let cut = line.length - 1;
      while (cut > 1 && doc.widthOfString(line.slice(0, cut)) > width) cut--;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Writes a wrapped paragraph at the cursor, continuing on a new page when needed, and moves the cursor below it. */
export function paragraph(doc: Pdf, text: string, style: TextStyle & { indent?: number } = {}): void {
  const size = style.size ?? 9;
  const lineHeight = size * 1.35;
  const x = MARGIN + (style.indent ?? 0);
  for (const line of wrapLines(doc, text, style.width ?? pageRight(doc) - x, style)) {
    ensureSpace(doc, lineHeight);
    textLine(doc, line, x, doc.y, { ...style, width: undefined, align: "left" });
    doc.y += lineHeight;
  }
}

/** A section heading at the cursor, kept on the same page as the `keepWith` points that follow it. */
export function heading(doc: Pdf, text: string, keepWith = 40): void {
  ensureSpace(doc, 22 + keepWith);
  doc.y += 6;
  textLine(doc, text, MARGIN, doc.y, { size: 12, bold: true, width: contentWidth(doc) });
  doc.y += 18;
}

// A table drawn at the cursor, one line per row, paginated with its header row repeated on every page.
import { colors, contentWidth, ensureSpace, MARGIN, type Pdf, pageBottom, textLine } from "./document";

export interface TableColumn<T> {
  header: string;
  /** Share of the table's width, relative to the other columns' weights. */
  weight: number;
  /** Numbers align right so their digits line up. */
  align?: "left" | "right";
  cell: (row: T) => string;
  /** A colour for this row's cell (a status), ink when absent. */
  color?: (row: T) => string | undefined;
}

const FONT_SIZE = 8;
const ROW_HEIGHT = 15;
const PADDING = 4;
// A table whose header would be alone at a page's foot starts on the next page with at least this many rows.
const MIN_ROWS_WITH_HEADER = 3;

/**
 * Draws `rows` from the cursor down. A cell longer than its column is cut with an ellipsis so every row is one line:
 * rows per page are then fixed, and a row is never split across pages.
 */
export function drawTable<T>(doc: Pdf, columns: ReadonlyArray<TableColumn<T>>, rows: readonly T[]): void {
  const totalWeight = columns.reduce((sum, column) => sum + column.weight, 0);
  const widths = columns.map((column) => (contentWidth(doc) * column.weight) / totalWeight);
  const lefts = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((sum, width) => sum + width, 0));

  const drawHeader = () => {
    ensureSpace(doc, ROW_HEIGHT * (1 + Math.min(rows.length, MIN_ROWS_WITH_HEADER)));
    columns.forEach((column, i) => {
      drawCell(column.header, column.align, lefts[i]!, widths[i]!, { bold: true });
    });
    doc.y += ROW_HEIGHT;
    doc
      .moveTo(MARGIN, doc.y - 2)
      .lineTo(MARGIN + contentWidth(doc), doc.y - 2)
      .lineWidth(0.75)
      .strokeColor(colors.rule)
      .stroke();
  };

  const drawCell = (
    text: string,
    align: "left" | "right" | undefined,
    left: number,
    width: number,
    style: { bold?: boolean; color?: string | undefined },
  ) => {
    const inner = width - 2 * PADDING;
    const x = align === "right" ? left + width - PADDING : left + PADDING;
    const options = { size: FONT_SIZE, width: inner, align: align ?? "left", bold: style.bold ?? false };
    textLine(
      doc,
      text,
      x,
      doc.y + (ROW_HEIGHT - FONT_SIZE) / 2 - 1,
      style.color ? { ...options, color: style.color } : options,
    );
  };

  drawHeader();
  rows.forEach((row, index) => {
    if (doc.y + ROW_HEIGHT > pageBottom(doc)) {
      doc.addPage();
      drawHeader();
    }
    // Stripes on alternate rows keep a wide row readable across the page.
    if (index % 2 === 1) doc.rect(MARGIN, doc.y, contentWidth(doc), ROW_HEIGHT).fill(colors.stripe);
    columns.forEach((column, i) => {
      drawCell(column.cell(row), column.align, lefts[i]!, widths[i]!, { color: column.color?.(row) });
    });
    doc.y += ROW_HEIGHT;
  });
  doc.y += 6;
}

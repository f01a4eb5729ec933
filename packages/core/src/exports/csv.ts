// CSV exports (RFC 4180): streamed line by line, with formula neutralisation so a cell never runs in a spreadsheet.
import { currencyExponent, minorToDecimal } from "@reckon/reconcile";

/** What a column can put in a cell; null and undefined are an empty cell. */
export type CsvValue = string | number | bigint | null | undefined;

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
}

export interface CsvStreamOptions {
  /**
   * Start with a UTF-8 byte-order mark. Off by default: RFC 4180 consumers (databases, CSV libraries, Google Sheets)
   * read a BOM as part of the first header's name. Turn it on only for files meant for Excel on Windows, which
   * otherwise guesses a legacy code page and garbles non-ASCII names.
   */
  bom?: boolean;
}

const CRLF = "\r\n";
// A spreadsheet treats a cell starting with these as a formula (OWASP "CSV Injection"): = + - @, tab and CR.
const formulaStart = /^[=+\-@\t\r]/;
// ...except a plain number, so "-12.50" stays a number a spreadsheet can add up.
const plainNumber = /^-?\d+(\.\d+)?$/;
const needsQuotes = /[",\r\n]/;

/**
 * Makes text safe to open in a spreadsheet: a leading ' stops Excel, LibreOffice and Google Sheets from evaluating
 * "=HYPERLINK(...)" or "@SUM(...)" a customer typed into an account name. Plain numbers are left as they are.
 */
export function neutraliseFormula(text: string): string {
  return formulaStart.test(text) && !plainNumber.test(text) ? `'${text}` : text;
}

/** One field as RFC 4180 writes it: quoted (quotes doubled) only when it holds a comma, quote, CR or LF. */
export function csvField(value: CsvValue): string {
  const text = cellText(value);
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function cellText(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  // bigint via toString: exact at any size, never through a float.
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    // NaN or Infinity in an export is a bug upstream; an empty or "NaN" cell would hide it.
    if (!Number.isFinite(value)) throw new RangeError(`CSV cell is not a finite number: ${value}`);
    return String(value);
  }
  return neutraliseFormula(value);
}

/** One record, CRLF-terminated. */
export function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvField).join(",") + CRLF;
}

/**
 * The header line, then one line per row, each CRLF-terminated. Rows are pulled one at a time, so an export of a
 * million rows never holds more than one in memory (and a slow consumer slows the source down).
 */
export async function* csvLines<T>(
  columns: ReadonlyArray<CsvColumn<T>>,
  rows: AsyncIterable<T> | Iterable<T>,
): AsyncIterable<string> {
  yield csvLine(columns.map((column) => column.header));
  for await (const row of rows) yield csvLine(columns.map((column) => column.value(row)));
}

// Lines are gathered into chunks of about this many characters: one enqueue per line is slow for large exports.
const CHUNK_CHARS = 16 * 1024;

/**
 * The CSV as a UTF-8 web stream, for `new Response(stream)`. Pull-based: a chunk is produced only when the reader asks,
 * and cancelling the response (client gone) closes the row source.
 */
export function csvStream<T>(
  columns: ReadonlyArray<CsvColumn<T>>,
  rows: AsyncIterable<T> | Iterable<T>,
  options: CsvStreamOptions = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const lines = csvLines(columns, rows)[Symbol.asyncIterator]();
  let first = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk = first && options.bom ? "\uFEFF" : "";
      first = false;
      while (chunk.length < CHUNK_CHARS) {
        const next = await lines.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += next.value;
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await lines.return?.();
    },
  });
}

/**
 * Minor units as a plain decimal in major units with the currency's full precision: 123450n USD -> "1234.50",
 * -5n USD -> "-0.05", 1234n JPY -> "1234", 1234n BHD -> "1.234". No grouping, so a spreadsheet reads it as a number.
 */
export function minorToMajor(minor: bigint | string, currency: string): string {
  const exact = minorToDecimal(BigInt(minor), currency);
  const exponent = currencyExponent(currency);
  if (exponent === 0) return exact;
  const [whole, fraction = ""] = exact.split(".");
  return `${whole}.${fraction.padEnd(exponent, "0")}`;
}

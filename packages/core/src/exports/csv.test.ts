import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CsvColumn, csvField, csvLines, csvStream, minorToMajor, neutraliseFormula } from "./csv";

/** A strict RFC 4180 reader: records end in CRLF, quoted fields may hold anything, quotes inside are doubled. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated quoted field");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r") {
        if (text[i] === '"' || text[i] === "\n") throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ",") {
      i++;
    } else if (text.startsWith("\r\n", i)) {
      records.push(record);
      record = [];
      i += 2;
    } else {
      throw new Error(`expected , or CRLF at ${i}`);
    }
  }
  if (record.length) throw new Error("last record not CRLF-terminated");
  return records;
}

async function collect(lines: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const line of lines) text += line;
  return text;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

type Row = string[];
const columnsFor = (width: number): CsvColumn<Row>[] =>
  Array.from({ length: width }, (_, i) => ({ header: `col ${i}`, value: (row: Row) => row[i] }));

// Text heavy in the characters that need quoting or neutralising, plus any code point at all.
const tricky = fc.string({
  unit: fc.oneof(
    fc.constantFrom('"', ",", "\r", "\n", "\t", "=", "+", "-", "@", "'", " ", "é", "😀"),
    fc.string({ unit: "binary", maxLength: 1 }),
  ),
});

describe("csvLines", () => {
  it("round-trips any text through an RFC 4180 reader (formula cells get exactly one leading ')", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 4 })
          .chain((width) =>
            fc.tuple(fc.constant(width), fc.array(fc.array(tricky, { minLength: width, maxLength: width }))),
          ),
        async ([width, rows]) => {
          const parsed = parseCsv(await collect(csvLines(columnsFor(width), rows)));
          expect(parsed[0]).toEqual(columnsFor(width).map((c) => c.header));
          expect(parsed.slice(1)).toEqual(rows.map((row) => row.map(neutraliseFormula)));
          for (const cell of rows.flat()) {
            const risky = /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell);
            expect(neutraliseFormula(cell)).toBe(risky ? `'${cell}` : cell);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("quotes only fields that need it, and ends every line in CRLF", async () => {
    const rows = [["plain", 'say "hi"', "a,b", "two\nlines", "cr\r"]];
    const text = await collect(csvLines(columnsFor(5), rows));
    expect(text).toBe('col 0,col 1,col 2,col 3,col 4\r\nplain,"say ""hi""","a,b","two\nlines","cr\r"\r\n');
  });

  it("yields one line per row as the rows arrive, without reading ahead", async () => {
    let produced = 0;
    async function* rows() {
      for (let i = 0; i < 10_000; i++) {
        produced++;
        yield { id: i, amount: BigInt(i) * 100n };
      }
    }
    const lines = csvLines<{ id: number; amount: bigint }>(
      [
        { header: "id", value: (r) => r.id },
        { header: "amount", value: (r) => r.amount },
      ],
      rows(),
    )[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe("id,amount\r\n");
    expect(produced).toBe(0);
    for (let i = 0; i < 5; i++) expect((await lines.next()).value).toBe(`${i},${i * 100}\r\n`);
    expect(produced).toBe(5);
    let count = 5;
    while (!(await lines.next()).done) count++;
    expect(count).toBe(10_000);
    expect(produced).toBe(10_000);
  });
});

describe("formula neutralisation", () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'],
    ["+1+2", "'+1+2"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\tcmd", "'\tcmd"],
    ["\rcmd", "'\rcmd"],
    ["-", "'-"],
    ["-1e3", "'-1e3"],
    ["+12", "'+12"],
    ["Acme =1", "Acme =1"],
  ])("neutralises %j", (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });

  it.each(["-12.50", "-3", "12.50", "0", "-0.05"])("leaves the plain number %j alone", (input) => {
    expect(neutraliseFormula(input)).toBe(input);
  });

  it("neutralises inside quotes when the field also needs quoting", () => {
    expect(csvField('=1+2,"x"')).toBe(`"'=1+2,""x"""`);
  });
});

describe("numbers", () => {
  it("renders bigints exactly, far beyond float precision", () => {
    expect(csvField(123_456_789_012_345_678_901_234_567_890n)).toBe("123456789012345678901234567890");
    expect(csvField(-9_007_199_254_740_993n)).toBe("-9007199254740993");
  });

  it("renders numbers, empties and refuses NaN", () => {
    expect(csvField(-3)).toBe("-3");
    expect(csvField(0.1)).toBe("0.1");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(() => csvField(Number.NaN)).toThrow(RangeError);
    expect(() => csvField(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it("writes money minor units as major units at the currency's precision", () => {
    expect(minorToMajor(123_450n, "USD")).toBe("1234.50");
    expect(minorToMajor("-5", "usd")).toBe("-0.05");
    expect(minorToMajor(0n, "EUR")).toBe("0.00");
    expect(minorToMajor(1234n, "JPY")).toBe("1234");
    expect(minorToMajor(1234n, "BHD")).toBe("1.234");
    expect(minorToMajor("900719925474099312345", "USD")).toBe("9007199254740993123.45");
    // Negative amounts stay numeric in the CSV, not neutralised.
    expect(csvField(minorToMajor(-1250n, "USD"))).toBe("-12.50");
  });
});

describe("csvStream", () => {
  it("encodes UTF-8 with no BOM unless asked, and reads back as the same CSV", async () => {
    const rows = [["Zoë", '😀, "quoted"']];
    const plain = await readAll(csvStream(columnsFor(2), rows));
    expect([...plain.slice(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(parseCsv(new TextDecoder().decode(plain))).toEqual([["col 0", "col 1"], ...rows]);

    const withBom = await readAll(csvStream(columnsFor(2), rows, { bom: true }));
    expect([...withBom.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(withBom.slice(3)).toEqual(plain);
  });

  it("streams 10,000 rows in chunks, pulling rows only as chunks are read", async () => {
    let produced = 0;
    async function* rows() {
      for (let i = 0; i < 10_000; i++) {
        produced++;
        yield [`account ${i}`, String(i)];
      }
    }
    const reader = csvStream(columnsFor(2), rows()).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    expect(produced).toBeGreaterThan(0);
    expect(produced).toBeLessThan(10_000);
    const decoder = new TextDecoder();
    let text = decoder.decode(first.value, { stream: true });
    let chunks = 1;
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      text += decoder.decode(next.value, { stream: true });
      chunks++;
    }
    expect(chunks).toBeGreaterThan(5);
    const records = parseCsv(text);
    expect(records).toHaveLength(10_001);
    expect(records.at(-1)).toEqual(["account 9999", "9999"]);
  });

  it("closes the row source when the reader cancels", async () => {
    let closed = false;
    async function* rows() {
      try {
        for (let i = 0; ; i++) yield [`row ${i}`.repeat(100)];
      } finally {
        closed = true;
      }
    }
    const reader = csvStream(columnsFor(1), rows()).getReader();
    await reader.read();
    await reader.cancel();
    expect(closed).toBe(true);
  });
});

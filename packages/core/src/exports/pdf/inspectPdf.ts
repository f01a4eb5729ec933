// For tests: reads an uncompressed pdfkit file back into its pages, each page's text and its drawing operators.

export interface InspectedPage {
  /** The page's content stream: text and drawing operators as written. */
  content: string;
  /** Each text drawing on the page, decoded, in drawing order. */
  texts: string[];
}

export interface InspectedPdf {
  raw: string;
  pages: InspectedPage[];
}

// WinAnsi bytes 0x80-0x9F (Node's TextDecoder reads "windows-1252" as Latin-1 and gets these wrong); the rest is Latin-1.
const winAnsiHigh = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";
const winAnsiChar = (byte: number) =>
  byte >= 0x80 && byte < 0xa0 ? winAnsiHigh[byte - 0x80]! : String.fromCharCode(byte);

/**
 * pdfkit writes standard-font text as `[<hex> kerning <hex> ...] TJ`, the hex being WinAnsi byte codes; the kerning
 * numbers between parts are dropped and the parts joined back into the string that was drawn.
 */
export function decodeTexts(content: string): string[] {
  const texts: string[] = [];
  for (const [, array = ""] of content.matchAll(/\[([^\]]*)\] TJ/g)) {
    const hex = [...array.matchAll(/<([0-9a-fA-F]*)>/g)].map(([, part]) => part).join("");
    texts.push((hex.match(/../g) ?? []).map((pair) => winAnsiChar(Number.parseInt(pair, 16))).join(""));
  }
  return texts;
}

/** Pages in reading order (the page tree's Kids), for a file written with `compress: false`. */
export function inspectPdf(pdf: Buffer): InspectedPdf {
  const raw = pdf.toString("latin1");
  const objects = new Map<string, string>();
  for (const [, id = "", body = ""] of raw.matchAll(/(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) objects.set(id, body);
  const tree = [...objects.values()].find((body) => /\/Type \/Pages\n/.test(body));
  const kids = [...(tree?.match(/\/Kids \[([^\]]*)\]/)?.[1] ?? "").matchAll(/(\d+) 0 R/g)].map(([, id]) => id ?? "");
  const pages = kids.map((id) => {
    const contentsId = objects.get(id)?.match(/\/Contents (\d+) 0 R/)?.[1] ?? "";
    const stream = objects.get(contentsId) ?? "";
    const content = stream.slice(stream.indexOf("stream\n") + 7, stream.lastIndexOf("\nendstream"));
    return { content, texts: decodeTexts(content) };
  });
  return { raw, pages };
}

export interface InspectedStroke {
  /** The path's points, in the page's top-left coordinates. */
  points: Array<[number, number]>;
  /** Stroke colour as pdfkit writes it ("r g b", each 0..1). */
  color: string;
  /** The dash pattern ("[4 3]"), or null for a solid line. */
  dash: string | null;
}

/** Straight-line paths stroked with their own width and colour (chart lines and gridlines), in drawing order. */
export function strokes(content: string): InspectedStroke[] {
  const pattern =
    /((?:[\d.-]+ [\d.-]+ [ml]\n)+)[\d.]+ w\n\/DeviceRGB CS\n([\d. ]+) SCN\n(?:\d j\n)?(?:(\[[\d ]*\]) 0 d\n)?S\n/g;
  return [...content.matchAll(pattern)].map(([, path = "", color = "", dash]) => ({
    points: [...path.matchAll(/([\d.-]+) ([\d.-]+) [ml]\n/g)].map(([, x, y]) => [Number(x), Number(y)]),
    color,
    dash: dash ?? null,
  }));
}

/** pdfkit's "r g b" for a "#rrggbb" colour, to find what was drawn in it. */
export function pdfColor(hex: string): string {
  return [1, 3, 5].map((i) => String(Number.parseInt(hex.slice(i, i + 2), 16) / 255)).join(" ");
}

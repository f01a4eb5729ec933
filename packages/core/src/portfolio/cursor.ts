// Opaque keyset cursors for sorted pages: the last row's sort value and id, bound to the sort they came from.
import { z } from "zod";

const cursorSchema = z.object({ s: z.string(), v: z.union([z.string(), z.number()]), id: z.string().uuid() });

export class InvalidCursor extends Error {
  override readonly name = "InvalidCursor";
}

export function encodeCursor(sort: string, value: string | number, id: string): string {
  return Buffer.from(JSON.stringify({ s: sort, v: value, id })).toString("base64url");
}

/** The position a cursor names; throws InvalidCursor when it is malformed or was made for another sort. */
export function decodeCursor(cursor: string, sort: string): { value: string | number; id: string } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursor("cursor is not one this API issued");
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success) throw new InvalidCursor("cursor is not one this API issued");
  if (parsed.data.s !== sort) throw new InvalidCursor("cursor belongs to another sort order; start again without it");
  return { value: parsed.data.v, id: parsed.data.id };
}

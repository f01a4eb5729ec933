// What the case families share: an operation's valid baseline request and the shape of one malformed variation of it.
import type { OpenApiDocument, Operation, Schema } from "../../src/docs/openapi";
import type { Random } from "./random";

export type Family = "path" | "query" | "body" | "encoding";
export type Expectation = "4xx" | "not-5xx";

/** A valid request for one operation; each case changes one part of it. */
export interface OperationPlan {
  document: OpenApiDocument;
  op: Operation;
  random: Random;
  /** Real values by parameter name, from the caller (an issued cursor, an existing id). */
  examples: Record<string, string>;
  pathValues: Record<string, string>;
  /** Required query parameters with valid values; optional ones are left out. */
  query: Array<[string, string]>;
  headers: Record<string, string>;
  /** The JSON request body, when the operation takes one. */
  body?: {
    mediaType: string;
    schema: Schema;
    required: boolean;
    /** A valid value (required fields only). */
    value: unknown;
    /** Every media type the operation declares, lower case, without parameters. */
    accepted: string[];
  };
}

/** One variation: the parts it leaves out keep the plan's valid values. */
export interface CaseDraft {
  family: Family;
  why: string;
  expect: Expectation;
  pathValues?: Record<string, string>;
  /** Replaces the whole query (encoded by the builder). */
  query?: Array<[string, string]>;
  /** A query string sent exactly as written, for deliberately broken encodings. */
  rawQuery?: string;
  /** The body text or bytes; null sends none. Left out: the plan's valid body if one is required. */
  body?: string | Uint8Array | null;
  /** null sends no content-type; left out: the JSON media type whenever a body is sent. */
  contentType?: string | null;
}

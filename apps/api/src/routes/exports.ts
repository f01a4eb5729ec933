// /v1/exports: CSV of the portfolio and of an account's invoices, payments or discrepancies; PDF portfolio summary
// and account forecast report. At most 100 records per session (the brief's rule), every export audited.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  type ExportResult,
  exportAccountCsv,
  exportAccountForecastPdf,
  exportAccountInput,
  exportAccountReportInput,
  exportAllowance,
  exportPortfolioCsv,
  exportPortfolioInput,
  exportPortfolioPdf,
} from "@reckon/core";
import type { Context } from "hono";
import type { AppEnv } from "../app";
import { actingContext, guardedRoute } from "../auth/guard";
import { ApiError } from "../errors";

const csv = { "text/csv": { schema: z.string() } };
const pdf = { "application/pdf": { schema: z.string().openapi({ format: "binary" }) } };
const refusals = {
  400: { description: "Invalid filters or id" },
  409: { description: "Over the session's export allowance (100 records); the answer says how many are left" },
};
const filtersBody = { content: { "application/json": { schema: exportPortfolioInput } }, required: false };

const portfolioCsv = guardedRoute("exports.create", {
  method: "post",
  path: "/v1/exports/portfolio.csv",
  summary: "The portfolio grid as CSV (RFC 4180), with the grid's filters",
  request: { body: filtersBody },
  responses: { 200: { description: "CSV", content: csv }, ...refusals },
});
const portfolioPdf = guardedRoute("exports.create", {
  method: "post",
  path: "/v1/exports/portfolio.pdf",
  summary: "Portfolio summary as PDF: totals, status counts, accounts and the billed-vs-collected chart",
  request: { body: filtersBody },
  responses: { 200: { description: "PDF", content: pdf }, ...refusals },
});
const accountCsv = guardedRoute("exports.create", {
  method: "post",
  path: "/v1/exports/accounts/{accountId}/{dataset}",
  summary: "One account's invoices, payments or open discrepancies as CSV",
  request: { params: exportAccountInput },
  responses: { 200: { description: "CSV", content: csv }, 404: { description: "No such account" }, ...refusals },
});
const accountPdf = guardedRoute("exports.create", {
  method: "post",
  path: "/v1/exports/accounts/{accountId}/forecast.pdf",
  summary: "One account's forecast report as PDF, with its usage trend and projection chart",
  request: { params: exportAccountReportInput },
  responses: { 200: { description: "PDF", content: pdf }, 404: { description: "No such account" }, ...refusals },
});
const allowance = guardedRoute("exports.create", {
  method: "get",
  path: "/v1/exports/allowance",
  summary: "How many records this session may still export",
  responses: {
    200: {
      description: "Allowance",
      content: {
        "application/json": { schema: z.object({ limit: z.number(), used: z.number(), remaining: z.number() }) },
      },
    },
  },
});

/** The body of a portfolio export: JSON filters, or none at all. */
async function filtersOf(c: Context<AppEnv>): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!type) return {};
  if (!type.startsWith("application/json"))
    throw new ApiError("unsupported_media_type", "Send the filters as application/json, or no body.");
  const text = await c.req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "The body is not valid JSON.");
  }
}

function deliver(c: Context<AppEnv>, result: ExportResult): Response {
  if (!result.ok && result.reason === "not_found") {
    throw new ApiError("not_found", "No account with that id among yours. Pick one from GET /v1/portfolio.");
  }
  if (!result.ok) {
    throw new ApiError(
      "conflict",
      `This export holds ${result.requested > 100 ? "more than 100" : result.requested} records; a session may export 100 and ${result.remaining} are left. Narrow the filters (owner, status, search, dates) or export a single account.`,
    );
  }
  return c.body(result.body as ReadableStream, 200, {
    "content-type": result.contentType,
    "content-disposition": `attachment; filename="${result.filename}"`,
    "cache-control": "no-store",
    "x-export-records": String(result.records),
    "x-export-remaining": String(result.remaining),
  });
}

export function registerExports(app: OpenAPIHono<AppEnv>) {
  // The portfolio routes read their optional body themselves: "no body" is a valid request here.
  app.openapi(portfolioCsv, async (c) => {
    const input = exportPortfolioInput.parse(await filtersOf(c));
    return deliver(c, await exportPortfolioCsv({ ctx: actingContext(c), input })) as never;
  });
  app.openapi(portfolioPdf, async (c) => {
    const input = exportPortfolioInput.parse(await filtersOf(c));
    return deliver(c, await exportPortfolioPdf({ ctx: actingContext(c), input })) as never;
  });
  app.openapi(
    accountPdf,
    async (c) =>
      deliver(c, await exportAccountForecastPdf({ ctx: actingContext(c), input: c.req.valid("param") })) as never,
  );
  app.openapi(
    accountCsv,
    async (c) => deliver(c, await exportAccountCsv({ ctx: actingContext(c), input: c.req.valid("param") })) as never,
  );
  app.openapi(allowance, async (c) => c.json(await exportAllowance(actingContext(c)), 200));
}

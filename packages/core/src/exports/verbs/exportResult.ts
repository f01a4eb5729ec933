// What an export verb answers: the file, or why there is none. Shared by the portfolio and account exports.
import { authorize } from "../../access/actor";
import { claimExportAllowance } from "../../access/exportAllowance";
import { type AuditEntry, recordAudit } from "../../audit/recordAudit";
import type { TenantContext } from "../../context";

export type ExportFormat = "csv" | "pdf";

export interface ExportFile {
  ok: true;
  filename: string;
  contentType: string;
  body: ReadableStream<Uint8Array> | Uint8Array;
  records: number;
  remaining: number;
}

export type ExportRefusal =
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "over_limit"; requested: number; used: number; remaining: number };

export type ExportResult = ExportFile | ExportRefusal;

export const contentTypes: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  pdf: "application/pdf",
};

/**
 * Claims `records` from the caller's allowance and audits the outcome, then renders. Over the limit: nothing is
 * rendered, the refusal is audited too, and the caller hears how many records they have left.
 */
export async function deliverExport(
  ctx: TenantContext,
  what: { kind: string; format: ExportFormat; filename: string; records: number; target?: AuditEntry["target"] },
  details: Record<string, unknown>,
  render: () => Promise<ReadableStream<Uint8Array> | Uint8Array> | ReadableStream<Uint8Array> | Uint8Array,
): Promise<ExportResult> {
  authorize(ctx.actor, "exports.create");
  const claim = await claimExportAllowance(ctx, what.records);
  const audit = { kind: what.kind, format: what.format, records: what.records, ...details };
  if (!claim.ok) {
    await recordAudit(ctx, {
      action: "export.refused",
      ...(what.target ? { target: what.target } : {}),
      details: audit,
    });
    return { ok: false, reason: "over_limit", requested: what.records, used: claim.used, remaining: claim.remaining };
  }
  await recordAudit(ctx, { action: "export.created", ...(what.target ? { target: what.target } : {}), details: audit });
  return {
    ok: true,
    filename: what.filename,
    contentType: contentTypes[what.format],
    body: await render(),
    records: what.records,
    remaining: claim.remaining,
  };
}

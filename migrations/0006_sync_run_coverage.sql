ALTER TABLE "sync_runs" ADD COLUMN "touched" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "missed" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "resolved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "resolved_by" uuid;--> statement-breakpoint
CREATE INDEX "sync_runs_unresolved_partial_idx" ON "sync_runs" USING btree ("tenant_id") WHERE status = 'partial' and resolved_at is null;
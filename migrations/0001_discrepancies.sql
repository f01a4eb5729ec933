-- usage_daily gains the upload day in its key; rows stored before it have none, so they are dropped and the
-- Amplitude cursor reset: the next sync reads the Export API's last 365 days again and rebuilds them whole.
DELETE FROM "usage_daily";--> statement-breakpoint
DELETE FROM "sync_cursors" WHERE "source" = 'amplitude';--> statement-breakpoint
CREATE TABLE "discrepancies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"account_id" uuid,
	"kind" text NOT NULL,
	"severity" text NOT NULL,
	"period" text,
	"amount_minor" bigint,
	"currency" char(3),
	"source_ids" jsonb NOT NULL,
	"explanation" text NOT NULL,
	"fingerprint" text NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rate_cards" (
	"tenant_id" uuid NOT NULL,
	"quickbooks_customer_id" text NOT NULL,
	"effective_from" date NOT NULL,
	"plan" text NOT NULL,
	"currency" char(3) NOT NULL,
	"base_fee_minor" bigint NOT NULL,
	"metrics" jsonb NOT NULL,
	CONSTRAINT "rate_cards_pkey" PRIMARY KEY("tenant_id","quickbooks_customer_id","effective_from")
);
--> statement-breakpoint
ALTER TABLE "account_summaries" ADD COLUMN "forecast_excluded" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_daily" ADD COLUMN "uploaded_on" date NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_daily" ADD COLUMN "duplicate_quantity" numeric(24, 6) DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_daily" ADD COLUMN "duplicate_insert_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "discrepancies" ADD CONSTRAINT "discrepancies_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discrepancies" ADD CONSTRAINT "discrepancies_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_cards" ADD CONSTRAINT "rate_cards_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "discrepancies_open_key" ON "discrepancies" USING btree ("tenant_id","fingerprint") WHERE "discrepancies"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "discrepancies_account_idx" ON "discrepancies" USING btree ("tenant_id","account_id","first_seen_at");--> statement-breakpoint
ALTER TABLE "usage_daily" DROP CONSTRAINT "usage_daily_pkey";
--> statement-breakpoint
ALTER TABLE "usage_daily" ADD CONSTRAINT "usage_daily_pkey" PRIMARY KEY("tenant_id","group_id","metric","day","uploaded_on");
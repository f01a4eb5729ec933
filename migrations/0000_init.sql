CREATE TABLE "accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"owner_id" uuid,
	"quickbooks_customer_id" text,
	"stripe_customer_id" text,
	"amplitude_group_id" text,
	"salesforce_account_id" text,
	"hubspot_company_id" text,
	"link_methods" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_customers" (
	"tenant_id" uuid NOT NULL,
	"source" text NOT NULL,
	"source_id" text NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"currency" char(3),
	"deleted" boolean DEFAULT false NOT NULL,
	"account_id" uuid,
	"source_updated_at" timestamp with time zone NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "source_customers_pkey" PRIMARY KEY("tenant_id","source","source_id")
);
--> statement-breakpoint
CREATE TABLE "invoice_lines" (
	"tenant_id" uuid NOT NULL,
	"invoice_source_id" text NOT NULL,
	"line_id" text NOT NULL,
	"item_id" text,
	"item_name" text,
	"description" text,
	"quantity" numeric(24, 6),
	"unit_price" numeric(24, 10),
	"amount_minor" bigint NOT NULL,
	"service_date" date,
	CONSTRAINT "invoice_lines_pkey" PRIMARY KEY("tenant_id","invoice_source_id","line_id")
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"tenant_id" uuid NOT NULL,
	"source_id" text NOT NULL,
	"number" text,
	"customer_source_id" text NOT NULL,
	"currency" char(3) NOT NULL,
	"total_minor" bigint NOT NULL,
	"balance_minor" bigint NOT NULL,
	"issued_on" date NOT NULL,
	"due_on" date,
	"deleted" boolean DEFAULT false NOT NULL,
	"source_updated_at" timestamp with time zone NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoices_pkey" PRIMARY KEY("tenant_id","source_id")
);
--> statement-breakpoint
CREATE TABLE "payment_allocations" (
	"tenant_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"payment_source" text NOT NULL,
	"payment_source_id" text NOT NULL,
	"invoice_source_id" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"method" text NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_allocations_pkey" PRIMARY KEY("tenant_id","payment_source","payment_source_id","invoice_source_id")
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"tenant_id" uuid NOT NULL,
	"source" text NOT NULL,
	"source_id" text NOT NULL,
	"payment_intent_id" text,
	"customer_source_id" text,
	"amount_minor" bigint NOT NULL,
	"refunded_minor" bigint DEFAULT 0 NOT NULL,
	"currency" char(3) NOT NULL,
	"status" text NOT NULL,
	"failure_code" text,
	"failure_message" text,
	"disputed" boolean DEFAULT false NOT NULL,
	"references" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"source_created_at" timestamp with time zone NOT NULL,
	"source_updated_at" timestamp with time zone NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_pkey" PRIMARY KEY("tenant_id","source","source_id")
);
--> statement-breakpoint
CREATE TABLE "account_summaries" (
	"tenant_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"account_name" text NOT NULL,
	"owner_id" uuid,
	"owner_name" text,
	"status" text NOT NULL,
	"usage_metric" text,
	"usage_unit" text,
	"usage_mtd" numeric(24, 6),
	"latest_invoice_number" text,
	"latest_invoice_total_minor" bigint,
	"latest_invoice_currency" char(3),
	"latest_invoice_due_on" date,
	"payment_status" text,
	"outstanding_minor" bigint DEFAULT 0 NOT NULL,
	"overdue_minor" bigint DEFAULT 0 NOT NULL,
	"summary_currency" char(3),
	"max_days_late" integer DEFAULT 0 NOT NULL,
	"discrepancy_count" integer DEFAULT 0 NOT NULL,
	"outlier" boolean DEFAULT false NOT NULL,
	"headline" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reconciled_at" timestamp with time zone NOT NULL,
	CONSTRAINT "account_summaries_pkey" PRIMARY KEY("tenant_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "reconciliation_results" (
	"tenant_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"period" text NOT NULL,
	"status" text NOT NULL,
	"explanation" text NOT NULL,
	"details" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reconciliation_results_pkey" PRIMARY KEY("tenant_id","account_id","period")
);
--> statement-breakpoint
CREATE TABLE "source_connections" (
	"tenant_id" uuid NOT NULL,
	"source" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sealed_secrets" text NOT NULL,
	"status" text DEFAULT 'connected' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "source_connections_pkey" PRIMARY KEY("tenant_id","source")
);
--> statement-breakpoint
CREATE TABLE "sync_cursors" (
	"tenant_id" uuid NOT NULL,
	"source" text NOT NULL,
	"cursor" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_cursors_pkey" PRIMARY KEY("tenant_id","source")
);
--> statement-breakpoint
CREATE TABLE "sync_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"source" text NOT NULL,
	"mode" text NOT NULL,
	"status" text NOT NULL,
	"counts" jsonb NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"duration_ms" integer,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"base_currency" char(3) DEFAULT 'USD' NOT NULL,
	"threshold_bps" integer DEFAULT 500 NOT NULL,
	"amplitude_group_type" text DEFAULT 'org_id' NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text DEFAULT 'account_manager' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "item_metrics" (
	"tenant_id" uuid NOT NULL,
	"quickbooks_item_id" text NOT NULL,
	"metric" text NOT NULL,
	CONSTRAINT "item_metrics_pkey" PRIMARY KEY("tenant_id","quickbooks_item_id")
);
--> statement-breakpoint
CREATE TABLE "metrics" (
	"tenant_id" uuid NOT NULL,
	"key" text NOT NULL,
	"unit" text NOT NULL,
	"event_type" text NOT NULL,
	CONSTRAINT "metrics_pkey" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
CREATE TABLE "usage_daily" (
	"tenant_id" uuid NOT NULL,
	"group_id" text NOT NULL,
	"metric" text NOT NULL,
	"day" date NOT NULL,
	"quantity" numeric(24, 6) NOT NULL,
	"event_count" integer NOT NULL,
	"duplicate_events" integer DEFAULT 0 NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_daily_pkey" PRIMARY KEY("tenant_id","group_id","metric","day")
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_customers" ADD CONSTRAINT "source_customers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_customers" ADD CONSTRAINT "source_customers_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_summaries" ADD CONSTRAINT "account_summaries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_summaries" ADD CONSTRAINT "account_summaries_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_results" ADD CONSTRAINT "reconciliation_results_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_results" ADD CONSTRAINT "reconciliation_results_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_connections" ADD CONSTRAINT "source_connections_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_cursors" ADD CONSTRAINT "sync_cursors_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "item_metrics" ADD CONSTRAINT "item_metrics_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_daily" ADD CONSTRAINT "usage_daily_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_quickbooks_key" ON "accounts" USING btree ("tenant_id","quickbooks_customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_stripe_key" ON "accounts" USING btree ("tenant_id","stripe_customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_amplitude_key" ON "accounts" USING btree ("tenant_id","amplitude_group_id");--> statement-breakpoint
CREATE INDEX "accounts_owner_idx" ON "accounts" USING btree ("tenant_id","owner_id");--> statement-breakpoint
CREATE INDEX "source_customers_account_idx" ON "source_customers" USING btree ("tenant_id","account_id");--> statement-breakpoint
CREATE INDEX "invoices_customer_idx" ON "invoices" USING btree ("tenant_id","customer_source_id","issued_on");--> statement-breakpoint
CREATE INDEX "invoices_number_idx" ON "invoices" USING btree ("tenant_id","number");--> statement-breakpoint
CREATE INDEX "payment_allocations_invoice_idx" ON "payment_allocations" USING btree ("tenant_id","invoice_source_id");--> statement-breakpoint
CREATE INDEX "payment_allocations_account_idx" ON "payment_allocations" USING btree ("tenant_id","account_id");--> statement-breakpoint
CREATE INDEX "payments_customer_idx" ON "payments" USING btree ("tenant_id","customer_source_id","source_created_at");--> statement-breakpoint
CREATE INDEX "account_summaries_owner_name_idx" ON "account_summaries" USING btree ("tenant_id","owner_id",lower("account_name"),"account_id");--> statement-breakpoint
CREATE INDEX "account_summaries_name_idx" ON "account_summaries" USING btree ("tenant_id",lower("account_name"),"account_id");--> statement-breakpoint
CREATE INDEX "account_summaries_status_idx" ON "account_summaries" USING btree ("tenant_id","status","account_name");--> statement-breakpoint
CREATE INDEX "sync_runs_latest_idx" ON "sync_runs" USING btree ("tenant_id","source","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tenants_slug_key" ON "tenants" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "users_tenant_email_key" ON "users" USING btree ("tenant_id","email");--> statement-breakpoint
CREATE INDEX "usage_daily_tenant_day_idx" ON "usage_daily" USING btree ("tenant_id","day");
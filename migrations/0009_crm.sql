CREATE TABLE "crm_connections" (
	"tenant_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"external_id" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sealed_secrets" text,
	"card_token_hash" text,
	"status" text DEFAULT 'connected' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crm_connections_pkey" PRIMARY KEY("tenant_id","provider")
);
--> statement-breakpoint
CREATE TABLE "crm_writebacks" (
	"tenant_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"account_id" uuid NOT NULL,
	"record_id" text NOT NULL,
	"fields" jsonb NOT NULL,
	"written_at" timestamp with time zone DEFAULT now() NOT NULL,
	"error" text,
	CONSTRAINT "crm_writebacks_pkey" PRIMARY KEY("tenant_id","provider","account_id")
);
--> statement-breakpoint
ALTER TABLE "crm_connections" ADD CONSTRAINT "crm_connections_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_writebacks" ADD CONSTRAINT "crm_writebacks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_writebacks" ADD CONSTRAINT "crm_writebacks_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "crm_connections_external_key" ON "crm_connections" USING btree ("provider","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "crm_connections_card_token_key" ON "crm_connections" USING btree ("card_token_hash");--> statement-breakpoint
CREATE INDEX "crm_writebacks_record_idx" ON "crm_writebacks" USING btree ("tenant_id","provider","record_id");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_salesforce_key" ON "accounts" USING btree ("tenant_id","salesforce_account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_hubspot_key" ON "accounts" USING btree ("tenant_id","hubspot_company_id");
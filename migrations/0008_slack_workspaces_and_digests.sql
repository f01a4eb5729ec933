CREATE TABLE "digest_sends" (
	"tenant_id" uuid NOT NULL,
	"slot" text NOT NULL,
	"recipient" text NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"channel_id" text,
	"message_ts" text,
	"error" text,
	CONSTRAINT "digest_sends_pkey" PRIMARY KEY("tenant_id","slot","recipient")
);
--> statement-breakpoint
CREATE TABLE "slack_workspaces" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"finance_channel_id" text,
	"digest_days_before" integer[] DEFAULT '{14,7,3,1}'::integer[] NOT NULL,
	"digest_hour" integer DEFAULT 9 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "digest_sends" ADD CONSTRAINT "digest_sends_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_workspaces" ADD CONSTRAINT "slack_workspaces_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "slack_workspaces_team_key" ON "slack_workspaces" USING btree ("team_id");
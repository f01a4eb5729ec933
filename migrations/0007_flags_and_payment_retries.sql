CREATE TABLE "flags" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"note" text,
	"amount_minor" bigint,
	"currency" char(3),
	"raised_by" uuid,
	"raised_via" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"resolution" text,
	"slack_channel_id" text,
	"slack_thread_ts" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "flags_status_check" CHECK ("flags"."status" in ('open', 'resolved')),
	CONSTRAINT "flags_resolved_check" CHECK (("flags"."status" = 'resolved') = ("flags"."resolved_at" is not null)),
	CONSTRAINT "flags_amount_check" CHECK (("flags"."amount_minor" is null) = ("flags"."currency" is null))
);
--> statement-breakpoint
CREATE TABLE "payment_retry_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"invoice_source_id" text,
	"payment_source_id" text NOT NULL,
	"payment_intent_id" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"failure_code" text,
	"failure_message" text,
	"requested_by" uuid,
	"requested_via" text NOT NULL,
	"note" text,
	"status" text DEFAULT 'requested' NOT NULL,
	"decided_by" uuid,
	"decided_via" text,
	"decided_at" timestamp with time zone,
	"reason" text,
	"payment_method_id" text,
	"idempotency_key" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"attempt_started_at" timestamp with time zone,
	"last_error" text,
	"outcome_code" text,
	"outcome_message" text,
	"stripe_charge_id" text,
	"completed_at" timestamp with time zone,
	"request_channel_id" text,
	"request_message_ts" text,
	"approval_channel_id" text,
	"approval_message_ts" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_retry_requests_status_check" CHECK ("payment_retry_requests"."status" in ('requested', 'approved', 'succeeded', 'failed', 'rejected', 'cancelled')),
	CONSTRAINT "payment_retry_requests_key_check" CHECK ("payment_retry_requests"."idempotency_key" = 'reckon-retry-' || "payment_retry_requests"."id"::text)
);
--> statement-breakpoint
ALTER TABLE "flags" ADD CONSTRAINT "flags_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flags" ADD CONSTRAINT "flags_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_retry_requests" ADD CONSTRAINT "payment_retry_requests_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_retry_requests" ADD CONSTRAINT "payment_retry_requests_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "flags_account_idx" ON "flags" USING btree ("tenant_id","account_id","created_at","id");--> statement-breakpoint
CREATE INDEX "flags_status_idx" ON "flags" USING btree ("tenant_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "flags_open_account_idx" ON "flags" USING btree ("tenant_id","account_id") WHERE status = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "payment_retry_requests_open_payment_key" ON "payment_retry_requests" USING btree ("tenant_id","payment_source_id") WHERE status in ('requested', 'approved');--> statement-breakpoint
CREATE UNIQUE INDEX "payment_retry_requests_open_invoice_key" ON "payment_retry_requests" USING btree ("tenant_id","invoice_source_id") WHERE status in ('requested', 'approved') and invoice_source_id is not null;--> statement-breakpoint
CREATE INDEX "payment_retry_requests_status_idx" ON "payment_retry_requests" USING btree ("tenant_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "payment_retry_requests_account_idx" ON "payment_retry_requests" USING btree ("tenant_id","account_id","created_at","id");
--> statement-breakpoint
-- A retry request only moves forward (requested -> approved | rejected | cancelled, approved -> succeeded | failed |
-- cancelled), and what it retries (intent, amount, key, and the card once chosen) never changes: a bug cannot turn
-- one approval into a second charge.
CREATE FUNCTION "payment_retry_requests_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.idempotency_key <> OLD.idempotency_key OR NEW.payment_intent_id <> OLD.payment_intent_id
     OR NEW.payment_source_id <> OLD.payment_source_id OR NEW.amount_minor <> OLD.amount_minor
     OR NEW.currency <> OLD.currency
     OR (OLD.payment_method_id IS NOT NULL AND NEW.payment_method_id IS DISTINCT FROM OLD.payment_method_id) THEN
    RAISE EXCEPTION 'payment_retry_requests: what a request retries never changes' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.status <> OLD.status AND NOT (
       (OLD.status = 'requested' AND NEW.status IN ('approved', 'rejected', 'cancelled'))
    OR (OLD.status = 'approved' AND NEW.status IN ('succeeded', 'failed', 'cancelled'))) THEN
    RAISE EXCEPTION 'payment_retry_requests: % -> % is not allowed', OLD.status, NEW.status
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "payment_retry_requests_forward_only" BEFORE UPDATE ON "payment_retry_requests"
  FOR EACH ROW EXECUTE FUNCTION "payment_retry_requests_guard"();

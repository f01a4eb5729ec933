ALTER TABLE "crm_connections" ADD COLUMN "writeback_claim" text;--> statement-breakpoint
ALTER TABLE "crm_connections" ADD COLUMN "writeback_claimed_until" timestamp with time zone;
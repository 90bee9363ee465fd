DROP INDEX "hulpvraag_status_history_to_status_idx";--> statement-breakpoint
ALTER TABLE "hulpvragen" ADD COLUMN "registered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "hulpvragen" ADD COLUMN "first_closed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "hulpvragen_org_first_closed_idx" ON "hulpvragen" USING btree ("organisation_id","first_closed_at","registered_at","dossier_id") WHERE "hulpvragen"."first_closed_at" is not null;
DROP INDEX "hulpvragen_org_status_idx";--> statement-breakpoint
CREATE INDEX "dossier_entries_tlv_end_idx" ON "dossier_entries" USING btree ("organisation_id","end_date") WHERE "dossier_entries"."kind" = 'tlv';--> statement-breakpoint
CREATE INDEX "hulpvraag_status_history_to_status_idx" ON "hulpvraag_status_history" USING btree ("to_status","changed_at") WHERE "hulpvraag_status_history"."kind" = 'status';--> statement-breakpoint
CREATE INDEX "hulpvragen_org_status_date_idx" ON "hulpvragen" USING btree ("organisation_id","status","date" DESC NULLS LAST,"created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "hulpvragen_org_date_idx" ON "hulpvragen" USING btree ("organisation_id","date" DESC NULLS LAST,"created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "hulpvragen_org_period_idx" ON "hulpvragen" USING btree ("organisation_id","date","status","dossier_id");
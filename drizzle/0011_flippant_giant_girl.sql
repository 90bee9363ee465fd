ALTER TABLE "mail_outbox" ADD COLUMN "dossier_id" uuid;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "hulpvraag_id" uuid;--> statement-breakpoint
CREATE INDEX "mail_outbox_dossier_idx" ON "mail_outbox" USING btree ("dossier_id");
DROP INDEX "audit_log_dossier_idx";--> statement-breakpoint
DROP INDEX "audit_log_org_idx";--> statement-breakpoint
DROP INDEX "audit_log_actor_idx";--> statement-breakpoint
CREATE INDEX "audit_log_refusals_idx" ON "audit_log" USING btree ("organisation_id","outcome","at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "audit_log"."outcome" <> 'success';--> statement-breakpoint
CREATE INDEX "audit_log_dossier_idx" ON "audit_log" USING btree ("dossier_id","at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_org_idx" ON "audit_log" USING btree ("organisation_id","at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_user_id","at" DESC NULLS LAST,"id" DESC NULLS LAST);
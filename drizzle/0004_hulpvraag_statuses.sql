CREATE TABLE "hulpvraag_statuses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"closes" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hulpvraag_statuses_org_name_key" UNIQUE("organisation_id","name")
);
--> statement-breakpoint
ALTER TABLE "hulpvraag_statuses" ADD CONSTRAINT "hulpvraag_statuses_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hulpvraag_statuses_org_position_idx" ON "hulpvraag_statuses" USING btree ("organisation_id","position");
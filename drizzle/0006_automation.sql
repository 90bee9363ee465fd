CREATE TABLE "automation_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"kind" text NOT NULL,
	"keyword" text,
	"entry_kind" text,
	"when_status" text,
	"set_status" text,
	"coordinator_id" uuid,
	"description" text,
	"mail_template_id" uuid,
	"mail_to_guardians" boolean DEFAULT false NOT NULL,
	"mail_to_coordinator" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "automation_rules_kind_check" CHECK ("automation_rules"."kind" in ('title_keyword', 'attachment_status', 'entry_status', 'status_coordinator', 'status_description', 'status_mail'))
);
--> statement-breakpoint
CREATE TABLE "mail_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mail_templates_org_name_key" UNIQUE("organisation_id","name")
);
--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "mail_closing" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "hulpvraag_status_history" ADD COLUMN "kind" text DEFAULT 'status' NOT NULL;--> statement-breakpoint
ALTER TABLE "hulpvraag_status_history" ADD COLUMN "automatic" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "hulpvraag_status_history" ADD COLUMN "rule_id" uuid;--> statement-breakpoint
ALTER TABLE "hulpvraag_status_history" ADD COLUMN "rule_name" text;--> statement-breakpoint
ALTER TABLE "hulpvraag_status_history" ADD COLUMN "seq" bigserial NOT NULL;--> statement-breakpoint
ALTER TABLE "automation_rules" ADD CONSTRAINT "automation_rules_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automation_rules" ADD CONSTRAINT "automation_rules_coordinator_id_users_id_fk" FOREIGN KEY ("coordinator_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automation_rules" ADD CONSTRAINT "automation_rules_mail_template_id_mail_templates_id_fk" FOREIGN KEY ("mail_template_id") REFERENCES "public"."mail_templates"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automation_rules" ADD CONSTRAINT "automation_rules_when_status_fk" FOREIGN KEY ("organisation_id","when_status") REFERENCES "public"."hulpvraag_statuses"("organisation_id","name") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "automation_rules" ADD CONSTRAINT "automation_rules_set_status_fk" FOREIGN KEY ("organisation_id","set_status") REFERENCES "public"."hulpvraag_statuses"("organisation_id","name") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "mail_templates" ADD CONSTRAINT "mail_templates_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "automation_rules_org_position_idx" ON "automation_rules" USING btree ("organisation_id","position");--> statement-breakpoint
ALTER TABLE "hulpvraag_status_history" ADD CONSTRAINT "hulpvraag_status_history_rule_id_automation_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."automation_rules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hulpvragen" ADD CONSTRAINT "hulpvragen_status_fk" FOREIGN KEY ("organisation_id","status") REFERENCES "public"."hulpvraag_statuses"("organisation_id","name") ON DELETE restrict ON UPDATE cascade;
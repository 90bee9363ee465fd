CREATE TABLE "job_runs" (
	"job" text NOT NULL,
	"organisation_id" uuid NOT NULL,
	"run_date" date NOT NULL,
	"ran_at" timestamp with time zone NOT NULL,
	"detail" jsonb,
	CONSTRAINT "job_runs_pkey" PRIMARY KEY("job","organisation_id","run_date")
);
--> statement-breakpoint
CREATE TABLE "sleeping_account_settings" (
	"organisation_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"months" integer DEFAULT 12 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sleeping_account_settings_months_check" CHECK ("sleeping_account_settings"."months" between 1 and 120)
);
--> statement-breakpoint
CREATE TABLE "sleeping_account_warnings" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"last_activity_at" timestamp with time zone NOT NULL,
	"warned_at" timestamp with time zone NOT NULL,
	"deactivate_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "job_runs" ADD CONSTRAINT "job_runs_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sleeping_account_settings" ADD CONSTRAINT "sleeping_account_settings_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sleeping_account_warnings" ADD CONSTRAINT "sleeping_account_warnings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
CREATE TABLE "coursera_course_settings" (
	"course_id" text PRIMARY KEY NOT NULL,
	"cohort_start" timestamp with time zone,
	"module_length_days" integer DEFAULT 7 NOT NULL,
	"grade_weights" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"forum_weights" jsonb,
	"previous_course_id" text,
	"maxima" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coursera_export_files" (
	"job_id" text NOT NULL,
	"name" text NOT NULL,
	"path" text NOT NULL,
	"bytes" bigint NOT NULL,
	"downloaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coursera_export_files_job_id_name_pk" PRIMARY KEY("job_id","name")
);
--> statement-breakpoint
CREATE TABLE "coursera_export_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"course_id" text NOT NULL,
	"kind" text NOT NULL,
	"day" text NOT NULL,
	"interval_start" text,
	"interval_end" text,
	"status" text NOT NULL,
	"folder" text,
	"downloaded_at" timestamp with time zone,
	"imported_at" timestamp with time zone,
	"import_run_id" integer,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coursera_indicator_choices" (
	"id" serial PRIMARY KEY NOT NULL,
	"course_id" text NOT NULL,
	"learner" text NOT NULL,
	"consent" boolean NOT NULL,
	"goal" text,
	"indicators" jsonb NOT NULL,
	"open" boolean NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "coursera_export_files" ADD CONSTRAINT "coursera_export_files_job_id_coursera_export_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."coursera_export_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "coursera_export_jobs_course_idx" ON "coursera_export_jobs" USING btree ("course_id","kind","day");--> statement-breakpoint
CREATE INDEX "coursera_indicator_choices_learner_idx" ON "coursera_indicator_choices" USING btree ("course_id","learner","id");
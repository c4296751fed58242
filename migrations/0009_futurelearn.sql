CREATE TABLE "futurelearn_video_stats" (
	"course" text NOT NULL,
	"run" text NOT NULL,
	"step_position" text NOT NULL,
	"title" text,
	"video_duration_seconds" integer,
	"total_views" integer,
	"stats" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "futurelearn_video_stats_course_run_step_position_pk" PRIMARY KEY("course","run","step_position")
);
--> statement-breakpoint
ALTER TABLE "learner_profiles" ADD COLUMN "age_range" text;--> statement-breakpoint
ALTER TABLE "learner_profiles" ADD COLUMN "employment_status" text;--> statement-breakpoint
ALTER TABLE "learner_profiles" ADD COLUMN "employment_area" text;--> statement-breakpoint
ALTER TABLE "learner_profiles" ADD COLUMN "detected_country" text;
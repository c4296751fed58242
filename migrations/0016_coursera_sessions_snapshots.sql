CREATE TABLE "coursera_session_members" (
	"course_id" text NOT NULL,
	"session_id" text NOT NULL,
	"learner" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	CONSTRAINT "coursera_session_members_course_id_session_id_learner_pk" PRIMARY KEY("course_id","session_id","learner")
);
--> statement-breakpoint
CREATE TABLE "coursera_sessions" (
	"course_id" text NOT NULL,
	"session_id" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	CONSTRAINT "coursera_sessions_course_id_session_id_pk" PRIMARY KEY("course_id","session_id")
);
--> statement-breakpoint
CREATE TABLE "coursera_indicator_snapshots" (
	"course_id" text NOT NULL,
	"day" text NOT NULL,
	"learner" text NOT NULL,
	"indicators" jsonb NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	CONSTRAINT "coursera_indicator_snapshots_course_id_day_learner_pk" PRIMARY KEY("course_id","day","learner")
);
--> statement-breakpoint
CREATE INDEX "coursera_session_members_learner_idx" ON "coursera_session_members" USING btree ("course_id","learner");
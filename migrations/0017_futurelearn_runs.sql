CREATE TABLE "futurelearn_runs" (
	"course" text NOT NULL,
	"run" text NOT NULL,
	"start_date" text,
	"end_date" text,
	"learners" integer,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "futurelearn_runs_course_run_pk" PRIMARY KEY("course","run")
);

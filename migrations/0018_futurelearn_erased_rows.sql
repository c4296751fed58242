CREATE TABLE "futurelearn_erased_rows" (
	"course" text NOT NULL,
	"run" text NOT NULL,
	"dataset" text NOT NULL,
	"question" text DEFAULT '' NOT NULL,
	"rows" integer NOT NULL,
	CONSTRAINT "futurelearn_erased_rows_course_run_dataset_question_pk" PRIMARY KEY("course","run","dataset","question")
);

CREATE TABLE "course_blocks" (
	"course_key" text NOT NULL,
	"block_id" text NOT NULL,
	"category" text NOT NULL,
	"parent_id" text,
	"position" integer NOT NULL,
	"display_name" text,
	CONSTRAINT "course_blocks_course_key_block_id_pk" PRIMARY KEY("course_key","block_id")
);
--> statement-breakpoint
CREATE TABLE "learner_profiles" (
	"platform" text NOT NULL,
	"learner" text NOT NULL,
	"language" text,
	"location" text,
	"gender" text,
	"year_of_birth" integer,
	"level_of_education" text,
	"country" text,
	"city" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "learner_profiles_platform_learner_pk" PRIMARY KEY("platform","learner")
);

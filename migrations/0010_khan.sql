CREATE TABLE "khan_badge_detail" (
	"student" text NOT NULL,
	"slug" text NOT NULL,
	"date_earned" timestamp with time zone NOT NULL,
	"context" text,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "khan_badge_detail_student_slug_date_earned_pk" PRIMARY KEY("student","slug","date_earned")
);
--> statement-breakpoint
CREATE TABLE "khan_badge_metadata" (
	"slug" text PRIMARY KEY NOT NULL,
	"description" text,
	"badge_category" integer,
	"points" integer,
	"icons" jsonb,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "khan_coach_students" (
	"coach" text NOT NULL,
	"student" text NOT NULL,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "khan_coach_students_coach_student_pk" PRIMARY KEY("coach","student")
);
--> statement-breakpoint
CREATE TABLE "khan_coaches" (
	"coach_id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"token_sealed" text NOT NULL,
	"secret_sealed" text NOT NULL,
	"authorized_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_pull_at" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "khan_composite_badges" (
	"student" text NOT NULL,
	"slug" text NOT NULL,
	"owned" boolean NOT NULL,
	"count" integer NOT NULL,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "khan_composite_badges_student_slug_pk" PRIMARY KEY("student","slug")
);
--> statement-breakpoint
CREATE TABLE "khan_composite_exercises" (
	"student" text NOT NULL,
	"exercise" text NOT NULL,
	"streak" integer,
	"progress" real,
	"practiced_date" timestamp with time zone,
	"proficient_date" timestamp with time zone,
	"total_done" integer,
	"total_correct" integer,
	"struggling" boolean,
	"proficient" boolean,
	"practiced" boolean,
	"mastered" boolean,
	"level" text,
	"last_done" timestamp with time zone,
	"longest_streak" integer,
	"maximum_exercise_progress_dt" timestamp with time zone,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "khan_composite_exercises_student_exercise_pk" PRIMARY KEY("student","exercise")
);
--> statement-breakpoint
CREATE TABLE "khan_exercise_metadata" (
	"name" text PRIMARY KEY NOT NULL,
	"display_name" text,
	"data" jsonb NOT NULL,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "khan_exercise_states" (
	"student" text NOT NULL,
	"exercise" text NOT NULL,
	"date" timestamp with time zone NOT NULL,
	"from_progress" text,
	"to_progress" text NOT NULL,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "khan_exercise_states_student_exercise_date_pk" PRIMARY KEY("student","exercise","date")
);
--> statement-breakpoint
CREATE TABLE "khan_stu_detail" (
	"student" text PRIMARY KEY NOT NULL,
	"points" integer,
	"total_seconds_watched" integer,
	"badge_lev0" integer,
	"badge_lev1" integer,
	"badge_lev2" integer,
	"badge_lev3" integer,
	"badge_lev4" integer,
	"badge_lev5" integer,
	"coaches" integer,
	"first_visit" timestamp with time zone,
	"joined" timestamp with time zone,
	"nickname" text,
	"username" text,
	"proficient_exercises" jsonb,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen" timestamp with time zone DEFAULT now() NOT NULL
);

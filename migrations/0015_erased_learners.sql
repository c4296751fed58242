CREATE TABLE "erased_learners" (
	"platform" text NOT NULL,
	"pseudonym" text NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL,
	"erased_by" text NOT NULL,
	"counts" jsonb NOT NULL,
	CONSTRAINT "erased_learners_platform_pseudonym_pk" PRIMARY KEY("platform","pseudonym")
);

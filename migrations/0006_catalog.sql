CREATE TABLE "catalog_courses" (
	"id" text PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"platform_course_id" text NOT NULL,
	"titles" jsonb NOT NULL,
	"descriptions" jsonb NOT NULL,
	"languages" text[] NOT NULL,
	"url" text,
	"organisation" text,
	"start_date" date,
	"end_date" date,
	"units" integer,
	"study_load_hours" integer,
	"typical_learning_time" text,
	"interest_area" text,
	"image_url" text,
	"oai_status" text,
	"removed" boolean DEFAULT false NOT NULL,
	"datestamp" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog_teachers" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"image_url" text,
	"descriptions" jsonb NOT NULL,
	"datestamp" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "course_sets" (
	"course_id" text NOT NULL,
	"set_spec" text NOT NULL,
	CONSTRAINT "course_sets_course_id_set_spec_pk" PRIMARY KEY("course_id","set_spec")
);
--> statement-breakpoint
CREATE TABLE "course_teachers" (
	"course_id" text NOT NULL,
	"teacher_id" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "course_teachers_course_id_teacher_id_pk" PRIMARY KEY("course_id","teacher_id")
);
--> statement-breakpoint
CREATE TABLE "oai_sets" (
	"spec" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text
);
--> statement-breakpoint
ALTER TABLE "course_sets" ADD CONSTRAINT "course_sets_course_id_catalog_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."catalog_courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_sets" ADD CONSTRAINT "course_sets_set_spec_oai_sets_spec_fk" FOREIGN KEY ("set_spec") REFERENCES "public"."oai_sets"("spec") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_teachers" ADD CONSTRAINT "course_teachers_course_id_catalog_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."catalog_courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_teachers" ADD CONSTRAINT "course_teachers_teacher_id_catalog_teachers_id_fk" FOREIGN KEY ("teacher_id") REFERENCES "public"."catalog_teachers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "catalog_courses_oai_idx" ON "catalog_courses" USING btree ("datestamp","id") WHERE "catalog_courses"."oai_status" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "catalog_courses_platform_idx" ON "catalog_courses" USING btree ("platform","platform_course_id");--> statement-breakpoint
CREATE INDEX "course_sets_spec_idx" ON "course_sets" USING btree ("set_spec","course_id");
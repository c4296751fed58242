CREATE TABLE "catalog_course_images" (
	"course_id" text PRIMARY KEY NOT NULL,
	"media_type" text NOT NULL,
	"content" "bytea" NOT NULL,
	"etag" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalog_course_images" ADD CONSTRAINT "catalog_course_images_course_id_catalog_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."catalog_courses"("id") ON DELETE cascade ON UPDATE no action;
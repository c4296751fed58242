CREATE TABLE "edx_s3_objects" (
	"bucket" text NOT NULL,
	"key" text NOT NULL,
	"etag" text NOT NULL,
	"size" bigint NOT NULL,
	"state" text NOT NULL,
	"error_code" text,
	"run_id" text,
	"fetched_at" timestamp with time zone,
	"imported_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "edx_s3_objects_bucket_key_pk" PRIMARY KEY("bucket","key")
);

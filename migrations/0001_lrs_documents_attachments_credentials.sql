CREATE TABLE "lrs_activities" (
	"activity_id" text PRIMARY KEY NOT NULL,
	"definition" jsonb NOT NULL,
	"updated" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lrs_attachments" (
	"sha2" text PRIMARY KEY NOT NULL,
	"content_type" text NOT NULL,
	"length" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lrs_credentials" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"secret_hash" text NOT NULL,
	"scope" text NOT NULL,
	"label" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "lrs_credentials_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "lrs_documents" (
	"kind" text NOT NULL,
	"activity_id" text DEFAULT '' NOT NULL,
	"agent_ifi" text DEFAULT '' NOT NULL,
	"registration" text DEFAULT '' NOT NULL,
	"document_id" text NOT NULL,
	"content" "bytea" NOT NULL,
	"content_type" text NOT NULL,
	"etag" text NOT NULL,
	"updated" timestamp with time zone NOT NULL,
	CONSTRAINT "lrs_documents_kind_activity_id_agent_ifi_registration_document_id_pk" PRIMARY KEY("kind","activity_id","agent_ifi","registration","document_id")
);
--> statement-breakpoint
CREATE INDEX "lrs_documents_updated_idx" ON "lrs_documents" USING btree ("kind","activity_id","agent_ifi","registration","updated");
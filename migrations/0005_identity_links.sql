CREATE TABLE "identity_links" (
	"platform" text NOT NULL,
	"platform_user_id" text NOT NULL,
	"eco_user_id" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "identity_links_platform_platform_user_id_pk" PRIMARY KEY("platform","platform_user_id")
);
--> statement-breakpoint
CREATE INDEX "identity_links_eco_user_idx" ON "identity_links" USING btree ("eco_user_id");
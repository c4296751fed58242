CREATE TABLE "import_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"input" text,
	"status" text DEFAULT 'running' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"counts" jsonb,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "lrs_statement_activities" (
	"statement_seq" bigint NOT NULL,
	"activity_id" text NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "lrs_statement_activities_activity_id_statement_seq_role_pk" PRIMARY KEY("activity_id","statement_seq","role")
);
--> statement-breakpoint
CREATE TABLE "lrs_statement_agents" (
	"statement_seq" bigint NOT NULL,
	"ifi" text NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "lrs_statement_agents_ifi_statement_seq_role_pk" PRIMARY KEY("ifi","statement_seq","role")
);
--> statement-breakpoint
CREATE TABLE "lrs_statements" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "lrs_statements_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"id" uuid NOT NULL,
	"statement" jsonb NOT NULL,
	"verb_id" text NOT NULL,
	"registration" uuid,
	"stored" timestamp with time zone NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"voided" boolean DEFAULT false NOT NULL,
	"object_statement_id" uuid,
	"authority" text,
	CONSTRAINT "lrs_statements_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "rejected_records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" bigint,
	"source" text NOT NULL,
	"position" text NOT NULL,
	"code" text NOT NULL,
	"reason" text NOT NULL,
	"payload" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "statement_outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "statement_outbox_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"statement" jsonb NOT NULL,
	"source" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	CONSTRAINT "statement_outbox_state_check" CHECK ("statement_outbox"."state" in ('pending', 'sent', 'conflict', 'dead'))
);
--> statement-breakpoint
ALTER TABLE "rejected_records" ADD CONSTRAINT "rejected_records_run_id_import_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."import_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lrs_statements_verb_idx" ON "lrs_statements" USING btree ("verb_id","seq");--> statement-breakpoint
CREATE INDEX "lrs_statements_registration_idx" ON "lrs_statements" USING btree ("registration","seq");--> statement-breakpoint
CREATE INDEX "lrs_statements_stored_idx" ON "lrs_statements" USING btree ("stored","seq");--> statement-breakpoint
CREATE INDEX "lrs_statements_object_ref_idx" ON "lrs_statements" USING btree ("object_statement_id");--> statement-breakpoint
CREATE INDEX "rejected_records_run_idx" ON "rejected_records" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "rejected_records_source_idx" ON "rejected_records" USING btree ("source");--> statement-breakpoint
CREATE INDEX "statement_outbox_due_idx" ON "statement_outbox" USING btree ("next_attempt_at","seq") WHERE "statement_outbox"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "statement_outbox_state_idx" ON "statement_outbox" USING btree ("state");
-- Hand-ordered: the column is added and filled from the statements before it joins the key.
ALTER TABLE "lrs_statement_activities" ADD COLUMN "stored" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lrs_statement_agents" ADD COLUMN "stored" timestamp with time zone;--> statement-breakpoint
UPDATE "lrs_statement_activities" c SET "stored" = s."stored" FROM "lrs_statements" s WHERE s."seq" = c."statement_seq";--> statement-breakpoint
UPDATE "lrs_statement_agents" a SET "stored" = s."stored" FROM "lrs_statements" s WHERE s."seq" = a."statement_seq";--> statement-breakpoint
ALTER TABLE "lrs_statement_activities" ALTER COLUMN "stored" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "lrs_statement_agents" ALTER COLUMN "stored" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "lrs_statement_activities" DROP CONSTRAINT "lrs_statement_activities_activity_id_statement_seq_role_pk";--> statement-breakpoint
ALTER TABLE "lrs_statement_agents" DROP CONSTRAINT "lrs_statement_agents_ifi_statement_seq_role_pk";--> statement-breakpoint
ALTER TABLE "lrs_statement_activities" ADD CONSTRAINT "lrs_statement_activities_activity_id_stored_statement_seq_role_pk" PRIMARY KEY("activity_id","stored","statement_seq","role");--> statement-breakpoint
ALTER TABLE "lrs_statement_agents" ADD CONSTRAINT "lrs_statement_agents_ifi_stored_statement_seq_role_pk" PRIMARY KEY("ifi","stored","statement_seq","role");--> statement-breakpoint
DROP INDEX "lrs_statements_verb_idx";--> statement-breakpoint
DROP INDEX "lrs_statements_registration_idx";--> statement-breakpoint
CREATE INDEX "lrs_statements_verb_idx" ON "lrs_statements" USING btree ("verb_id","stored","seq");--> statement-breakpoint
CREATE INDEX "lrs_statements_registration_idx" ON "lrs_statements" USING btree ("registration","stored","seq");

-- Hand-ordered: the column is added and filled from the statements before it is required.
ALTER TABLE "lrs_statement_agents" ADD COLUMN "verb_id" text;--> statement-breakpoint
UPDATE "lrs_statement_agents" a SET "verb_id" = s."verb_id" FROM "lrs_statements" s WHERE s."seq" = a."statement_seq";--> statement-breakpoint
ALTER TABLE "lrs_statement_agents" ALTER COLUMN "verb_id" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "lrs_statement_agents_verb_idx" ON "lrs_statement_agents" USING btree ("ifi","verb_id","stored","statement_seq") WHERE "lrs_statement_agents"."role" IN ('actor', 'object', 'actor_member', 'object_member');--> statement-breakpoint
DROP INDEX "lrs_statements_registration_idx";--> statement-breakpoint
DROP INDEX "lrs_statements_object_ref_idx";--> statement-breakpoint
CREATE INDEX "lrs_statements_registration_idx" ON "lrs_statements" USING btree ("registration","stored","seq") WHERE "lrs_statements"."registration" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "lrs_statements_object_ref_idx" ON "lrs_statements" USING btree ("object_statement_id") WHERE "lrs_statements"."object_statement_id" IS NOT NULL;

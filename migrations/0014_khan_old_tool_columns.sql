-- coaches was a count and becomes the list of coach ids: a count gives no ids, so rows start empty and the next pull fills them.
ALTER TABLE "khan_stu_detail" ALTER COLUMN "coaches" SET DATA TYPE jsonb USING NULL;--> statement-breakpoint
ALTER TABLE "khan_badge_metadata" ADD COLUMN "name" text;--> statement-breakpoint
ALTER TABLE "khan_badge_metadata" ADD COLUMN "translated_description" text;--> statement-breakpoint
ALTER TABLE "khan_badge_metadata" ADD COLUMN "safe_extended_description" text;--> statement-breakpoint
ALTER TABLE "khan_badge_metadata" ADD COLUMN "translated_safe_extended_description" text;--> statement-breakpoint
ALTER TABLE "khan_badge_metadata" ADD COLUMN "is_retired" boolean;--> statement-breakpoint
ALTER TABLE "khan_badge_metadata" ADD COLUMN "hide_context" boolean;--> statement-breakpoint
ALTER TABLE "khan_badge_metadata" ADD COLUMN "absolute_url" text;--> statement-breakpoint
ALTER TABLE "khan_badge_metadata" ADD COLUMN "relative_url" text;--> statement-breakpoint
ALTER TABLE "khan_badge_metadata" ADD COLUMN "icon_src" text;--> statement-breakpoint
ALTER TABLE "khan_badge_metadata" ADD COLUMN "icons_compact" text;--> statement-breakpoint
ALTER TABLE "khan_badge_metadata" ADD COLUMN "icons_email" text;--> statement-breakpoint
ALTER TABLE "khan_badge_metadata" ADD COLUMN "icons_large" text;--> statement-breakpoint
ALTER TABLE "khan_badge_metadata" ADD COLUMN "icons_small" text;--> statement-breakpoint
ALTER TABLE "khan_stu_detail" ADD COLUMN "registration_date" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "khan_stu_detail" ADD COLUMN "profile_root" text;--> statement-breakpoint
ALTER TABLE "khan_stu_detail" ADD COLUMN "all_proficient_exercises" jsonb;
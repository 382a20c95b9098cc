CREATE TYPE "public"."round_verdict" AS ENUM('approved', 'rejected', 'not_quorate');--> statement-breakpoint
CREATE TABLE "data_migrations" (
	"name" text PRIMARY KEY NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plan_versions" ADD COLUMN "override_reason" text;--> statement-breakpoint
ALTER TABLE "plan_versions" ADD COLUMN "override_by" text;--> statement-breakpoint
ALTER TABLE "round_choice_questions" ADD COLUMN "special_matter" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "round_item_verdicts" ADD COLUMN "verdict" "round_verdict";--> statement-breakpoint
-- Each recorded verdict as its published snapshot states it (approved alone could not tell a
-- refusal from a round without quorum).
UPDATE "round_item_verdicts" v SET "verdict" = (d->>'verdict')::"round_verdict"
FROM "round_results" rr,
	jsonb_array_elements(rr."snapshot"->'items') it,
	jsonb_array_elements(it->'decisions') d
WHERE rr."id" = v."round_result_id" AND (it->>'id')::int = v."round_item_id"
	AND d->>'level' = v."level"::text AND (d->>'scopeId')::int = v."scope_id";--> statement-breakpoint
UPDATE "round_item_verdicts" SET "verdict" = CASE WHEN "approved" THEN 'approved' ELSE 'rejected' END::"round_verdict" WHERE "verdict" IS NULL;--> statement-breakpoint
-- Fire any deferred trigger events the updates queued before altering the table.
SET CONSTRAINTS ALL IMMEDIATE;--> statement-breakpoint
ALTER TABLE "round_item_verdicts" ALTER COLUMN "verdict" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "round_items" ADD COLUMN "special_matter" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_versions" ADD CONSTRAINT "plan_versions_override_by_users_id_fk" FOREIGN KEY ("override_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_choice_questions" ADD CONSTRAINT "round_choice_questions_special_ck" CHECK (not "round_choice_questions"."special_matter" or "round_choice_questions"."rule" = 'civil_code_three_quarters');--> statement-breakpoint
ALTER TABLE "round_items" ADD CONSTRAINT "round_items_special_ck" CHECK (not "round_items"."special_matter" or "round_items"."rule" = 'civil_code_three_quarters');
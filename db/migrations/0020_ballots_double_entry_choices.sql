CREATE TYPE "public"."choice_rule" AS ENUM('plurality', 'civil_code_majority', 'civil_code_three_quarters');--> statement-breakpoint
CREATE TYPE "public"."paper_entry_state" AS ENUM('awaiting', 'confirmed', 'mismatch', 'discarded');--> statement-breakpoint
CREATE TABLE "paper_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"household_id" integer NOT NULL,
	"pair_of" bigint,
	"state" "paper_entry_state" NOT NULL,
	"choices" jsonb NOT NULL,
	"overall" "ballot_choice",
	"comment" text DEFAULT '' NOT NULL,
	"filled_at" timestamp with time zone NOT NULL,
	"photo_image_id" text,
	"entered_by" text NOT NULL,
	"resolved_by" text,
	"ballot_revision" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "paper_entries_comment_ck" CHECK (length("paper_entries"."comment") <= 2000),
	CONSTRAINT "paper_entries_photo_ck" CHECK ("paper_entries"."pair_of" is not null or "paper_entries"."photo_image_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "round_choice_questions" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"title" text NOT NULL,
	"title_en" text DEFAULT '' NOT NULL,
	"rule" "choice_rule" NOT NULL,
	"decision_scope" "decision_scope" NOT NULL,
	"building_id" integer,
	"sort" smallint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ballot_revisions" ADD COLUMN "confirmed_by" text;--> statement-breakpoint
ALTER TABLE "round_items" ADD COLUMN "question_id" integer;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "double_entry" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "open_notified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "paper_entries" ADD CONSTRAINT "paper_entries_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_entries" ADD CONSTRAINT "paper_entries_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_entries" ADD CONSTRAINT "paper_entries_pair_of_paper_entries_id_fk" FOREIGN KEY ("pair_of") REFERENCES "public"."paper_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_entries" ADD CONSTRAINT "paper_entries_photo_image_id_images_id_fk" FOREIGN KEY ("photo_image_id") REFERENCES "public"."images"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_entries" ADD CONSTRAINT "paper_entries_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_entries" ADD CONSTRAINT "paper_entries_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_choice_questions" ADD CONSTRAINT "round_choice_questions_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_choice_questions" ADD CONSTRAINT "round_choice_questions_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "paper_entries_open_uq" ON "paper_entries" USING btree ("round_id","household_id") WHERE "paper_entries"."pair_of" is null and "paper_entries"."state" in ('awaiting', 'mismatch');--> statement-breakpoint
CREATE INDEX "paper_entries_round_idx" ON "paper_entries" USING btree ("round_id","state");--> statement-breakpoint
CREATE INDEX "round_choice_questions_round_idx" ON "round_choice_questions" USING btree ("round_id");--> statement-breakpoint
ALTER TABLE "ballot_revisions" ADD CONSTRAINT "ballot_revisions_confirmed_by_users_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_items" ADD CONSTRAINT "round_items_question_id_round_choice_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."round_choice_questions"("id") ON DELETE cascade ON UPDATE no action;
CREATE TYPE "public"."ballot_channel" AS ENUM('online', 'paper');--> statement-breakpoint
CREATE TYPE "public"."ballot_choice" AS ENUM('agree', 'disagree', 'abstain');--> statement-breakpoint
CREATE TYPE "public"."decision_rule" AS ENUM('simple_majority', 'civil_code_majority', 'civil_code_three_quarters');--> statement-breakpoint
CREATE TYPE "public"."decision_scope" AS ENUM('compound', 'building', 'unit');--> statement-breakpoint
CREATE TYPE "public"."round_kind" AS ENUM('needs', 'plan_opinion', 'special');--> statement-breakpoint
CREATE TYPE "public"."tally_level" AS ENUM('compound', 'building', 'unit');--> statement-breakpoint
CREATE TABLE "ballot_revisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ballot_id" bigint NOT NULL,
	"round_id" integer NOT NULL,
	"household_id" integer NOT NULL,
	"revision" integer NOT NULL,
	"choices" jsonb NOT NULL,
	"overall" "ballot_choice",
	"comment" text DEFAULT '' NOT NULL,
	"channel" "ballot_channel" NOT NULL,
	"cast_by" text,
	"entered_by" text,
	"photo_image_id" text,
	"filled_at" timestamp with time zone NOT NULL,
	"counted" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ballot_revisions_uq" UNIQUE("ballot_id","revision")
);
--> statement-breakpoint
CREATE TABLE "ballots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"household_id" integer NOT NULL,
	"revision" integer NOT NULL,
	"choices" jsonb NOT NULL,
	"prev_choices" jsonb,
	"overall" "ballot_choice",
	"comment" text DEFAULT '' NOT NULL,
	"channel" "ballot_channel" NOT NULL,
	"cast_by" text,
	"entered_by" text,
	"photo_image_id" text,
	"filled_at" timestamp with time zone NOT NULL,
	"conflict" boolean DEFAULT false NOT NULL,
	"reviewed_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ballots_household_uq" UNIQUE("round_id","household_id"),
	CONSTRAINT "ballots_revision_ck" CHECK ("ballots"."revision" >= 1),
	CONSTRAINT "ballots_comment_ck" CHECK (length("ballots"."comment") <= 2000),
	CONSTRAINT "ballots_paper_ck" CHECK ("ballots"."channel" = 'online' or ("ballots"."entered_by" is not null and "ballots"."photo_image_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "round_coverage" (
	"round_id" integer NOT NULL,
	"level" "tally_level" NOT NULL,
	"scope_id" integer NOT NULL,
	"households" integer NOT NULL,
	"responded" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "round_coverage_round_id_level_scope_id_pk" PRIMARY KEY("round_id","level","scope_id"),
	CONSTRAINT "round_coverage_ck" CHECK ("round_coverage"."responded" >= 0 and "round_coverage"."responded" <= "round_coverage"."households")
);
--> statement-breakpoint
CREATE TABLE "round_households" (
	"round_id" integer NOT NULL,
	"household_id" integer NOT NULL,
	"compound_id" integer NOT NULL,
	"building_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"area_centi" bigint NOT NULL,
	"owner_key" text NOT NULL,
	"owner_units" integer NOT NULL,
	CONSTRAINT "round_households_round_id_household_id_pk" PRIMARY KEY("round_id","household_id"),
	CONSTRAINT "round_households_area_ck" CHECK ("round_households"."area_centi" > 0),
	CONSTRAINT "round_households_owner_units_ck" CHECK ("round_households"."owner_units" >= 1)
);
--> statement-breakpoint
CREATE TABLE "round_item_verdicts" (
	"round_result_id" integer NOT NULL,
	"round_id" integer NOT NULL,
	"project_id" integer NOT NULL,
	"item_id" integer NOT NULL,
	"round_item_id" integer NOT NULL,
	"level" "tally_level" NOT NULL,
	"scope_id" integer NOT NULL,
	"approved" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "round_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"item_id" integer,
	"plan_item_id" integer,
	"building_id" integer,
	"title" text NOT NULL,
	"title_en" text DEFAULT '' NOT NULL,
	"rule" "decision_rule" NOT NULL,
	"decision_scope" "decision_scope" NOT NULL,
	"sort" smallint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "round_results" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"version" smallint NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"snapshot" jsonb NOT NULL,
	"digest" text NOT NULL,
	"published_by" text,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "round_results_version_uq" UNIQUE("round_id","version"),
	CONSTRAINT "round_results_version_ck" CHECK ("round_results"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "round_tallies" (
	"round_id" integer NOT NULL,
	"round_item_id" integer NOT NULL,
	"level" "tally_level" NOT NULL,
	"scope_id" integer NOT NULL,
	"households" integer NOT NULL,
	"area_centi" bigint NOT NULL,
	"heads" integer NOT NULL,
	"agree" integer DEFAULT 0 NOT NULL,
	"disagree" integer DEFAULT 0 NOT NULL,
	"abstain" integer DEFAULT 0 NOT NULL,
	"agree_area" bigint DEFAULT 0 NOT NULL,
	"disagree_area" bigint DEFAULT 0 NOT NULL,
	"abstain_area" bigint DEFAULT 0 NOT NULL,
	"heads_participating" integer DEFAULT 0 NOT NULL,
	"heads_approving" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "round_tallies_round_id_level_round_item_id_scope_id_pk" PRIMARY KEY("round_id","level","round_item_id","scope_id"),
	CONSTRAINT "round_tallies_counts_ck" CHECK ("round_tallies"."agree" >= 0 and "round_tallies"."disagree" >= 0 and "round_tallies"."abstain" >= 0 and "round_tallies"."agree" + "round_tallies"."disagree" + "round_tallies"."abstain" <= "round_tallies"."households"),
	CONSTRAINT "round_tallies_area_ck" CHECK ("round_tallies"."agree_area" >= 0 and "round_tallies"."disagree_area" >= 0 and "round_tallies"."abstain_area" >= 0 and "round_tallies"."agree_area" + "round_tallies"."disagree_area" + "round_tallies"."abstain_area" <= "round_tallies"."area_centi"),
	CONSTRAINT "round_tallies_heads_ck" CHECK ("round_tallies"."heads_approving" >= 0 and "round_tallies"."heads_approving" <= "round_tallies"."heads_participating" and "round_tallies"."heads_participating" <= "round_tallies"."heads")
);
--> statement-breakpoint
CREATE TABLE "rounds" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"kind" "round_kind" NOT NULL,
	"plan_version_id" integer,
	"title" text NOT NULL,
	"title_en" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"scope_building_id" integer,
	"consent" boolean NOT NULL,
	"tallies_public" boolean DEFAULT false NOT NULL,
	"target_num" smallint DEFAULT 2 NOT NULL,
	"target_den" smallint DEFAULT 3 NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"opened_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rounds_window_ck" CHECK ("rounds"."closes_at" > "rounds"."opens_at"),
	CONSTRAINT "rounds_target_ck" CHECK ("rounds"."target_den" between 1 and 100 and "rounds"."target_num" between 1 and "rounds"."target_den"),
	CONSTRAINT "rounds_plan_ck" CHECK (("rounds"."kind" = 'plan_opinion') = ("rounds"."plan_version_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "ballot_revisions" ADD CONSTRAINT "ballot_revisions_ballot_id_ballots_id_fk" FOREIGN KEY ("ballot_id") REFERENCES "public"."ballots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_revisions" ADD CONSTRAINT "ballot_revisions_cast_by_users_id_fk" FOREIGN KEY ("cast_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_revisions" ADD CONSTRAINT "ballot_revisions_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_revisions" ADD CONSTRAINT "ballot_revisions_photo_image_id_images_id_fk" FOREIGN KEY ("photo_image_id") REFERENCES "public"."images"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_cast_by_users_id_fk" FOREIGN KEY ("cast_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_photo_image_id_images_id_fk" FOREIGN KEY ("photo_image_id") REFERENCES "public"."images"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_coverage" ADD CONSTRAINT "round_coverage_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_households" ADD CONSTRAINT "round_households_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_households" ADD CONSTRAINT "round_households_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_households" ADD CONSTRAINT "round_households_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_households" ADD CONSTRAINT "round_households_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_households" ADD CONSTRAINT "round_households_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_item_verdicts" ADD CONSTRAINT "round_item_verdicts_round_result_id_round_results_id_fk" FOREIGN KEY ("round_result_id") REFERENCES "public"."round_results"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_item_verdicts" ADD CONSTRAINT "round_item_verdicts_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_item_verdicts" ADD CONSTRAINT "round_item_verdicts_item_id_renovation_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."renovation_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_items" ADD CONSTRAINT "round_items_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_items" ADD CONSTRAINT "round_items_item_id_renovation_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."renovation_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_items" ADD CONSTRAINT "round_items_plan_item_id_plan_items_id_fk" FOREIGN KEY ("plan_item_id") REFERENCES "public"."plan_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_items" ADD CONSTRAINT "round_items_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_results" ADD CONSTRAINT "round_results_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_results" ADD CONSTRAINT "round_results_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_tallies" ADD CONSTRAINT "round_tallies_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_tallies" ADD CONSTRAINT "round_tallies_round_item_id_round_items_id_fk" FOREIGN KEY ("round_item_id") REFERENCES "public"."round_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_plan_version_id_plan_versions_id_fk" FOREIGN KEY ("plan_version_id") REFERENCES "public"."plan_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_scope_building_id_buildings_id_fk" FOREIGN KEY ("scope_building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ballot_revisions_round_idx" ON "ballot_revisions" USING btree ("round_id","household_id");--> statement-breakpoint
CREATE INDEX "ballots_conflict_idx" ON "ballots" USING btree ("round_id") WHERE "ballots"."conflict";--> statement-breakpoint
CREATE INDEX "round_households_owner_idx" ON "round_households" USING btree ("round_id","owner_key");--> statement-breakpoint
CREATE INDEX "round_households_building_idx" ON "round_households" USING btree ("round_id","building_id");--> statement-breakpoint
CREATE UNIQUE INDEX "round_item_verdicts_uq" ON "round_item_verdicts" USING btree ("round_result_id","round_item_id","level","scope_id");--> statement-breakpoint
CREATE INDEX "round_item_verdicts_item_idx" ON "round_item_verdicts" USING btree ("project_id","item_id");--> statement-breakpoint
CREATE INDEX "round_items_round_idx" ON "round_items" USING btree ("round_id");--> statement-breakpoint
CREATE INDEX "rounds_project_idx" ON "rounds" USING btree ("project_id");
CREATE TYPE "public"."survey_channel" AS ENUM('online', 'paper');--> statement-breakpoint
CREATE TYPE "public"."survey_mode" AS ENUM('household', 'resident');--> statement-breakpoint
CREATE TYPE "public"."survey_question_kind" AS ENUM('rating', 'single', 'multiple', 'text');--> statement-breakpoint
CREATE TYPE "public"."survey_status" AS ENUM('draft', 'open', 'closed');--> statement-breakpoint
CREATE TYPE "public"."survey_text_state" AS ENUM('pending', 'published', 'hidden');--> statement-breakpoint
CREATE TABLE "survey_answers" (
	"response_id" bigint NOT NULL,
	"survey_id" integer NOT NULL,
	"question_id" integer NOT NULL,
	"value" smallint NOT NULL,
	"text" text,
	"text_state" "survey_text_state",
	"moderated_by" text,
	CONSTRAINT "survey_answers_response_id_question_id_value_pk" PRIMARY KEY("response_id","question_id","value"),
	CONSTRAINT "survey_answers_value_ck" CHECK ("survey_answers"."value" between 0 and 100),
	CONSTRAINT "survey_answers_text_ck" CHECK (("survey_answers"."text" is null) = ("survey_answers"."text_state" is null))
);
--> statement-breakpoint
CREATE TABLE "survey_households" (
	"survey_id" integer NOT NULL,
	"household_id" integer NOT NULL,
	"compound_id" integer NOT NULL,
	"building_id" integer NOT NULL,
	CONSTRAINT "survey_households_survey_id_household_id_pk" PRIMARY KEY("survey_id","household_id")
);
--> statement-breakpoint
CREATE TABLE "survey_questions" (
	"id" serial PRIMARY KEY NOT NULL,
	"survey_id" integer NOT NULL,
	"section_id" integer,
	"kind" "survey_question_kind" NOT NULL,
	"prompt" text NOT NULL,
	"prompt_en" text DEFAULT '' NOT NULL,
	"required" boolean DEFAULT true NOT NULL,
	"sort" smallint DEFAULT 0 NOT NULL,
	"options" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"min_choices" smallint,
	"max_choices" smallint,
	"max_length" smallint,
	"role" text,
	"plan_item_id" integer,
	CONSTRAINT "survey_questions_role_ck" CHECK ("survey_questions"."role" is null or "survey_questions"."role" in ('item', 'overall', 'recommend')),
	CONSTRAINT "survey_questions_choices_ck" CHECK ("survey_questions"."min_choices" is null or "survey_questions"."max_choices" is null or ("survey_questions"."min_choices" >= 0 and "survey_questions"."max_choices" >= greatest("survey_questions"."min_choices", 1))),
	CONSTRAINT "survey_questions_length_ck" CHECK ("survey_questions"."max_length" is null or "survey_questions"."max_length" between 1 and 4000)
);
--> statement-breakpoint
CREATE TABLE "survey_responses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"survey_id" integer NOT NULL,
	"respondent_key" text NOT NULL,
	"household_id" integer NOT NULL,
	"building_id" integer NOT NULL,
	"user_id" text,
	"channel" "survey_channel" NOT NULL,
	"entered_by" text,
	"photo_image_id" text,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_responses_respondent_uq" UNIQUE("survey_id","respondent_key"),
	CONSTRAINT "survey_responses_paper_ck" CHECK ("survey_responses"."channel" = 'online' or ("survey_responses"."entered_by" is not null and "survey_responses"."photo_image_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "survey_results" (
	"id" serial PRIMARY KEY NOT NULL,
	"survey_id" integer NOT NULL,
	"project_id" integer NOT NULL,
	"version" smallint NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"snapshot" jsonb NOT NULL,
	"digest" text NOT NULL,
	"responses" integer NOT NULL,
	"households" integer NOT NULL,
	"responded_households" integer NOT NULL,
	"satisfied_count" integer,
	"valid_count" integer,
	"published_by" text,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_results_version_uq" UNIQUE("survey_id","version"),
	CONSTRAINT "survey_results_version_ck" CHECK ("survey_results"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "survey_sections" (
	"id" serial PRIMARY KEY NOT NULL,
	"survey_id" integer NOT NULL,
	"title" text NOT NULL,
	"title_en" text DEFAULT '' NOT NULL,
	"sort" smallint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"title" text NOT NULL,
	"title_en" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"mode" "survey_mode" DEFAULT 'household' NOT NULL,
	"anonymous" boolean DEFAULT true NOT NULL,
	"status" "survey_status" DEFAULT 'draft' NOT NULL,
	"published_at" timestamp with time zone,
	"closes_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"scope_households" integer DEFAULT 0 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "surveys_published_ck" CHECK ("surveys"."status" = 'draft' or ("surveys"."published_at" is not null and "surveys"."closes_at" is not null)),
	CONSTRAINT "surveys_closed_ck" CHECK ("surveys"."status" <> 'closed' or "surveys"."closed_at" is not null)
);
--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_response_id_survey_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."survey_responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_question_id_survey_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."survey_questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_moderated_by_users_id_fk" FOREIGN KEY ("moderated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_households" ADD CONSTRAINT "survey_households_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_households" ADD CONSTRAINT "survey_households_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_households" ADD CONSTRAINT "survey_households_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_households" ADD CONSTRAINT "survey_households_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_questions" ADD CONSTRAINT "survey_questions_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_questions" ADD CONSTRAINT "survey_questions_section_id_survey_sections_id_fk" FOREIGN KEY ("section_id") REFERENCES "public"."survey_sections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_questions" ADD CONSTRAINT "survey_questions_plan_item_id_plan_items_id_fk" FOREIGN KEY ("plan_item_id") REFERENCES "public"."plan_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_photo_image_id_images_id_fk" FOREIGN KEY ("photo_image_id") REFERENCES "public"."images"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_results" ADD CONSTRAINT "survey_results_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_results" ADD CONSTRAINT "survey_results_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_results" ADD CONSTRAINT "survey_results_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_sections" ADD CONSTRAINT "survey_sections_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "survey_answers_question_idx" ON "survey_answers" USING btree ("survey_id","question_id","value");--> statement-breakpoint
CREATE INDEX "survey_households_building_idx" ON "survey_households" USING btree ("survey_id","building_id");--> statement-breakpoint
CREATE INDEX "survey_questions_survey_idx" ON "survey_questions" USING btree ("survey_id","sort");--> statement-breakpoint
CREATE INDEX "survey_responses_household_idx" ON "survey_responses" USING btree ("survey_id","household_id");--> statement-breakpoint
CREATE INDEX "survey_results_project_idx" ON "survey_results" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "survey_sections_survey_idx" ON "survey_sections" USING btree ("survey_id");--> statement-breakpoint
CREATE INDEX "surveys_project_idx" ON "surveys" USING btree ("project_id");
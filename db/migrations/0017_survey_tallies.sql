CREATE TYPE "public"."survey_tally_counter" AS ENUM('scope', 'responses', 'households', 'answered', 'value');--> statement-breakpoint
CREATE TABLE "survey_tallies" (
	"survey_id" integer NOT NULL,
	"building_id" integer NOT NULL,
	"counter" "survey_tally_counter" NOT NULL,
	"question_id" integer NOT NULL,
	"value" smallint NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "survey_tallies_survey_id_building_id_counter_question_id_value_pk" PRIMARY KEY("survey_id","building_id","counter","question_id","value"),
	CONSTRAINT "survey_tallies_n_ck" CHECK ("survey_tallies"."n" >= 0)
);
--> statement-breakpoint
ALTER TABLE "survey_tallies" ADD CONSTRAINT "survey_tallies_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "survey_answers_published_text_idx" ON "survey_answers" USING btree ("survey_id","question_id","text") WHERE "survey_answers"."text_state" = 'published';
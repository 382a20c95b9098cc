CREATE TYPE "public"."visit_outcome" AS ENUM('opinion_taken', 'not_home', 'refused', 'moved_out', 'come_back');--> statement-breakpoint
CREATE TABLE "door_visits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"household_id" integer NOT NULL,
	"outcome" "visit_outcome" NOT NULL,
	"come_back_on" date,
	"note" text DEFAULT '' NOT NULL,
	"visited_by" text NOT NULL,
	"visited_at" timestamp with time zone DEFAULT now() NOT NULL,
	"idempotency_key" text NOT NULL,
	CONSTRAINT "door_visits_note_ck" CHECK (length("door_visits"."note") <= 500),
	CONSTRAINT "door_visits_key_ck" CHECK (length("door_visits"."idempotency_key") between 16 and 64),
	CONSTRAINT "door_visits_come_back_ck" CHECK (("door_visits"."outcome" = 'come_back') = ("door_visits"."come_back_on" is not null))
);
--> statement-breakpoint
ALTER TABLE "door_visits" ADD CONSTRAINT "door_visits_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "door_visits" ADD CONSTRAINT "door_visits_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "door_visits" ADD CONSTRAINT "door_visits_visited_by_users_id_fk" FOREIGN KEY ("visited_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "door_visits_key_uq" ON "door_visits" USING btree ("visited_by","idempotency_key");--> statement-breakpoint
CREATE INDEX "door_visits_round_idx" ON "door_visits" USING btree ("round_id","household_id","visited_at");
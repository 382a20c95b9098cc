CREATE TABLE "opinion_revisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"opinion_id" integer NOT NULL,
	"kind" text NOT NULL,
	"body" text NOT NULL,
	"alignment" "alignment" NOT NULL,
	"replaced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opinion_revisions_kind_ck" CHECK ("opinion_revisions"."kind" in ('edit', 'withdraw'))
);
--> statement-breakpoint
ALTER TABLE "opinions" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "opinions" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "opinion_revisions" ADD CONSTRAINT "opinion_revisions_opinion_id_opinions_id_fk" FOREIGN KEY ("opinion_id") REFERENCES "public"."opinions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "opinion_revisions_opinion_idx" ON "opinion_revisions" USING btree ("opinion_id");
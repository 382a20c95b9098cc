CREATE TYPE "public"."disposition" AS ENUM('adopted', 'partly_adopted', 'not_adopted', 'noted');--> statement-breakpoint
CREATE TYPE "public"."moderation_cause" AS ENUM('premoderation', 'words', 'reports');--> statement-breakpoint
CREATE TABLE "comment_blocks" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"community_id" integer NOT NULL,
	"opinion_id" integer,
	"reason" text NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lifted_at" timestamp with time zone,
	"lifted_by" text,
	CONSTRAINT "comment_blocks_reason_ck" CHECK (length("comment_blocks"."reason") between 1 and 200),
	CONSTRAINT "comment_blocks_ends_ck" CHECK ("comment_blocks"."ends_at" > "comment_blocks"."created_at")
);
--> statement-breakpoint
CREATE TABLE "moderation_flags" (
	"opinion_id" integer PRIMARY KEY NOT NULL,
	"community_id" integer NOT NULL,
	"project_id" integer NOT NULL,
	"cause" "moderation_cause" NOT NULL,
	"matched" text[] DEFAULT '{}'::text[] NOT NULL,
	"flagged_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" text,
	"reviewed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "offline_opinions" (
	"opinion_id" integer PRIMARY KEY NOT NULL,
	"recorded_by" text NOT NULL,
	"received_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opinion_answer_revisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"answer_id" integer NOT NULL,
	"revision" smallint NOT NULL,
	"disposition" "disposition" NOT NULL,
	"body" text NOT NULL,
	"edited_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opinion_answer_revisions_uq" UNIQUE("answer_id","revision")
);
--> statement-breakpoint
CREATE TABLE "opinion_answers" (
	"id" serial PRIMARY KEY NOT NULL,
	"opinion_id" integer NOT NULL,
	"disposition" "disposition" NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"revision" smallint DEFAULT 1 NOT NULL,
	"answered_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opinion_answers_opinion_id_unique" UNIQUE("opinion_id"),
	CONSTRAINT "opinion_answers_body_ck" CHECK (length("opinion_answers"."body") <= 2000),
	CONSTRAINT "opinion_answers_reason_ck" CHECK ("opinion_answers"."disposition" <> 'not_adopted' or length(btrim("opinion_answers"."body")) > 0),
	CONSTRAINT "opinion_answers_revision_ck" CHECK ("opinion_answers"."revision" >= 1)
);
--> statement-breakpoint
CREATE TABLE "sensitive_words" (
	"id" serial PRIMARY KEY NOT NULL,
	"pattern" text NOT NULL,
	"normalised" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sensitive_words_normalised_unique" UNIQUE("normalised"),
	CONSTRAINT "sensitive_words_pattern_ck" CHECK (length("sensitive_words"."pattern") between 1 and 60)
);
--> statement-breakpoint
ALTER TABLE "comment_blocks" ADD CONSTRAINT "comment_blocks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comment_blocks" ADD CONSTRAINT "comment_blocks_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comment_blocks" ADD CONSTRAINT "comment_blocks_opinion_id_opinions_id_fk" FOREIGN KEY ("opinion_id") REFERENCES "public"."opinions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comment_blocks" ADD CONSTRAINT "comment_blocks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comment_blocks" ADD CONSTRAINT "comment_blocks_lifted_by_users_id_fk" FOREIGN KEY ("lifted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_flags" ADD CONSTRAINT "moderation_flags_opinion_id_opinions_id_fk" FOREIGN KEY ("opinion_id") REFERENCES "public"."opinions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_flags" ADD CONSTRAINT "moderation_flags_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_flags" ADD CONSTRAINT "moderation_flags_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_flags" ADD CONSTRAINT "moderation_flags_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offline_opinions" ADD CONSTRAINT "offline_opinions_opinion_id_opinions_id_fk" FOREIGN KEY ("opinion_id") REFERENCES "public"."opinions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offline_opinions" ADD CONSTRAINT "offline_opinions_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_answer_revisions" ADD CONSTRAINT "opinion_answer_revisions_answer_id_opinion_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."opinion_answers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_answer_revisions" ADD CONSTRAINT "opinion_answer_revisions_edited_by_users_id_fk" FOREIGN KEY ("edited_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_answers" ADD CONSTRAINT "opinion_answers_opinion_id_opinions_id_fk" FOREIGN KEY ("opinion_id") REFERENCES "public"."opinions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_answers" ADD CONSTRAINT "opinion_answers_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sensitive_words" ADD CONSTRAINT "sensitive_words_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "comment_blocks_user_idx" ON "comment_blocks" USING btree ("user_id","community_id");--> statement-breakpoint
CREATE INDEX "moderation_flags_open_idx" ON "moderation_flags" USING btree ("community_id","flagged_at") WHERE "moderation_flags"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "moderation_flags_project_idx" ON "moderation_flags" USING btree ("project_id");
CREATE TYPE "public"."image_format" AS ENUM('avif', 'webp', 'jpeg');--> statement-breakpoint
CREATE TYPE "public"."image_status" AS ENUM('processing', 'ready');--> statement-breakpoint
CREATE TYPE "public"."cost_split" AS ENUM('area', 'equal');--> statement-breakpoint
CREATE TYPE "public"."plan_status" AS ENUM('draft', 'open', 'closed', 'superseded', 'final');--> statement-breakpoint
CREATE TYPE "public"."alignment" AS ENUM('support', 'object', 'neutral');--> statement-breakpoint
CREATE TYPE "public"."opinion_channel" AS ENUM('online', 'meeting', 'phone', 'paper');--> statement-breakpoint
CREATE TYPE "public"."opinion_state" AS ENUM('pending', 'published', 'hidden', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."report_reason" AS ENUM('spam', 'abusive', 'personal_info', 'off_topic', 'other');--> statement-breakpoint
CREATE TABLE "image_variants" (
	"image_id" text NOT NULL,
	"format" "image_format" NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"hash" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"byte_length" integer NOT NULL,
	CONSTRAINT "image_variants_image_id_format_width_pk" PRIMARY KEY("image_id","format","width"),
	CONSTRAINT "image_variants_hash_ck" CHECK ("image_variants"."hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "images" (
	"id" text PRIMARY KEY NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"placeholder" text NOT NULL,
	"original" "bytea" NOT NULL,
	"original_type" text NOT NULL,
	"status" "image_status" DEFAULT 'processing' NOT NULL,
	"uploaded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "images_id_ck" CHECK ("images"."id" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "images_size_ck" CHECK ("images"."width" > 0 and "images"."height" > 0)
);
--> statement-breakpoint
CREATE TABLE "attachments" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_version_id" integer NOT NULL,
	"title" text NOT NULL,
	"hash" text NOT NULL,
	"content_type" text NOT NULL,
	"byte_length" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"uploaded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attachments_type_ck" CHECK ("attachments"."content_type" = 'application/pdf')
);
--> statement-breakpoint
CREATE TABLE "plan_changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_version_id" integer NOT NULL,
	"text" text NOT NULL,
	"text_en" text DEFAULT '' NOT NULL,
	"sort" smallint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_version_id" integer NOT NULL,
	"item_id" integer NOT NULL,
	"building_id" integer,
	"description" text DEFAULT '' NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"cost_yuan" numeric(14, 2) NOT NULL,
	"government_yuan" numeric(14, 2) NOT NULL,
	"resident_yuan" numeric(14, 2) NOT NULL,
	"split" "cost_split" DEFAULT 'area' NOT NULL,
	"sort" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "plan_items_money_ck" CHECK ("plan_items"."cost_yuan" >= 0 and "plan_items"."government_yuan" >= 0 and "plan_items"."resident_yuan" >= 0 and "plan_items"."government_yuan" + "plan_items"."resident_yuan" <= "plan_items"."cost_yuan")
);
--> statement-breakpoint
CREATE TABLE "plan_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"number" smallint NOT NULL,
	"title" text NOT NULL,
	"title_en" text DEFAULT '' NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"body_en" text DEFAULT '' NOT NULL,
	"status" "plan_status" DEFAULT 'draft' NOT NULL,
	"comment_opens_at" timestamp with time zone,
	"comment_closes_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plan_versions_number_uq" UNIQUE("project_id","number"),
	CONSTRAINT "plan_versions_number_ck" CHECK ("plan_versions"."number" >= 1),
	CONSTRAINT "plan_versions_window_ck" CHECK ("plan_versions"."comment_closes_at" is null or "plan_versions"."comment_opens_at" is null or "plan_versions"."comment_closes_at" > "plan_versions"."comment_opens_at"),
	CONSTRAINT "plan_versions_published_ck" CHECK ("plan_versions"."status" = 'draft' or ("plan_versions"."published_at" is not null and "plan_versions"."comment_opens_at" is not null and "plan_versions"."comment_closes_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "renderings" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_version_id" integer NOT NULL,
	"before_image_id" text NOT NULL,
	"after_image_id" text NOT NULL,
	"caption" text NOT NULL,
	"caption_en" text DEFAULT '' NOT NULL,
	"building_id" integer,
	"spot" text DEFAULT '' NOT NULL,
	"sort" smallint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opinion_reactions" (
	"opinion_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opinion_reactions_opinion_id_user_id_pk" PRIMARY KEY("opinion_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "opinion_reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"opinion_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"reason" "report_reason" NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opinion_reports_uq" UNIQUE("opinion_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "opinions" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_version_id" integer NOT NULL,
	"rendering_id" integer,
	"plan_item_id" integer,
	"parent_id" integer,
	"author_id" text,
	"household_id" integer,
	"author_building" text DEFAULT '' NOT NULL,
	"alignment" "alignment" DEFAULT 'neutral' NOT NULL,
	"body" text NOT NULL,
	"state" "opinion_state" DEFAULT 'published' NOT NULL,
	"state_reason" text DEFAULT '' NOT NULL,
	"channel" "opinion_channel" DEFAULT 'online' NOT NULL,
	"me_too_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opinions_body_ck" CHECK (length("opinions"."body") between 1 and 2000),
	CONSTRAINT "opinions_target_ck" CHECK (num_nonnulls("opinions"."rendering_id", "opinions"."plan_item_id") <= 1),
	CONSTRAINT "opinions_me_too_ck" CHECK ("opinions"."me_too_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "plan_change_opinions" (
	"change_id" integer NOT NULL,
	"opinion_id" integer NOT NULL,
	CONSTRAINT "plan_change_opinions_change_id_opinion_id_pk" PRIMARY KEY("change_id","opinion_id")
);
--> statement-breakpoint
ALTER TABLE "image_variants" ADD CONSTRAINT "image_variants_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "images" ADD CONSTRAINT "images_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_plan_version_id_plan_versions_id_fk" FOREIGN KEY ("plan_version_id") REFERENCES "public"."plan_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_changes" ADD CONSTRAINT "plan_changes_plan_version_id_plan_versions_id_fk" FOREIGN KEY ("plan_version_id") REFERENCES "public"."plan_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_plan_version_id_plan_versions_id_fk" FOREIGN KEY ("plan_version_id") REFERENCES "public"."plan_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_item_id_renovation_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."renovation_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_versions" ADD CONSTRAINT "plan_versions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_versions" ADD CONSTRAINT "plan_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "renderings" ADD CONSTRAINT "renderings_plan_version_id_plan_versions_id_fk" FOREIGN KEY ("plan_version_id") REFERENCES "public"."plan_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "renderings" ADD CONSTRAINT "renderings_before_image_id_images_id_fk" FOREIGN KEY ("before_image_id") REFERENCES "public"."images"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "renderings" ADD CONSTRAINT "renderings_after_image_id_images_id_fk" FOREIGN KEY ("after_image_id") REFERENCES "public"."images"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "renderings" ADD CONSTRAINT "renderings_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_reactions" ADD CONSTRAINT "opinion_reactions_opinion_id_opinions_id_fk" FOREIGN KEY ("opinion_id") REFERENCES "public"."opinions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_reactions" ADD CONSTRAINT "opinion_reactions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_reports" ADD CONSTRAINT "opinion_reports_opinion_id_opinions_id_fk" FOREIGN KEY ("opinion_id") REFERENCES "public"."opinions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinion_reports" ADD CONSTRAINT "opinion_reports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinions" ADD CONSTRAINT "opinions_plan_version_id_plan_versions_id_fk" FOREIGN KEY ("plan_version_id") REFERENCES "public"."plan_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinions" ADD CONSTRAINT "opinions_rendering_id_renderings_id_fk" FOREIGN KEY ("rendering_id") REFERENCES "public"."renderings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinions" ADD CONSTRAINT "opinions_plan_item_id_plan_items_id_fk" FOREIGN KEY ("plan_item_id") REFERENCES "public"."plan_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinions" ADD CONSTRAINT "opinions_parent_id_opinions_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."opinions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinions" ADD CONSTRAINT "opinions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinions" ADD CONSTRAINT "opinions_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_change_opinions" ADD CONSTRAINT "plan_change_opinions_change_id_plan_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."plan_changes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_change_opinions" ADD CONSTRAINT "plan_change_opinions_opinion_id_opinions_id_fk" FOREIGN KEY ("opinion_id") REFERENCES "public"."opinions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "image_variants_hash_idx" ON "image_variants" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "plan_changes_version_idx" ON "plan_changes" USING btree ("plan_version_id");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_items_uq" ON "plan_items" USING btree ("plan_version_id","item_id",coalesce("building_id", 0));--> statement-breakpoint
CREATE INDEX "plan_items_version_idx" ON "plan_items" USING btree ("plan_version_id");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_versions_one_final_uq" ON "plan_versions" USING btree ("project_id") WHERE "plan_versions"."status" = 'final';--> statement-breakpoint
CREATE INDEX "renderings_version_idx" ON "renderings" USING btree ("plan_version_id");--> statement-breakpoint
CREATE INDEX "opinion_reports_opinion_idx" ON "opinion_reports" USING btree ("opinion_id");--> statement-breakpoint
CREATE INDEX "opinions_version_idx" ON "opinions" USING btree ("plan_version_id","state","created_at");--> statement-breakpoint
CREATE INDEX "opinions_parent_idx" ON "opinions" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "opinions_author_idx" ON "opinions" USING btree ("author_id");
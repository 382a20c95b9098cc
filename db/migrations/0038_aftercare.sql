CREATE TYPE "public"."repair_category" AS ENUM('safety', 'leak', 'facility', 'appearance');--> statement-breakpoint
CREATE TYPE "public"."repair_party" AS ENUM('contractor', 'property_manager');--> statement-breakpoint
CREATE TYPE "public"."repair_status" AS ENUM('open', 'in_progress', 'closed');--> statement-breakpoint
CREATE TABLE "repair_photos" (
	"request_id" integer NOT NULL,
	"image_id" text NOT NULL,
	"sort" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "repair_photos_request_id_image_id_pk" PRIMARY KEY("request_id","image_id")
);
--> statement-breakpoint
CREATE TABLE "repair_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"warranty_item_id" integer NOT NULL,
	"reporter_id" text,
	"category" "repair_category" NOT NULL,
	"body" text NOT NULL,
	"building_id" integer,
	"unit_label" text DEFAULT '' NOT NULL,
	"party" "repair_party" NOT NULL,
	"party_name" text DEFAULT '' NOT NULL,
	"due_on" date NOT NULL,
	"status" "repair_status" DEFAULT 'open' NOT NULL,
	"answer" text DEFAULT '' NOT NULL,
	"answered_by" text,
	"closed_at" timestamp with time zone,
	"closed_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "repair_requests_close_ck" CHECK (("repair_requests"."status" = 'closed') = ("repair_requests"."closed_at" is not null and "repair_requests"."closed_on" is not null) and ("repair_requests"."status" = 'open' or length("repair_requests"."answer") > 0))
);
--> statement-breakpoint
CREATE TABLE "warranty_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"acceptance_id" integer NOT NULL,
	"item_progress_id" integer NOT NULL,
	"contractor" text NOT NULL,
	"months" smallint NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"recorded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "warranty_items_item_progress_id_unique" UNIQUE("item_progress_id"),
	CONSTRAINT "warranty_items_months_ck" CHECK ("warranty_items"."months" between 1 and 120),
	CONSTRAINT "warranty_items_dates_ck" CHECK ("warranty_items"."ends_on" > "warranty_items"."starts_on")
);
--> statement-breakpoint
ALTER TABLE "repair_photos" ADD CONSTRAINT "repair_photos_request_id_repair_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."repair_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_photos" ADD CONSTRAINT "repair_photos_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."images"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_requests" ADD CONSTRAINT "repair_requests_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_requests" ADD CONSTRAINT "repair_requests_warranty_item_id_warranty_items_id_fk" FOREIGN KEY ("warranty_item_id") REFERENCES "public"."warranty_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_requests" ADD CONSTRAINT "repair_requests_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_requests" ADD CONSTRAINT "repair_requests_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_requests" ADD CONSTRAINT "repair_requests_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warranty_items" ADD CONSTRAINT "warranty_items_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warranty_items" ADD CONSTRAINT "warranty_items_acceptance_id_acceptance_records_id_fk" FOREIGN KEY ("acceptance_id") REFERENCES "public"."acceptance_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warranty_items" ADD CONSTRAINT "warranty_items_item_progress_id_item_progress_id_fk" FOREIGN KEY ("item_progress_id") REFERENCES "public"."item_progress"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warranty_items" ADD CONSTRAINT "warranty_items_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "repair_requests_project_idx" ON "repair_requests" USING btree ("project_id","status");--> statement-breakpoint
CREATE INDEX "repair_requests_reporter_idx" ON "repair_requests" USING btree ("reporter_id");--> statement-breakpoint
CREATE INDEX "warranty_items_project_idx" ON "warranty_items" USING btree ("project_id");
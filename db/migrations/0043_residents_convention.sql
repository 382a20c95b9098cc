CREATE TYPE "public"."convention_channel" AS ENUM('online', 'paper');--> statement-breakpoint
CREATE TABLE "convention_confirmations" (
	"id" serial PRIMARY KEY NOT NULL,
	"version_id" integer NOT NULL,
	"household_id" integer NOT NULL,
	"channel" "convention_channel" NOT NULL,
	"recorded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "convention_confirmations_household_uq" UNIQUE("version_id","household_id")
);
--> statement-breakpoint
CREATE TABLE "convention_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"body_en" text DEFAULT '' NOT NULL,
	"published_by" text,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "convention_versions_version_uq" UNIQUE("project_id","version"),
	CONSTRAINT "convention_versions_version_ck" CHECK ("convention_versions"."version" >= 1)
);
--> statement-breakpoint
ALTER TABLE "convention_confirmations" ADD CONSTRAINT "convention_confirmations_version_id_convention_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."convention_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convention_confirmations" ADD CONSTRAINT "convention_confirmations_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convention_confirmations" ADD CONSTRAINT "convention_confirmations_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convention_versions" ADD CONSTRAINT "convention_versions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convention_versions" ADD CONSTRAINT "convention_versions_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "convention_confirmations_household_idx" ON "convention_confirmations" USING btree ("household_id");
CREATE TYPE "public"."property_model" AS ENUM('enterprise', 'self_governed', 'community_trust');--> statement-breakpoint
CREATE TABLE "property_management_records" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"version" integer NOT NULL,
	"model" "property_model" NOT NULL,
	"manager" text NOT NULL,
	"contract_start" date NOT NULL,
	"contract_end" date,
	"fee_per_sqm" numeric(6, 2) NOT NULL,
	"contact" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"recorded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "property_management_records_version_uq" UNIQUE("project_id","version"),
	CONSTRAINT "property_management_records_version_ck" CHECK ("property_management_records"."version" >= 1),
	CONSTRAINT "property_management_records_fee_ck" CHECK ("property_management_records"."fee_per_sqm" >= 0),
	CONSTRAINT "property_management_records_contract_ck" CHECK ("property_management_records"."contract_end" is null or "property_management_records"."contract_end" > "property_management_records"."contract_start")
);
--> statement-breakpoint
ALTER TABLE "property_management_records" ADD CONSTRAINT "property_management_records_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_management_records" ADD CONSTRAINT "property_management_records_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
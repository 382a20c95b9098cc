CREATE TYPE "public"."occupancy" AS ENUM('owner_occupied', 'rented', 'vacant');--> statement-breakpoint
CREATE TYPE "public"."subdistrict_kind" AS ENUM('street', 'town');--> statement-breakpoint
CREATE TYPE "public"."staff_role" AS ENUM('admin', 'officer', 'moderator');--> statement-breakpoint
CREATE TYPE "public"."user_kind" AS ENUM('resident', 'staff');--> statement-breakpoint
CREATE TYPE "public"."item_category" AS ENUM('basic', 'improvement', 'upgrade');--> statement-breakpoint
CREATE TYPE "public"."item_scope" AS ENUM('building', 'public');--> statement-breakpoint
CREATE TYPE "public"."moderation_mode" AS ENUM('pre', 'post');--> statement-breakpoint
CREATE TYPE "public"."project_stage" AS ENUM('survey', 'consultation', 'design', 'notice', 'construction', 'acceptance', 'evaluation', 'maintenance');--> statement-breakpoint
CREATE TABLE "buildings" (
	"id" serial PRIMARY KEY NOT NULL,
	"compound_id" integer NOT NULL,
	"number" text NOT NULL,
	"floors" smallint NOT NULL,
	"has_elevator" boolean DEFAULT false NOT NULL,
	CONSTRAINT "buildings_number_uq" UNIQUE("compound_id","number"),
	CONSTRAINT "buildings_floors_ck" CHECK ("buildings"."floors" between 1 and 60)
);
--> statement-breakpoint
CREATE TABLE "communities" (
	"id" serial PRIMARY KEY NOT NULL,
	"subdistrict_id" integer NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	CONSTRAINT "communities_name_uq" UNIQUE("subdistrict_id","name")
);
--> statement-breakpoint
CREATE TABLE "compounds" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_id" integer NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"built_year" smallint,
	CONSTRAINT "compounds_name_uq" UNIQUE("community_id","name"),
	CONSTRAINT "compounds_built_year_ck" CHECK ("compounds"."built_year" is null or "compounds"."built_year" between 1900 and 2100)
);
--> statement-breakpoint
CREATE TABLE "districts" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	CONSTRAINT "districts_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "households" (
	"id" serial PRIMARY KEY NOT NULL,
	"unit_id" integer NOT NULL,
	"building_id" integer NOT NULL,
	"compound_id" integer NOT NULL,
	"room" text NOT NULL,
	"floor" smallint NOT NULL,
	"area_m2" numeric(10, 2) NOT NULL,
	"occupancy" "occupancy" DEFAULT 'owner_occupied' NOT NULL,
	"owner_key" text NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "households_room_uq" UNIQUE("unit_id","room"),
	CONSTRAINT "households_area_ck" CHECK ("households"."area_m2" > 0 and "households"."area_m2" <= 1000),
	CONSTRAINT "households_floor_ck" CHECK ("households"."floor" between -5 and 100),
	CONSTRAINT "households_owner_key_ck" CHECK (length("households"."owner_key") between 8 and 128)
);
--> statement-breakpoint
CREATE TABLE "subdistricts" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"kind" "subdistrict_kind" DEFAULT 'street' NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	CONSTRAINT "subdistricts_name_uq" UNIQUE("district_id","name")
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" serial PRIMARY KEY NOT NULL,
	"building_id" integer NOT NULL,
	"number" text NOT NULL,
	CONSTRAINT "units_number_uq" UNIQUE("building_id","number")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_roles" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"role" "staff_role" NOT NULL,
	CONSTRAINT "staff_roles_uq" UNIQUE("user_id","role")
);
--> statement-breakpoint
CREATE TABLE "staff_scopes" (
	"id" serial PRIMARY KEY NOT NULL,
	"staff_role_id" integer NOT NULL,
	"community_id" integer,
	"project_id" integer,
	CONSTRAINT "staff_scopes_one_target_ck" CHECK (num_nonnulls("staff_scopes"."community_id", "staff_scopes"."project_id") = 1)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" "user_kind" NOT NULL,
	"phone" text,
	"username" text,
	"password_hash" text,
	"display_name" text DEFAULT '' NOT NULL,
	"locale" text DEFAULT 'zh-CN' NOT NULL,
	"disabled_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_phone_ck" CHECK ("users"."phone" is null or "users"."phone" ~ '^\+861[3-9][0-9]{9}$'),
	CONSTRAINT "users_kind_ck" CHECK (("users"."kind" = 'resident' and "users"."username" is null) or ("users"."kind" = 'staff' and "users"."username" is not null)),
	CONSTRAINT "users_locale_ck" CHECK ("users"."locale" in ('zh-CN', 'en'))
);
--> statement-breakpoint
CREATE TABLE "project_compounds" (
	"project_id" integer NOT NULL,
	"compound_id" integer NOT NULL,
	CONSTRAINT "project_compounds_project_id_compound_id_pk" PRIMARY KEY("project_id","compound_id")
);
--> statement-breakpoint
CREATE TABLE "project_stages" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"stage" "project_stage" NOT NULL,
	"planned_start" date,
	"planned_end" date,
	"actual_start" date,
	"actual_end" date,
	CONSTRAINT "project_stages_uq" UNIQUE("project_id","stage"),
	CONSTRAINT "project_stages_planned_ck" CHECK ("project_stages"."planned_end" is null or "project_stages"."planned_start" is null or "project_stages"."planned_end" >= "project_stages"."planned_start"),
	CONSTRAINT "project_stages_actual_ck" CHECK ("project_stages"."actual_end" is null or "project_stages"."actual_start" is null or "project_stages"."actual_end" >= "project_stages"."actual_start")
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"community_id" integer NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"summary_en" text DEFAULT '' NOT NULL,
	"stage" "project_stage" DEFAULT 'survey' NOT NULL,
	"year" smallint NOT NULL,
	"investment_yuan" numeric(14, 2) DEFAULT '0' NOT NULL,
	"moderation" "moderation_mode" DEFAULT 'post' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "projects_slug_unique" UNIQUE("slug"),
	CONSTRAINT "projects_slug_ck" CHECK ("projects"."slug" ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
	CONSTRAINT "projects_year_ck" CHECK ("projects"."year" between 2000 and 2100),
	CONSTRAINT "projects_investment_ck" CHECK ("projects"."investment_yuan" >= 0)
);
--> statement-breakpoint
CREATE TABLE "renovation_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"category" "item_category" NOT NULL,
	"scope" "item_scope" NOT NULL,
	"must_do" boolean NOT NULL,
	"special_matter" boolean DEFAULT false NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"sort" smallint NOT NULL,
	CONSTRAINT "renovation_items_code_unique" UNIQUE("code"),
	CONSTRAINT "renovation_items_must_do_ck" CHECK (not "renovation_items"."must_do" or "renovation_items"."category" = 'basic')
);
--> statement-breakpoint
ALTER TABLE "buildings" ADD CONSTRAINT "buildings_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communities" ADD CONSTRAINT "communities_subdistrict_id_subdistricts_id_fk" FOREIGN KEY ("subdistrict_id") REFERENCES "public"."subdistricts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compounds" ADD CONSTRAINT "compounds_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subdistricts" ADD CONSTRAINT "subdistricts_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_roles" ADD CONSTRAINT "staff_roles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_scopes" ADD CONSTRAINT "staff_scopes_staff_role_id_staff_roles_id_fk" FOREIGN KEY ("staff_role_id") REFERENCES "public"."staff_roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_scopes" ADD CONSTRAINT "staff_scopes_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_scopes" ADD CONSTRAINT "staff_scopes_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_compounds" ADD CONSTRAINT "project_compounds_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_compounds" ADD CONSTRAINT "project_compounds_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_stages" ADD CONSTRAINT "project_stages_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "households_building_idx" ON "households" USING btree ("building_id");--> statement-breakpoint
CREATE INDEX "households_compound_idx" ON "households" USING btree ("compound_id");--> statement-breakpoint
CREATE INDEX "households_owner_key_idx" ON "households" USING btree ("owner_key");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_scopes_community_uq" ON "staff_scopes" USING btree ("staff_role_id","community_id") WHERE "staff_scopes"."community_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "staff_scopes_project_uq" ON "staff_scopes" USING btree ("staff_role_id","project_id") WHERE "staff_scopes"."project_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "users_phone_uq" ON "users" USING btree ("phone");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_uq" ON "users" USING btree (lower("username"));--> statement-breakpoint
CREATE INDEX "project_compounds_compound_idx" ON "project_compounds" USING btree ("compound_id");--> statement-breakpoint
CREATE INDEX "projects_community_idx" ON "projects" USING btree ("community_id");
CREATE TYPE "public"."agreement_channel" AS ENUM('online', 'paper');--> statement-breakpoint
CREATE TYPE "public"."explainer_kind" AS ENUM('explainer', 'faq');--> statement-breakpoint
CREATE TYPE "public"."supervisor_status" AS ENUM('volunteer', 'member', 'withdrawn');--> statement-breakpoint
CREATE TABLE "acceptance_signatures" (
	"record_id" integer NOT NULL,
	"supervisor_id" integer NOT NULL,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "acceptance_signatures_record_id_supervisor_id_pk" PRIMARY KEY("record_id","supervisor_id")
);
--> statement-breakpoint
CREATE TABLE "agreements" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_version_id" integer NOT NULL,
	"household_id" integer NOT NULL,
	"channel" "agreement_channel" NOT NULL,
	"share_yuan" numeric(14, 2) NOT NULL,
	"confirmed_by" text,
	"scan_image_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agreements_household_uq" UNIQUE("plan_version_id","household_id"),
	CONSTRAINT "agreements_paper_ck" CHECK ("agreements"."channel" = 'online' or "agreements"."scan_image_id" is not null),
	CONSTRAINT "agreements_share_ck" CHECK ("agreements"."share_yuan" >= 0)
);
--> statement-breakpoint
CREATE TABLE "inspection_notes" (
	"id" serial PRIMARY KEY NOT NULL,
	"supervisor_id" integer NOT NULL,
	"project_id" integer NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_explainers" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer,
	"project_id" integer,
	"kind" "explainer_kind" NOT NULL,
	"title" text NOT NULL,
	"title_en" text DEFAULT '' NOT NULL,
	"body" text NOT NULL,
	"body_en" text DEFAULT '' NOT NULL,
	"sort" smallint DEFAULT 0 NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policy_explainers_owner_ck" CHECK (num_nonnulls("policy_explainers"."district_id", "policy_explainers"."project_id") = 1)
);
--> statement-breakpoint
CREATE TABLE "supervision_draws" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"seed" text NOT NULL,
	"seats" smallint NOT NULL,
	"candidate_ids" text NOT NULL,
	"drawn_by" text,
	"drawn_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervisors" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"user_id" text,
	"household_id" integer NOT NULL,
	"public_name" text NOT NULL,
	"status" "supervisor_status" DEFAULT 'volunteer' NOT NULL,
	"draw_id" integer,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supervisors_user_uq" UNIQUE("project_id","user_id"),
	CONSTRAINT "supervisors_name_ck" CHECK (length("supervisors"."public_name") between 1 and 40)
);
--> statement-breakpoint
ALTER TABLE "acceptance_signatures" ADD CONSTRAINT "acceptance_signatures_record_id_acceptance_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."acceptance_records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acceptance_signatures" ADD CONSTRAINT "acceptance_signatures_supervisor_id_supervisors_id_fk" FOREIGN KEY ("supervisor_id") REFERENCES "public"."supervisors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_plan_version_id_plan_versions_id_fk" FOREIGN KEY ("plan_version_id") REFERENCES "public"."plan_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_confirmed_by_users_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_scan_image_id_images_id_fk" FOREIGN KEY ("scan_image_id") REFERENCES "public"."images"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_notes" ADD CONSTRAINT "inspection_notes_supervisor_id_supervisors_id_fk" FOREIGN KEY ("supervisor_id") REFERENCES "public"."supervisors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_notes" ADD CONSTRAINT "inspection_notes_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_explainers" ADD CONSTRAINT "policy_explainers_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_explainers" ADD CONSTRAINT "policy_explainers_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_explainers" ADD CONSTRAINT "policy_explainers_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_draws" ADD CONSTRAINT "supervision_draws_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_draws" ADD CONSTRAINT "supervision_draws_drawn_by_users_id_fk" FOREIGN KEY ("drawn_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisors" ADD CONSTRAINT "supervisors_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisors" ADD CONSTRAINT "supervisors_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisors" ADD CONSTRAINT "supervisors_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisors" ADD CONSTRAINT "supervisors_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inspection_notes_project_idx" ON "inspection_notes" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "policy_explainers_project_idx" ON "policy_explainers" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "supervisors_project_idx" ON "supervisors" USING btree ("project_id");
CREATE TYPE "public"."disclosure_kind" AS ENUM('property_fee', 'maintenance_fund', 'shared_income');--> statement-breakpoint
CREATE TABLE "fund_disclosures" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"compound_id" integer NOT NULL,
	"kind" "disclosure_kind" NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"amount_yuan" numeric(14, 2) NOT NULL,
	"description" text NOT NULL,
	"attachment_image_id" text,
	"published_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fund_disclosures_amount_ck" CHECK ("fund_disclosures"."amount_yuan" >= 0),
	CONSTRAINT "fund_disclosures_period_ck" CHECK ("fund_disclosures"."period_end" >= "fund_disclosures"."period_start")
);
--> statement-breakpoint
ALTER TABLE "fund_disclosures" ADD CONSTRAINT "fund_disclosures_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_disclosures" ADD CONSTRAINT "fund_disclosures_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_disclosures" ADD CONSTRAINT "fund_disclosures_attachment_image_id_images_id_fk" FOREIGN KEY ("attachment_image_id") REFERENCES "public"."images"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_disclosures" ADD CONSTRAINT "fund_disclosures_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fund_disclosures_project_idx" ON "fund_disclosures" USING btree ("project_id","period_end");
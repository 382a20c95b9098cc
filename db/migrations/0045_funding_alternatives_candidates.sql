CREATE TYPE "public"."funding_source" AS ENUM('government', 'maintenance_fund', 'provident_fund', 'utilities', 'former_owner', 'private_capital', 'residents');--> statement-breakpoint
CREATE TABLE "compound_inclusions" (
	"id" serial PRIMARY KEY NOT NULL,
	"compound_id" integer NOT NULL,
	"reason" text NOT NULL,
	"decided_by" text NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "compound_inclusions_compound_id_unique" UNIQUE("compound_id"),
	CONSTRAINT "compound_inclusions_reason_ck" CHECK (length("compound_inclusions"."reason") between 10 and 1000)
);
--> statement-breakpoint
CREATE TABLE "plan_item_alternatives" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_item_id" integer NOT NULL,
	"label" text NOT NULL,
	"label_en" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"cost_fen" bigint NOT NULL,
	"image_id" text,
	"chosen" boolean DEFAULT false NOT NULL,
	"sort" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "plan_item_alternatives_cost_ck" CHECK ("plan_item_alternatives"."cost_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "plan_item_funding" (
	"plan_item_id" integer NOT NULL,
	"source" "funding_source" NOT NULL,
	"amount_fen" bigint NOT NULL,
	CONSTRAINT "plan_item_funding_plan_item_id_source_pk" PRIMARY KEY("plan_item_id","source"),
	CONSTRAINT "plan_item_funding_amount_ck" CHECK ("plan_item_funding"."amount_fen" >= 0)
);
--> statement-breakpoint
ALTER TABLE "districts" ADD COLUMN "candidate_built_before" smallint DEFAULT 2000 NOT NULL;--> statement-breakpoint
ALTER TABLE "round_items" ADD COLUMN "alternative_id" integer;--> statement-breakpoint
ALTER TABLE "compound_inclusions" ADD CONSTRAINT "compound_inclusions_compound_id_compounds_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."compounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_item_alternatives" ADD CONSTRAINT "plan_item_alternatives_plan_item_id_plan_items_id_fk" FOREIGN KEY ("plan_item_id") REFERENCES "public"."plan_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_item_alternatives" ADD CONSTRAINT "plan_item_alternatives_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."images"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_item_funding" ADD CONSTRAINT "plan_item_funding_plan_item_id_plan_items_id_fk" FOREIGN KEY ("plan_item_id") REFERENCES "public"."plan_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plan_item_alternatives_item_idx" ON "plan_item_alternatives" USING btree ("plan_item_id");--> statement-breakpoint
ALTER TABLE "round_items" ADD CONSTRAINT "round_items_alternative_id_plan_item_alternatives_id_fk" FOREIGN KEY ("alternative_id") REFERENCES "public"."plan_item_alternatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "districts" ADD CONSTRAINT "districts_candidate_built_before_ck" CHECK ("districts"."candidate_built_before" between 1950 and 2100);
ALTER TABLE "rounds" ADD COLUMN "early_close_reason" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "surveys" ADD COLUMN "early_close_reason" text DEFAULT '' NOT NULL;
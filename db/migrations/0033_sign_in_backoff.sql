CREATE TABLE "auth_failures" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "auth_failures_failures_ck" CHECK ("auth_failures"."failures" >= 0)
);
--> statement-breakpoint
ALTER TABLE "login_codes" ADD COLUMN "foreign_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "login_codes" ADD COLUMN "ticket_hash" text;--> statement-breakpoint
ALTER TABLE "login_codes" ADD CONSTRAINT "login_codes_foreign_attempts_ck" CHECK ("login_codes"."foreign_attempts" between 0 and 100);
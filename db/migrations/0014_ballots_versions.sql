CREATE TABLE "round_versions" (
	"round_id" integer PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "round_versions_ck" CHECK ("round_versions"."version" >= 0)
);
--> statement-breakpoint
ALTER TABLE "round_versions" ADD CONSTRAINT "round_versions_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;
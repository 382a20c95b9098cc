CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp (3) with time zone NOT NULL,
	"actor_id" text,
	"actor_kind" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"community_id" integer,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_log_hash_uq" UNIQUE("hash"),
	CONSTRAINT "audit_log_prev_hash_uq" UNIQUE("prev_hash"),
	CONSTRAINT "audit_log_actor_kind_ck" CHECK ("audit_log"."actor_kind" in ('resident', 'staff', 'system')),
	CONSTRAINT "audit_log_actor_ck" CHECK (("audit_log"."actor_kind" = 'system') = ("audit_log"."actor_id" is null)),
	CONSTRAINT "audit_log_action_ck" CHECK ("audit_log"."action" ~ '^[a-z][a-z0-9_]*([.][a-z][a-z0-9_]*)+$'),
	CONSTRAINT "audit_log_details_ck" CHECK (jsonb_typeof("audit_log"."details") = 'object'),
	CONSTRAINT "audit_log_hash_ck" CHECK ("audit_log"."hash" ~ '^[0-9a-f]{64}$' and "audit_log"."prev_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE INDEX "audit_log_action_idx" ON "audit_log" USING btree ("action");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target_type","target_id");--> statement-breakpoint
CREATE INDEX "audit_log_community_idx" ON "audit_log" USING btree ("community_id");
-- The audit log's SQL, in two parts.
--
-- Part 1, the table: what drizzle-kit generates from db/schema/audit.ts, with IF NOT EXISTS
-- added. It is here only so tests can create the table before a migration holds it;
-- tests/unit/audit/ddl.test.ts keeps it identical to the drizzle definition.
CREATE TABLE IF NOT EXISTS "audit_log" (
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
CREATE INDEX IF NOT EXISTS "audit_log_action_idx" ON "audit_log" USING btree ("action");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_log_actor_idx" ON "audit_log" USING btree ("actor_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_log_at_idx" ON "audit_log" USING btree ("at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_log_target_idx" ON "audit_log" USING btree ("target_type","target_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_log_community_idx" ON "audit_log" USING btree ("community_id");
--> statement-breakpoint
-- Part 2, append-only (paste from here into the custom migration): history cannot be
-- rewritten through the application. Statement-level, so even an UPDATE or DELETE matching no
-- row is refused. The table owner or a superuser can still disable the trigger; that is what
-- the hash chain and `npm run audit:verify` are for.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
		USING HINT = 'Audit entries are never changed or removed; append a correcting entry.';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER audit_log_append_only
BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

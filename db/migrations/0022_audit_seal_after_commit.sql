-- Seal after commit (src/lib/server/audit/commands.ts): entries are inserted unsealed (seq,
-- prev_hash and hash NULL) without a lock, and a sealer chains committed rows afterwards.
ALTER TABLE "audit_log" ALTER COLUMN "prev_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "seq" bigint;--> statement-breakpoint
-- Custom: existing rows were chained in id order under the old append lock, so their place in
-- the chain is their rank by id. The append-only trigger refuses every UPDATE; it is off for
-- this one statement only, inside the migration's transaction.
ALTER TABLE "audit_log" DISABLE TRIGGER "audit_log_append_only";--> statement-breakpoint
UPDATE "audit_log" AS a SET "seq" = ranked.seq
FROM (SELECT "id", row_number() OVER (ORDER BY "id") AS seq FROM "audit_log") AS ranked
WHERE a."id" = ranked."id";--> statement-breakpoint
ALTER TABLE "audit_log" ENABLE TRIGGER "audit_log_append_only";--> statement-breakpoint
CREATE INDEX "audit_log_pending_idx" ON "audit_log" USING btree ("id") WHERE "audit_log"."seq" is null;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_seq_uq" UNIQUE("seq");--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_chain_ck" CHECK (("audit_log"."seq" is null) = ("audit_log"."prev_hash" is null) and ("audit_log"."seq" is null) = ("audit_log"."hash" is null) and ("audit_log"."seq" is null or "audit_log"."seq" > 0));--> statement-breakpoint
-- Custom: DELETE and TRUNCATE stay refused for the whole statement (even one matching no
-- row). UPDATE is checked row by row instead: the only change allowed is sealing a pending row,
-- i.e. setting seq, prev_hash and hash (all three, once) with every content column unchanged.
-- The table owner or a superuser can still disable the triggers; that is what the hash chain
-- and `npm run audit:verify` are for.
CREATE OR REPLACE TRIGGER "audit_log_append_only"
BEFORE DELETE OR TRUNCATE ON "audit_log"
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_seal_only() RETURNS trigger AS $$
BEGIN
	IF OLD.seq IS NULL
		AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
		AND to_jsonb(OLD) - ARRAY['seq', 'prev_hash', 'hash'] = to_jsonb(NEW) - ARRAY['seq', 'prev_hash', 'hash']
	THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
		USING HINT = 'Audit entries are never changed or removed; append a correcting entry. '
			|| 'Only sealing sets a pending entry''s seq, prev_hash and hash, once.';
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE OR REPLACE TRIGGER "audit_log_seal_only"
BEFORE UPDATE ON "audit_log"
FOR EACH ROW EXECUTE FUNCTION audit_log_seal_only();

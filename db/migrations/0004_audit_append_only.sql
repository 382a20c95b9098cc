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

-- Signed-in residents' pages are cached too, keyed by the public content version and by a
-- version of what is private to the viewer (memberships, notifications, follows, reports,
-- settings, the user row). A row trigger bumps the user's counter in the writing transaction,
-- so a cached page is never older than the viewer's own data (see src/lib/server/http/page-cache.ts).
CREATE TABLE "user_versions" (
	"user_id" text PRIMARY KEY,
	"n" bigint NOT NULL
);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION user_version_bump() RETURNS trigger AS $$
DECLARE
	old_user text;
	new_user text;
BEGIN
	IF TG_OP <> 'INSERT' THEN old_user := to_jsonb(OLD) ->> TG_ARGV[0]; END IF;
	IF TG_OP <> 'DELETE' THEN new_user := to_jsonb(NEW) ->> TG_ARGV[0]; END IF;
	IF old_user IS NOT NULL THEN
		INSERT INTO user_versions (user_id, n) VALUES (old_user, 1)
		ON CONFLICT (user_id) DO UPDATE SET n = user_versions.n + 1;
	END IF;
	IF new_user IS NOT NULL AND new_user IS DISTINCT FROM old_user THEN
		INSERT INTO user_versions (user_id, n) VALUES (new_user, 1)
		ON CONFLICT (user_id) DO UPDATE SET n = user_versions.n + 1;
	END IF;
	RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER "users_user_version" AFTER INSERT OR UPDATE OR DELETE ON "users"
FOR EACH ROW EXECUTE FUNCTION user_version_bump('id');
--> statement-breakpoint
CREATE TRIGGER "memberships_user_version" AFTER INSERT OR UPDATE OR DELETE ON "memberships"
FOR EACH ROW EXECUTE FUNCTION user_version_bump('user_id');
--> statement-breakpoint
CREATE TRIGGER "notifications_user_version" AFTER INSERT OR UPDATE OR DELETE ON "notifications"
FOR EACH ROW EXECUTE FUNCTION user_version_bump('user_id');
--> statement-breakpoint
CREATE TRIGGER "follows_user_version" AFTER INSERT OR UPDATE OR DELETE ON "follows"
FOR EACH ROW EXECUTE FUNCTION user_version_bump('user_id');
--> statement-breakpoint
CREATE TRIGGER "opinion_reports_user_version" AFTER INSERT OR UPDATE OR DELETE ON "opinion_reports"
FOR EACH ROW EXECUTE FUNCTION user_version_bump('user_id');
--> statement-breakpoint
CREATE TRIGGER "notification_settings_user_version" AFTER INSERT OR UPDATE OR DELETE ON "notification_settings"
FOR EACH ROW EXECUTE FUNCTION user_version_bump('user_id');
--> statement-breakpoint
CREATE TRIGGER "comment_blocks_user_version" AFTER INSERT OR UPDATE OR DELETE ON "comment_blocks"
FOR EACH ROW EXECUTE FUNCTION user_version_bump('user_id');
--> statement-breakpoint
-- The project page lists its consultation rounds and the items residents refused: publishing
-- a round or opening one moves the public pages' version too.
CREATE CONSTRAINT TRIGGER "rounds_content_version" AFTER INSERT OR UPDATE OR DELETE ON "rounds"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "round_results_content_version" AFTER INSERT OR UPDATE OR DELETE ON "round_results"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "round_item_verdicts_content_version" AFTER INSERT OR UPDATE OR DELETE ON "round_item_verdicts"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();

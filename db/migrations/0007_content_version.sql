-- The public pages' data version: anonymous HTML is cached per version and the version moves
-- in the same transaction as any write to the tables those pages read (a deferred trigger
-- bumps it once per transaction, at commit), so a cached page is never older than its data.
CREATE TABLE "content_version" (
	"id" boolean PRIMARY KEY DEFAULT true CHECK ("id"),
	"n" bigint NOT NULL
);
--> statement-breakpoint
INSERT INTO "content_version" ("id", "n") VALUES (true, 1);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION content_version_bump() RETURNS trigger AS $$
BEGIN
	IF current_setting('gongjian.content_bumped', true) IS DISTINCT FROM 'yes' THEN
		PERFORM set_config('gongjian.content_bumped', 'yes', true);
		UPDATE content_version SET n = n + 1;
	END IF;
	RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "districts_content_version" AFTER INSERT OR UPDATE OR DELETE ON "districts"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "subdistricts_content_version" AFTER INSERT OR UPDATE OR DELETE ON "subdistricts"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "communities_content_version" AFTER INSERT OR UPDATE OR DELETE ON "communities"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "compounds_content_version" AFTER INSERT OR UPDATE OR DELETE ON "compounds"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "buildings_content_version" AFTER INSERT OR UPDATE OR DELETE ON "buildings"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "units_content_version" AFTER INSERT OR UPDATE OR DELETE ON "units"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "households_content_version" AFTER INSERT OR UPDATE OR DELETE ON "households"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "projects_content_version" AFTER INSERT OR UPDATE OR DELETE ON "projects"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "project_compounds_content_version" AFTER INSERT OR UPDATE OR DELETE ON "project_compounds"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "project_stages_content_version" AFTER INSERT OR UPDATE OR DELETE ON "project_stages"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "renovation_items_content_version" AFTER INSERT OR UPDATE OR DELETE ON "renovation_items"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "plan_versions_content_version" AFTER INSERT OR UPDATE OR DELETE ON "plan_versions"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "plan_items_content_version" AFTER INSERT OR UPDATE OR DELETE ON "plan_items"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "renderings_content_version" AFTER INSERT OR UPDATE OR DELETE ON "renderings"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "attachments_content_version" AFTER INSERT OR UPDATE OR DELETE ON "attachments"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "plan_changes_content_version" AFTER INSERT OR UPDATE OR DELETE ON "plan_changes"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "plan_change_opinions_content_version" AFTER INSERT OR UPDATE OR DELETE ON "plan_change_opinions"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "opinions_content_version" AFTER INSERT OR UPDATE OR DELETE ON "opinions"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "opinion_reactions_content_version" AFTER INSERT OR UPDATE OR DELETE ON "opinion_reactions"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "images_content_version" AFTER INSERT OR UPDATE OR DELETE ON "images"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "image_variants_content_version" AFTER INSERT OR UPDATE OR DELETE ON "image_variants"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();

-- The public pages show progress, milestones, the acceptance record, meetings and problem counts:
-- their writes move the content version (see 0007) so a cached anonymous page is never stale.
CREATE CONSTRAINT TRIGGER "progress_updates_content_version" AFTER INSERT OR UPDATE OR DELETE ON "progress_updates"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "progress_photos_content_version" AFTER INSERT OR UPDATE OR DELETE ON "progress_photos"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "item_progress_content_version" AFTER INSERT OR UPDATE OR DELETE ON "item_progress"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "progress_item_changes_content_version" AFTER INSERT OR UPDATE OR DELETE ON "progress_item_changes"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "milestones_content_version" AFTER INSERT OR UPDATE OR DELETE ON "milestones"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "acceptance_records_content_version" AFTER INSERT OR UPDATE OR DELETE ON "acceptance_records"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "acceptance_defects_content_version" AFTER INSERT OR UPDATE OR DELETE ON "acceptance_defects"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "acceptance_scans_content_version" AFTER INSERT OR UPDATE OR DELETE ON "acceptance_scans"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "meetings_content_version" AFTER INSERT OR UPDATE OR DELETE ON "meetings"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "meeting_rsvps_content_version" AFTER INSERT OR UPDATE OR DELETE ON "meeting_rsvps"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "problem_reports_content_version" AFTER INSERT OR UPDATE OR DELETE ON "problem_reports"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();

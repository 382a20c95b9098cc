-- Official answers appear on public pages (under each opinion, and the "you said, we did" page):
-- cached anonymous HTML must move with them (see 0007_content_version.sql). Revisions are only
-- written with an update of their answer, so the answers table covers them.
CREATE CONSTRAINT TRIGGER "opinion_answers_content_version" AFTER INSERT OR UPDATE OR DELETE ON "opinion_answers"
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_bump();

-- Published survey results never change silently (PRODUCT capability 5): a correction is a new
-- version with a note. Row-level, so publishing (INSERT) works while any UPDATE or DELETE of a
-- published snapshot is refused.
CREATE OR REPLACE FUNCTION survey_results_refuse_change() RETURNS trigger AS $$
BEGIN
	RAISE EXCEPTION 'survey_results is immutable: % refused', TG_OP
		USING HINT = 'Publish a new version with a note instead.';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER survey_results_immutable
BEFORE UPDATE OR DELETE ON survey_results
FOR EACH ROW EXECUTE FUNCTION survey_results_refuse_change();

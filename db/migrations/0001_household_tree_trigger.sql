-- Keep households.building_id / compound_id equal to the tree above their unit, whatever the
-- writer passes: counts by building and compound read these columns directly.
CREATE OR REPLACE FUNCTION households_fill_tree() RETURNS trigger AS $$
BEGIN
	SELECT u.building_id, b.compound_id INTO NEW.building_id, NEW.compound_id
	FROM units u JOIN buildings b ON b.id = u.building_id
	WHERE u.id = NEW.unit_id;
	RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER households_fill_tree_trg
BEFORE INSERT OR UPDATE OF unit_id, building_id, compound_id ON households
FOR EACH ROW EXECUTE FUNCTION households_fill_tree();

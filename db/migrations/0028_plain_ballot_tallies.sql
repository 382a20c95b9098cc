-- Ballots are recorded by one TypeScript command (ballots/commands/record.ts): the record
-- functions and the packed tally sums go, and the running counts are plain integers again, one
-- row per item and scope, backfilled below from the counted ballots (a recount).
DROP FUNCTION IF EXISTS gj_record_ballots(jsonb);--> statement-breakpoint
DROP FUNCTION IF EXISTS gj_tally_pack_choices(integer, integer, bigint, jsonb);--> statement-breakpoint
DROP FUNCTION IF EXISTS gj_tally_pack(integer, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint);--> statement-breakpoint
DROP FUNCTION IF EXISTS gj_tally_unit(integer);--> statement-breakpoint
DROP TYPE IF EXISTS gj_ballot_input;--> statement-breakpoint
DROP TYPE IF EXISTS gj_tally_delta;--> statement-breakpoint
ALTER TABLE "ballots" RESET (fillfactor);--> statement-breakpoint
ALTER TABLE "round_tally_sums" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "round_tally_sums" CASCADE;--> statement-breakpoint
ALTER TABLE "round_tallies" ADD COLUMN "agree" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "round_tallies" ADD COLUMN "disagree" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "round_tallies" ADD COLUMN "abstain" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "round_tallies" ADD COLUMN "agree_area" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "round_tallies" ADD COLUMN "disagree_area" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "round_tallies" ADD COLUMN "abstain_area" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "round_tallies" ADD COLUMN "heads_participating" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "round_tallies" ADD COLUMN "heads_approving" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ballots" DROP COLUMN "tally_packed";--> statement-breakpoint
ALTER TABLE "ballots" DROP COLUMN "prev_tally_packed";--> statement-breakpoint
ALTER TABLE "round_items" DROP COLUMN "tally_slot";--> statement-breakpoint
ALTER TABLE "round_tallies" ADD CONSTRAINT "round_tallies_counts_ck" CHECK ("round_tallies"."agree" >= 0 and "round_tallies"."disagree" >= 0 and "round_tallies"."abstain" >= 0 and "round_tallies"."agree" + "round_tallies"."disagree" + "round_tallies"."abstain" <= "round_tallies"."households");--> statement-breakpoint
ALTER TABLE "round_tallies" ADD CONSTRAINT "round_tallies_area_ck" CHECK ("round_tallies"."agree_area" >= 0 and "round_tallies"."disagree_area" >= 0 and "round_tallies"."abstain_area" >= 0 and "round_tallies"."agree_area" + "round_tallies"."disagree_area" + "round_tallies"."abstain_area" <= "round_tallies"."area_centi");--> statement-breakpoint
ALTER TABLE "round_tallies" ADD CONSTRAINT "round_tallies_heads_ck" CHECK ("round_tallies"."heads_approving" >= 0 and "round_tallies"."heads_approving" <= "round_tallies"."heads_participating" and "round_tallies"."heads_participating" <= "round_tallies"."heads");;--> statement-breakpoint
-- Per item and scope: each answering household's choice and area; an owner head participates
-- when any of their flats there answered and approves when all that answered agree.
WITH answers AS (
	SELECT t.round_id, t.round_item_id, t.level, t.scope_id, h.owner_key, h.area_centi,
		b.choices ->> t.round_item_id::text AS choice
	FROM round_tallies t
	JOIN round_items i ON i.id = t.round_item_id
	JOIN round_households h ON h.round_id = t.round_id
		AND (i.building_id IS NULL OR h.building_id = i.building_id)
		AND t.scope_id = CASE t.level WHEN 'compound' THEN h.compound_id
			WHEN 'building' THEN h.building_id ELSE h.unit_id END
	JOIN ballots b ON b.round_id = h.round_id AND b.household_id = h.household_id
	WHERE b.choices ? t.round_item_id::text
), heads AS (
	SELECT round_id, round_item_id, level, scope_id, bool_and(choice = 'agree') AS approves
	FROM answers GROUP BY round_id, round_item_id, level, scope_id, owner_key
), counts AS (
	SELECT round_id, round_item_id, level, scope_id,
		count(*) FILTER (WHERE choice = 'agree') AS agree,
		count(*) FILTER (WHERE choice = 'disagree') AS disagree,
		count(*) FILTER (WHERE choice = 'abstain') AS abstain,
		coalesce(sum(area_centi) FILTER (WHERE choice = 'agree'), 0) AS agree_area,
		coalesce(sum(area_centi) FILTER (WHERE choice = 'disagree'), 0) AS disagree_area,
		coalesce(sum(area_centi) FILTER (WHERE choice = 'abstain'), 0) AS abstain_area
	FROM answers GROUP BY round_id, round_item_id, level, scope_id
), head_counts AS (
	SELECT round_id, round_item_id, level, scope_id, count(*) AS participating,
		count(*) FILTER (WHERE approves) AS approving
	FROM heads GROUP BY round_id, round_item_id, level, scope_id
)
UPDATE round_tallies t SET agree = c.agree, disagree = c.disagree, abstain = c.abstain,
	agree_area = c.agree_area, disagree_area = c.disagree_area, abstain_area = c.abstain_area,
	heads_participating = hc.participating, heads_approving = hc.approving
FROM counts c
JOIN head_counts hc USING (round_id, round_item_id, level, scope_id)
WHERE t.round_id = c.round_id AND t.round_item_id = c.round_item_id AND t.level = c.level
	AND t.scope_id = c.scope_id;

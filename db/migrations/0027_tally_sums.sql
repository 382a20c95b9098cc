-- The counted choices of a round move from one tally row per item and scope (round_tallies, which
-- keeps the frozen totals) to one packed sum per scope (round_tally_sums). A ballot used to update
-- about twenty rows (every item at its compound and building) after computing a delta per item
-- in SQL; it now adds one exact integer per level, which the caller computed from its choices
-- (ballots/tally-pack.ts) and the ballot row keeps (ballots.tally_packed), so the next revision
-- subtracts it without reading the choices again. Owners of several flats keep the per-item
-- delta query (their head depends on their other flats' ballots), packed when it is added.
--
-- Layout: eight counts per item (agree, disagree, abstain, agree_area, disagree_area,
-- abstain_area, heads_participating, heads_approving), 15 decimal digits each; count k of the
-- item in slot s is digits 15·(8·s + k) … 15·(8·s + k) + 14 from the right. Slots are given when
-- a round opens: the items decided per unit first, so a unit's row (those items only) is the
-- low part of a household's packed counts. A count is at most a scope's households or area in
-- 0.01 m² (a household is at most 1,000 m²), far below 10^15: fields never carry.
CREATE TABLE "round_tally_sums" (
	"round_id" integer NOT NULL,
	"level" "tally_level" NOT NULL,
	"scope_id" integer NOT NULL,
	"packed" numeric DEFAULT '0' NOT NULL,
	CONSTRAINT "round_tally_sums_round_id_level_scope_id_pk" PRIMARY KEY("round_id","level","scope_id"),
	CONSTRAINT "round_tally_sums_packed_ck" CHECK ("round_tally_sums"."packed" >= 0 and scale("round_tally_sums"."packed") = 0)
);
--> statement-breakpoint
ALTER TABLE "round_tally_sums" ADD CONSTRAINT "round_tally_sums_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD COLUMN "tally_packed" numeric;--> statement-breakpoint
ALTER TABLE "ballots" ADD COLUMN "prev_tally_packed" numeric;--> statement-breakpoint
-- Every revision updates its household's ballot row, which the packed counts make about 1 kB:
-- room on its page keeps the update HOT (no new index entries; without it one in ten was).
ALTER TABLE "ballots" SET (fillfactor = 70);--> statement-breakpoint
ALTER TABLE "round_items" ADD COLUMN "tally_slot" smallint;--> statement-breakpoint
-- 10^(15·field): the place of count `field` (8·slot + k) in a packed sum.
CREATE FUNCTION gj_tally_unit(field integer) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT ('1' || repeat('0', 15 * field))::numeric $$;
--> statement-breakpoint
-- One item's eight counts (deltas, possibly negative) at its slot.
CREATE FUNCTION gj_tally_pack(slot integer, agree bigint, disagree bigint, abstain bigint,
	agree_area bigint, disagree_area bigint, abstain_area bigint, heads_participating bigint,
	heads_approving bigint) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT (agree + disagree * 1000000000000000::numeric
	+ abstain * 1000000000000000000000000000000::numeric
	+ agree_area * gj_tally_unit(3) + disagree_area * gj_tally_unit(4)
	+ abstain_area * gj_tally_unit(5) + heads_participating * gj_tally_unit(6)
	+ heads_approving * gj_tally_unit(7)) * gj_tally_unit(8 * slot) $$;
--> statement-breakpoint
-- What a one-flat household's counted choices add to its scopes' sums (the reference for the
-- TypeScript packer, used by this migration and the large seed): per item it answers, its
-- choice once, its area under that choice, a participating head, and an approving one when it
-- agrees.
CREATE FUNCTION gj_tally_pack_choices(p_round integer, p_building integer, p_area bigint,
	p_choices jsonb) RETURNS numeric
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT coalesce(sum(gj_tally_pack(i.tally_slot,
		(c.value = 'agree')::int, (c.value = 'disagree')::int, (c.value = 'abstain')::int,
		CASE WHEN c.value = 'agree' THEN p_area ELSE 0 END,
		CASE WHEN c.value = 'disagree' THEN p_area ELSE 0 END,
		CASE WHEN c.value = 'abstain' THEN p_area ELSE 0 END,
		1, (c.value = 'agree')::int)), 0)
	FROM jsonb_each_text(p_choices) c
	JOIN round_items i ON i.round_id = p_round AND i.id::text = c.key
		AND (i.building_id IS NULL OR i.building_id = p_building) $$;
--> statement-breakpoint
UPDATE round_items i SET tally_slot = s.slot
FROM (
	SELECT ri.id, (row_number() OVER (PARTITION BY ri.round_id
		ORDER BY ri.decision_scope <> 'unit', ri.id) - 1)::smallint AS slot
	FROM round_items ri
	JOIN rounds r ON r.id = ri.round_id AND r.opened_at IS NOT NULL
) s
WHERE i.id = s.id;
--> statement-breakpoint
INSERT INTO round_tally_sums (round_id, level, scope_id, packed)
SELECT t.round_id, t.level, t.scope_id,
	sum(gj_tally_pack(i.tally_slot, t.agree, t.disagree, t.abstain, t.agree_area,
		t.disagree_area, t.abstain_area, t.heads_participating, t.heads_approving))
FROM round_tallies t
JOIN round_items i ON i.id = t.round_item_id
GROUP BY t.round_id, t.level, t.scope_id;
--> statement-breakpoint
UPDATE ballots b SET tally_packed = gj_tally_pack_choices(b.round_id, h.building_id, h.area_centi,
	b.choices)
FROM round_households h
WHERE h.round_id = b.round_id AND h.household_id = b.household_id AND h.owner_units <= 1;
--> statement-breakpoint
ALTER TABLE "round_tallies" DROP CONSTRAINT "round_tallies_counts_ck";--> statement-breakpoint
ALTER TABLE "round_tallies" DROP CONSTRAINT "round_tallies_area_ck";--> statement-breakpoint
ALTER TABLE "round_tallies" DROP CONSTRAINT "round_tallies_heads_ck";--> statement-breakpoint
ALTER TABLE "round_tallies" DROP COLUMN "agree";--> statement-breakpoint
ALTER TABLE "round_tallies" DROP COLUMN "disagree";--> statement-breakpoint
ALTER TABLE "round_tallies" DROP COLUMN "abstain";--> statement-breakpoint
ALTER TABLE "round_tallies" DROP COLUMN "agree_area";--> statement-breakpoint
ALTER TABLE "round_tallies" DROP COLUMN "disagree_area";--> statement-breakpoint
ALTER TABLE "round_tallies" DROP COLUMN "abstain_area";--> statement-breakpoint
ALTER TABLE "round_tallies" DROP COLUMN "heads_participating";--> statement-breakpoint
ALTER TABLE "round_tallies" DROP COLUMN "heads_approving";--> statement-breakpoint
ALTER TYPE gj_ballot_input ADD ATTRIBUTE tally_packed numeric;
--> statement-breakpoint
-- `gj_record_ballots` as in migration 0026 but for the tally statement (above) and the ballot's
-- packed counts: given by the caller for a one-flat household (an error when missing), kept on
-- the ballot row, and the replaced ballot's returned (prev_tally_packed) to be subtracted.
CREATE OR REPLACE FUNCTION gj_record_ballots(p_items jsonb)
RETURNS TABLE (idx integer, status text, ballot_id bigint, revision integer, counted boolean,
	conflict boolean)
LANGUAGE plpgsql
-- For the tally UPDATE's lock order (see there); every other statement here is a key lookup or a
-- nested loop over the batch's own rows, so one generic plan per statement serves every call:
-- planning each call afresh cost more than a tenth of the time.
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off
SET enable_bitmapscan = off SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
	it record;
	v_now timestamptz;
	v_id bigint;
	v_rev integer;
	v_prev jsonb;
	v_conflict boolean;
	v_filled timestamptz;
	v_counted boolean;
	v_cast_by text;
	v_revision ballot_revisions%ROWTYPE;
	v_revisions ballot_revisions[] := '{}';
	v_entry audit_log%ROWTYPE;
	v_entries audit_log[] := '{}';
	v_deltas gj_tally_delta[] := '{}';
	v_old_packed numeric;
	-- One-flat households' counted revisions: (round, compound, building, unit, the packed counts
	-- the ballot adds, the packed counts of the ballot it replaced).
	v_one_round integer[] := '{}';
	v_one_compound integer[] := '{}';
	v_one_building integer[] := '{}';
	v_one_unit integer[] := '{}';
	v_one_new numeric[] := '{}';
	v_one_old numeric[] := '{}';
	v_first_round integer[] := '{}';
	v_first_household integer[] := '{}';
	v_counted_round integer[] := '{}';
	v_expected bigint;
	v_updated bigint;
	cov record;
BEGIN
	-- All advisory locks in one statement, in (class, key) order. First the rounds' window locks
	-- (ROUND_WINDOW_LOCK_KEY, shared; closing takes it alone: load.ts): an advisory lock, not FOR
	-- SHARE on the round's row, since many ballots sharing one row lock make a new multixact each
	-- time, which costs more than the rest of the ballot. Then the owners' locks (7340215, beside
	-- the other keys of load.ts and the app): one owner's flats share one head, so their ballots
	-- are serialised and each head delta is computed from settled sibling ballots.
	PERFORM CASE WHEN l.class = 7340214 THEN pg_advisory_xact_lock_shared(l.class, l.key)
		ELSE pg_advisory_xact_lock(l.class, l.key) END
	FROM (
		SELECT 7340214 AS class, (e ->> 'round')::integer AS key
		FROM jsonb_array_elements(p_items) e
		UNION
		SELECT 7340215, hashtext(h.round_id || ':' || h.owner_key)
		FROM jsonb_array_elements(p_items) e
		JOIN round_households h ON h.round_id = (e ->> 'round')::integer
			AND h.household_id = (e ->> 'household')::integer
		WHERE h.owner_units > 1
		ORDER BY 1, 2
	) l;

	-- The clock after the locks: a ballot that waited for a closing sees the round closed. The
	-- rounds and the households are read by this statement, after the locks, too.
	v_now := clock_timestamp();
	FOR it IN
		SELECT (e.n - 1)::integer AS i, x.*, r.id AS round_found, r.opened_at, r.opens_at,
			r.closes_at, h.household_id AS in_scope, h.compound_id, h.building_id, h.unit_id,
			h.area_centi, h.owner_key, h.owner_units, v.user_id AS voter
		FROM jsonb_array_elements(p_items) WITH ORDINALITY AS e (j, n)
		CROSS JOIN LATERAL jsonb_populate_record(NULL::gj_ballot_input, e.j) AS x
		LEFT JOIN rounds r ON r.id = x.round
		LEFT JOIN round_households h ON h.round_id = x.round AND h.household_id = x.household
		LEFT JOIN LATERAL (
			SELECT u.id AS user_id
			FROM sessions s
			JOIN users u ON u.id = s.user_id
			JOIN memberships m ON m.user_id = u.id AND m.household_id = x.household
				AND m.ended_at IS NULL
			WHERE s.id = x.session AND s.expires_at >= x.session_until
			  AND u.kind = 'resident' AND u.disabled_at IS NULL AND u.deleted_at IS NULL
			  AND (NOT r.consent OR m.relation = 'owner' OR m.consent_authorised_by IS NOT NULL)
			LIMIT 1
		) v ON x.session IS NOT NULL
		ORDER BY x.household, e.n
	LOOP
		idx := it.i;
		ballot_id := NULL;
		revision := NULL;
		counted := NULL;
		conflict := NULL;
		IF it.session IS NOT NULL AND it.voter IS NULL THEN
			status := 'unauthorised';
			RETURN NEXT;
			CONTINUE;
		END IF;
		IF it.round_found IS NULL OR it.opened_at IS NULL OR v_now < it.opens_at THEN
			status := 'not_open';
			RETURN NEXT;
			CONTINUE;
		END IF;
		IF v_now >= it.closes_at THEN
			status := 'closed';
			RETURN NEXT;
			CONTINUE;
		END IF;
		IF it.in_scope IS NULL THEN
			status := 'not_in_scope';
			RETURN NEXT;
			CONTINUE;
		END IF;
		IF it.owner_units <= 1 AND it.tally_packed IS NULL THEN
			RAISE EXCEPTION 'ballots: the packed counts of household % are missing', it.household;
		END IF;

		-- The ballot. An online ballot always replaces the counted one (the last to take the row
		-- lock is the latest); a paper form only when filled in no earlier than it.
		v_counted := true;
		v_cast_by := CASE WHEN it.session IS NULL THEN it.cast_by ELSE it.voter END;
		INSERT INTO ballots AS b (round_id, household_id, revision, choices, prev_choices, overall,
			comment, channel, cast_by, entered_by, photo_image_id, filled_at, conflict, updated_at, tally_packed,
			prev_tally_packed)
		VALUES (it.round, it.household, 1, it.choices, NULL, it.overall, it.comment, it.channel,
			v_cast_by, it.entered_by, it.photo, coalesce(it.filled_at, clock_timestamp()), false,
			clock_timestamp(), CASE WHEN it.owner_units <= 1 THEN it.tally_packed END, NULL)
		ON CONFLICT (round_id, household_id) DO UPDATE SET
			revision = b.revision + 1,
			prev_choices = b.choices,
			choices = excluded.choices,
			overall = excluded.overall,
			comment = excluded.comment,
			channel = excluded.channel,
			cast_by = excluded.cast_by,
			entered_by = excluded.entered_by,
			photo_image_id = excluded.photo_image_id,
			filled_at = excluded.filled_at,
			conflict = b.conflict OR b.channel <> excluded.channel,
			reviewed_by = CASE WHEN b.channel <> excluded.channel THEN NULL ELSE b.reviewed_by END,
			updated_at = excluded.updated_at,
			tally_packed = excluded.tally_packed,
			prev_tally_packed = b.tally_packed
		WHERE excluded.channel = 'online' OR b.filled_at <= excluded.filled_at
		RETURNING b.id, b.revision, b.prev_choices, b.conflict, b.filled_at, b.prev_tally_packed
		INTO v_id, v_rev, v_prev, v_conflict, v_filled, v_old_packed;
		IF FOUND THEN
			IF v_rev = 1 THEN
				v_prev := NULL;
				v_old_packed := 0;
			ELSIF it.owner_units <= 1 AND v_old_packed IS NULL THEN
				RAISE EXCEPTION 'ballots: the packed counts of the ballot of household % are missing',
					it.household;
			END IF;
		ELSE
			-- A paper form older than the counted online ballot: kept uncounted, flagged for review.
			UPDATE ballots b SET revision = b.revision + 1, conflict = true, reviewed_by = NULL
			WHERE b.round_id = it.round AND b.household_id = it.household
			RETURNING b.id, b.revision INTO v_id, v_rev;
			v_filled := it.filled_at;
			v_counted := false;
			v_conflict := true;
		END IF;

		-- Its revision, written with the batch's others after the loop.
		v_revision.ballot_id := v_id;
		v_revision.round_id := it.round;
		v_revision.household_id := it.household;
		v_revision.revision := v_rev;
		v_revision.choices := it.choices;
		v_revision.overall := it.overall;
		v_revision.comment := it.comment;
		v_revision.channel := it.channel;
		v_revision.cast_by := v_cast_by;
		v_revision.entered_by := it.entered_by;
		v_revision.photo_image_id := it.photo;
		v_revision.filled_at := v_filled;
		v_revision.counted := v_counted;
		v_revisions := v_revisions || v_revision;

		IF it.audit_action IS NOT NULL THEN
			-- As appendAudit writes it: unsealed, chained after commit by the sealer.
			v_entry.at := clock_timestamp();
			v_entry.actor_id := CASE WHEN it.session IS NULL THEN it.actor_id ELSE it.voter END;
			v_entry.actor_kind := it.actor_kind;
			v_entry.action := it.audit_action;
			v_entry.target_type := 'household';
			v_entry.target_id := it.household::text;
			v_entry.community_id := it.community;
			v_entry.details := jsonb_build_object('roundId', it.round, 'revision', v_rev,
					'counted', v_counted, 'conflict', v_conflict)
				|| CASE WHEN it.photo IS NULL THEN '{}'::jsonb
					ELSE jsonb_build_object('photo', it.photo) END;
			v_entries := v_entries || v_entry;
		END IF;

		IF v_counted AND it.owner_units <= 1 THEN
			-- Its own head: what it adds is the packed counts the caller computed from its choices
			-- (tally-pack.ts), less those of the ballot it replaced (added by the tally statement).
			v_one_round := v_one_round || it.round;
			v_one_compound := v_one_compound || it.compound_id;
			v_one_building := v_one_building || it.building_id;
			v_one_unit := v_one_unit || it.unit_id;
			v_one_new := v_one_new || it.tally_packed;
			v_one_old := v_one_old || v_old_packed;
		ELSIF v_counted THEN
			-- The deltas of ballotDelta for a flat of an owner of several: per item the answers
			-- whose choice changed, per level (unit only for items decided per unit). The owner's
			-- head participates when any of the owner's flats in the scope answered, and approves
			-- when every answer given agrees (the siblings' ballots as recorded so far, this
			-- batch's included).
			v_deltas := v_deltas || ARRAY(
				WITH changed AS (
					SELECT ri.id, ri.building_id, ri.decision_scope,
						v_prev ->> ri.id::text AS was, it.choices ->> ri.id::text AS now
					FROM round_items ri
					WHERE ri.round_id = it.round
					  AND (ri.building_id IS NULL OR ri.building_id = it.building_id)
					  AND (v_prev ->> ri.id::text) IS DISTINCT FROM (it.choices ->> ri.id::text)
				), levels AS (
					SELECT ch.*, l.level,
						CASE l.level WHEN 'compound' THEN it.compound_id
							WHEN 'building' THEN it.building_id ELSE it.unit_id END AS scope_id
					FROM changed ch
					CROSS JOIN (VALUES ('compound'::tally_level), ('building'::tally_level),
						('unit'::tally_level)) AS l (level)
					WHERE l.level <> 'unit' OR ch.decision_scope = 'unit'
				), heads AS (
					SELECT lv.*, p.any_given, p.all_agree
					FROM levels lv
					CROSS JOIN LATERAL (
						SELECT coalesce(bool_or(s.c IS NOT NULL), false) AS any_given,
							coalesce(bool_and(s.c = 'agree') FILTER (WHERE s.c IS NOT NULL), true)
								AS all_agree
						FROM (
							SELECT sb.choices ->> lv.id::text AS c
							FROM round_households sh
							LEFT JOIN ballots sb ON sb.round_id = sh.round_id
								AND sb.household_id = sh.household_id
							WHERE sh.round_id = it.round AND sh.owner_key = it.owner_key
							  AND sh.household_id <> it.household
							  AND (lv.building_id IS NULL OR lv.building_id = sh.building_id)
							  AND CASE lv.level WHEN 'compound' THEN sh.compound_id
									WHEN 'building' THEN sh.building_id ELSE sh.unit_id END
								= lv.scope_id
						) s
					) p
				), f AS (
					SELECT h.id, h.level, h.scope_id,
						(h.now = 'agree') IS TRUE AS now_agree, (h.was = 'agree') IS TRUE AS was_agree,
						(h.now = 'disagree') IS TRUE AS now_disagree,
						(h.was = 'disagree') IS TRUE AS was_disagree,
						(h.now = 'abstain') IS TRUE AS now_abstain,
						(h.was = 'abstain') IS TRUE AS was_abstain,
						(h.any_given OR h.now IS NOT NULL) AS part_now,
						(h.any_given OR h.was IS NOT NULL) AS part_was,
						((h.any_given OR h.now IS NOT NULL) AND h.all_agree
							AND (h.now IS NULL OR h.now = 'agree')) AS appr_now,
						((h.any_given OR h.was IS NOT NULL) AND h.all_agree
							AND (h.was IS NULL OR h.was = 'agree')) AS appr_was
					FROM heads h
				)
				SELECT ROW(it.round, f.id, f.level, f.scope_id,
					f.now_agree::int - f.was_agree::int,
					f.now_disagree::int - f.was_disagree::int,
					f.now_abstain::int - f.was_abstain::int,
					it.area_centi * (f.now_agree::int - f.was_agree::int),
					it.area_centi * (f.now_disagree::int - f.was_disagree::int),
					it.area_centi * (f.now_abstain::int - f.was_abstain::int),
					f.part_now::int - f.part_was::int,
					f.appr_now::int - f.appr_was::int)::gj_tally_delta
				FROM f
			);
		END IF;
		IF v_counted THEN
			IF v_rev = 1 THEN
				v_first_round := v_first_round || it.round;
				v_first_household := v_first_household || it.household;
			END IF;
			v_counted_round := v_counted_round || it.round;
		END IF;

		status := 'ok';
		ballot_id := v_id;
		revision := v_rev;
		counted := v_counted;
		conflict := v_conflict;
		RETURN NEXT;
	END LOOP;

	-- The revisions and the audit entries, in the loop's order.
	INSERT INTO ballot_revisions (ballot_id, round_id, household_id, revision, choices, overall,
		comment, channel, cast_by, entered_by, photo_image_id, filled_at, counted)
	SELECT r.ballot_id, r.round_id, r.household_id, r.revision, r.choices, r.overall, r.comment,
		r.channel, r.cast_by, r.entered_by, r.photo_image_id, r.filled_at, r.counted
	FROM unnest(v_revisions) WITH ORDINALITY AS r
	ORDER BY r.ordinality;
	IF cardinality(v_entries) > 0 THEN
		INSERT INTO audit_log (at, actor_id, actor_kind, action, target_type, target_id,
			community_id, details)
		SELECT a.at, a.actor_id, a.actor_kind, a.action, a.target_type, a.target_id,
			a.community_id, a.details
		FROM unnest(v_entries) WITH ORDINALITY AS a
		ORDER BY a.ordinality;
	END IF;

	-- The shared rows, each once, in primary-key order: one statement, a nested loop driven by
	-- d in that order (the function's SET clauses rule out the hash and merge joins and the
	-- sequential scans whose order would be the table's). Sums that do not change leave their row
	-- alone; every other row must exist (a missing row is an error, not a lost count).
	--
	-- One row per level: a one-flat household's ballot adds its packed counts less the replaced
	-- ballot's to its compound's and building's rows, and — when the round decides items per
	-- unit, whose slots come first — their low part (mod 10^(120·units)) to its unit's. The
	-- several-flat owners' deltas (v_deltas) are packed here, per item slot.
	WITH one AS (
		SELECT o.*
		FROM unnest(v_one_round, v_one_compound, v_one_building, v_one_unit, v_one_new, v_one_old)
			AS o (round, compound, building, unit, new, old)
	), unit_part AS (
		SELECT r.round, gj_tally_unit(8 * count(ui.id)::integer) AS modulus
		FROM (SELECT DISTINCT one.round FROM one) r
		JOIN round_items ui ON ui.round_id = r.round AND ui.decision_scope = 'unit'
		GROUP BY r.round
	), x AS (
		SELECT one.round, 'compound'::tally_level AS level, one.compound AS scope_id,
			one.new - one.old AS delta
		FROM one
		UNION ALL
		SELECT one.round, 'building'::tally_level, one.building, one.new - one.old
		FROM one
		UNION ALL
		SELECT one.round, 'unit'::tally_level, one.unit,
			mod(one.new, u.modulus) - mod(one.old, u.modulus)
		FROM one
		JOIN unit_part u ON u.round = one.round
		UNION ALL
		SELECT t.round_id, t.level, t.scope_id,
			gj_tally_pack(ri.tally_slot, t.agree, t.disagree, t.abstain, t.agree_area,
				t.disagree_area, t.abstain_area, t.heads_participating, t.heads_approving)
		FROM unnest(v_deltas) t
		JOIN round_items ri ON ri.id = t.round_item_id
	), d AS MATERIALIZED (
		SELECT x.round, x.level, x.scope_id, sum(x.delta) AS delta
		FROM x
		GROUP BY x.round, x.level, x.scope_id
		HAVING sum(x.delta) <> 0
		ORDER BY x.round, x.level, x.scope_id
	), u AS (
		UPDATE round_tally_sums s SET packed = s.packed + d.delta
		FROM d
		WHERE s.round_id = d.round AND s.level = d.level AND s.scope_id = d.scope_id
		RETURNING 1
	)
	SELECT (SELECT count(*) FROM d), (SELECT count(*) FROM u) INTO v_expected, v_updated;
	IF v_updated <> v_expected THEN
		RAISE EXCEPTION 'ballots: % tally rows expected, % found', v_expected, v_updated;
	END IF;

	-- Coverage: households that answered for the first time, per compound and building.
	FOR cov IN
		SELECT x.r AS round_id, l.level, l.scope_id, count(*)::int AS n
		FROM unnest(v_first_round, v_first_household) AS x (r, h)
		JOIN round_households rh ON rh.round_id = x.r AND rh.household_id = x.h
		CROSS JOIN LATERAL (VALUES ('compound'::tally_level, rh.compound_id),
			('building'::tally_level, rh.building_id)) AS l (level, scope_id)
		GROUP BY x.r, l.level, l.scope_id
		ORDER BY x.r, l.level, l.scope_id
	LOOP
		UPDATE round_coverage rc SET responded = rc.responded + cov.n
		WHERE rc.round_id = cov.round_id AND rc.level = cov.level AND rc.scope_id = cov.scope_id;
	END LOOP;

	-- Live results are memoised per version: one of 16 counters per round, by connection (it was
	-- by household, so two batches of five nearly always met on a counter and the second waited
	-- for the first to commit; two connections share one counter once in 16).
	INSERT INTO round_versions AS rv (round_id, shard, version)
	SELECT x.r, pg_backend_pid() % 16, count(*)
	FROM unnest(v_counted_round) AS x (r)
	GROUP BY x.r
	ORDER BY x.r
	ON CONFLICT (round_id, shard) DO UPDATE SET version = rv.version + excluded.version;
END;
$$;

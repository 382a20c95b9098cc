-- One ballot revision in one statement (src/lib/server/ballots/commands/cast.ts, recordBallot):
-- the round's window (shared row lock, then the database clock), the household as frozen in
-- the scope, the owner's lock when they hold several flats, the ballot and its revision, the
-- audit entry (optional), then the tally deltas, coverage and the round's version counter — the
-- rows every ballot of a scope shares, locked last and in key order. Called as a single
-- autocommit statement, a resident's ballot costs one round trip.
--
-- The deltas are those of `ballotDelta` (src/lib/server/ballots/tally.ts), which stays the
-- reference: tests/integration/ballots/record-function.test.ts compares the two on random
-- rounds, owners of several flats included, and `npm run tally` recounts from the ballots.
--
-- status: 'ok', 'not_open' (no such round, a draft, or before its opening time), 'closed',
-- 'not_in_scope'. Nothing is written unless the status is 'ok'.
CREATE OR REPLACE FUNCTION gj_record_ballot(
	p_round integer,
	p_household integer,
	p_choices jsonb,
	p_overall ballot_choice,
	p_comment text,
	p_channel ballot_channel,
	p_cast_by text,
	p_entered_by text,
	p_photo text,
	p_filled_at timestamptz,
	p_audit_action text,
	p_actor_id text,
	p_actor_kind text,
	p_community integer
) RETURNS TABLE (status text, ballot_id bigint, revision integer, counted boolean, conflict boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	w record;
	hh round_households%ROWTYPE;
	v_expected bigint;
	v_updated bigint;
	v_id bigint;
	v_rev integer;
	v_prev jsonb;
	v_conflict boolean;
	v_filled timestamptz;
	v_counted boolean := true;
BEGIN
	-- The round's window lock (ROUND_WINDOW_LOCK_KEY, shared; closing takes it alone: load.ts),
	-- then the clock: a ballot that waited for a closing sees the round closed. An advisory lock,
	-- not FOR SHARE on the round's row: many ballots sharing one row lock make a new multixact
	-- each time, which costs more than the rest of the ballot.
	PERFORM pg_advisory_xact_lock_shared(7340214, p_round);
	SELECT clock_timestamp() AS now, r.opened_at, r.opens_at, r.closes_at INTO w
	FROM rounds r WHERE r.id = p_round;
	IF NOT FOUND OR w.opened_at IS NULL OR w.now < w.opens_at THEN
		RETURN QUERY SELECT 'not_open'::text, NULL::bigint, NULL::integer, NULL::boolean, NULL::boolean;
		RETURN;
	END IF;
	IF w.now >= w.closes_at THEN
		RETURN QUERY SELECT 'closed'::text, NULL::bigint, NULL::integer, NULL::boolean, NULL::boolean;
		RETURN;
	END IF;
	SELECT * INTO hh FROM round_households h WHERE h.round_id = p_round AND h.household_id = p_household;
	IF NOT FOUND THEN
		RETURN QUERY SELECT 'not_in_scope'::text, NULL::bigint, NULL::integer, NULL::boolean, NULL::boolean;
		RETURN;
	END IF;
	IF hh.owner_units > 1 THEN
		-- One owner's flats share one head: their ballots are serialised, so the head delta is
		-- computed from settled sibling ballots.
		-- (7340215: the owner lock's class, beside the other keys of load.ts and the app.)
		PERFORM pg_advisory_xact_lock(7340215, hashtext(p_round || ':' || hh.owner_key));
	END IF;

	-- The ballot and its revision. An online ballot always replaces the counted one (the last to
	-- take the row lock is the latest); a paper form only when filled in no earlier than it.
	INSERT INTO ballots AS b (round_id, household_id, revision, choices, prev_choices, overall,
		comment, channel, cast_by, entered_by, photo_image_id, filled_at, conflict, updated_at)
	VALUES (p_round, p_household, 1, p_choices, NULL, p_overall, p_comment, p_channel, p_cast_by,
		p_entered_by, p_photo, coalesce(p_filled_at, clock_timestamp()), false, clock_timestamp())
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
		updated_at = excluded.updated_at
	WHERE excluded.channel = 'online' OR b.filled_at <= excluded.filled_at
	RETURNING b.id, b.revision, b.prev_choices, b.conflict, b.filled_at
	INTO v_id, v_rev, v_prev, v_conflict, v_filled;
	IF FOUND THEN
		INSERT INTO ballot_revisions (ballot_id, round_id, household_id, revision, choices, overall,
			comment, channel, cast_by, entered_by, photo_image_id, filled_at, counted)
		VALUES (v_id, p_round, p_household, v_rev, p_choices, p_overall, p_comment, p_channel,
			p_cast_by, p_entered_by, p_photo, v_filled, true);
		IF v_rev = 1 THEN
			v_prev := NULL;
		END IF;
	ELSE
		-- A paper form older than the counted online ballot: kept uncounted, flagged for review.
		UPDATE ballots b SET revision = b.revision + 1, conflict = true, reviewed_by = NULL
		WHERE b.round_id = p_round AND b.household_id = p_household
		RETURNING b.id, b.revision INTO v_id, v_rev;
		INSERT INTO ballot_revisions (ballot_id, round_id, household_id, revision, choices, overall,
			comment, channel, cast_by, entered_by, photo_image_id, filled_at, counted)
		VALUES (v_id, p_round, p_household, v_rev, p_choices, p_overall, p_comment, p_channel,
			p_cast_by, p_entered_by, p_photo, p_filled_at, false);
		v_counted := false;
		v_conflict := true;
	END IF;

	IF p_audit_action IS NOT NULL THEN
		-- As appendAudit writes it: unsealed, chained after commit by the sealer.
		INSERT INTO audit_log (at, actor_id, actor_kind, action, target_type, target_id,
			community_id, details)
		VALUES (clock_timestamp(), p_actor_id, p_actor_kind, p_audit_action, 'household',
			p_household::text, p_community,
			jsonb_build_object('roundId', p_round, 'revision', v_rev, 'counted', v_counted,
				'conflict', v_conflict)
			|| CASE WHEN p_photo IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('photo', p_photo) END);
	END IF;

	IF v_counted THEN
		-- The deltas of ballotDelta: per item the household answers whose choice changed, per
		-- level (unit only for items decided per unit), applied in key order so concurrent ballots
		-- lock the shared rows in one order (a deadlock is retried by the caller). An owner head participates when any of the owner's flats
		-- in the scope answered, and approves when every answer given agrees.
		WITH changed AS (
			SELECT ri.id, ri.building_id, ri.decision_scope,
				v_prev ->> ri.id::text AS was, p_choices ->> ri.id::text AS now
			FROM round_items ri
			WHERE ri.round_id = p_round
			  AND (ri.building_id IS NULL OR ri.building_id = hh.building_id)
			  AND (v_prev ->> ri.id::text) IS DISTINCT FROM (p_choices ->> ri.id::text)
		), levels AS (
			SELECT c.*, l.level,
				CASE l.level WHEN 'compound' THEN hh.compound_id
					WHEN 'building' THEN hh.building_id ELSE hh.unit_id END AS scope_id
			FROM changed c
			CROSS JOIN (VALUES ('compound'::tally_level), ('building'::tally_level),
				('unit'::tally_level)) AS l (level)
			WHERE l.level <> 'unit' OR c.decision_scope = 'unit'
		), heads AS (
			SELECT lv.*, p.any_given, p.all_agree
			FROM levels lv
			CROSS JOIN LATERAL (
				SELECT coalesce(bool_or(s.c IS NOT NULL), false) AS any_given,
					coalesce(bool_and(s.c = 'agree') FILTER (WHERE s.c IS NOT NULL), true) AS all_agree
				FROM (
					SELECT sb.choices ->> lv.id::text AS c
					FROM round_households sh
					LEFT JOIN ballots sb ON sb.round_id = sh.round_id AND sb.household_id = sh.household_id
					WHERE hh.owner_units > 1
					  AND sh.round_id = p_round AND sh.owner_key = hh.owner_key
					  AND sh.household_id <> p_household
					  AND (lv.building_id IS NULL OR lv.building_id = sh.building_id)
					  AND CASE lv.level WHEN 'compound' THEN sh.compound_id
							WHEN 'building' THEN sh.building_id ELSE sh.unit_id END = lv.scope_id
				) s
			) p
		), d AS MATERIALIZED (
			SELECT h.id, h.level, h.scope_id,
				(h.now = 'agree') IS TRUE AS now_agree, (h.was = 'agree') IS TRUE AS was_agree,
				(h.now = 'disagree') IS TRUE AS now_disagree, (h.was = 'disagree') IS TRUE AS was_disagree,
				(h.now = 'abstain') IS TRUE AS now_abstain, (h.was = 'abstain') IS TRUE AS was_abstain,
				(h.any_given OR h.now IS NOT NULL) AS part_now,
				(h.any_given OR h.was IS NOT NULL) AS part_was,
				((h.any_given OR h.now IS NOT NULL) AND h.all_agree
					AND (h.now IS NULL OR h.now = 'agree')) AS appr_now,
				((h.any_given OR h.was IS NOT NULL) AND h.all_agree
					AND (h.was IS NULL OR h.was = 'agree')) AS appr_was
			FROM heads h
			ORDER BY h.id, h.level::text, h.scope_id
		), u AS (
			-- One statement, driven by d in key order (a nested loop over the primary key).
			UPDATE round_tallies t SET
				agree = t.agree + d.now_agree::int - d.was_agree::int,
				disagree = t.disagree + d.now_disagree::int - d.was_disagree::int,
				abstain = t.abstain + d.now_abstain::int - d.was_abstain::int,
				agree_area = t.agree_area + hh.area_centi * (d.now_agree::int - d.was_agree::int),
				disagree_area = t.disagree_area
					+ hh.area_centi * (d.now_disagree::int - d.was_disagree::int),
				abstain_area = t.abstain_area + hh.area_centi * (d.now_abstain::int - d.was_abstain::int),
				heads_participating = t.heads_participating + d.part_now::int - d.part_was::int,
				heads_approving = t.heads_approving + d.appr_now::int - d.appr_was::int
			FROM d
			WHERE t.round_id = p_round AND t.level = d.level AND t.round_item_id = d.id
			  AND t.scope_id = d.scope_id
			RETURNING 1
		)
		SELECT (SELECT count(*) FROM d), (SELECT count(*) FROM u) INTO v_expected, v_updated;
		IF v_updated <> v_expected THEN
			RAISE EXCEPTION 'round %: % tally rows expected, % found', p_round, v_expected, v_updated;
		END IF;
		IF v_rev = 1 THEN
			UPDATE round_coverage c SET responded = c.responded + 1
			WHERE c.round_id = p_round
			  AND ((c.level = 'compound' AND c.scope_id = hh.compound_id)
			    OR (c.level = 'building' AND c.scope_id = hh.building_id));
		END IF;
		-- Live results are memoised per version: one of 16 counters, by household.
		INSERT INTO round_versions AS rv (round_id, shard, version)
		VALUES (p_round, p_household % 16, 1)
		ON CONFLICT (round_id, shard) DO UPDATE SET version = rv.version + 1;
	END IF;

	RETURN QUERY SELECT 'ok'::text, v_id, v_rev, v_counted, v_conflict;
END;
$$;

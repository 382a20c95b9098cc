-- `gj_record_ballots` (migration 0025) checks the resident's session itself, and runs fewer
-- statements per ballot (a ballot's cost in PostgreSQL was mostly executor start-up for its seven
-- statements, and half of it the tally delta query). Same rows written, same lock order; what
-- changed:
--
-- - a ballot may carry the resident's session (`session`, the session's id, and `session_until`,
--   the time it must outlive: lucia extends a session with less than half its life left, and
--   only the page can send the new cookie). The session, its user and the user's membership of
--   the household are then read with the ballot, in its transaction, and the ballot is cast by
--   that user; a session that is unknown, expired or due for extension, a user who is not an
--   active resident, a household the user is not a member of, or a consent round's ballot by a
--   member whom no owner authorised gets the status 'unauthorised' and nothing is written. The
--   ballot form's fast path (http/ballot-post.ts) so needs no query of its own. A ballot without
--   a session is written as before (the caller checked who casts it);
-- - the advisory locks are taken by one statement; the window and the household as frozen in
--   the scope are read for the whole batch by the statement that drives the loop (after the
--   locks, so a ballot that waited for a closing sees the round closed, as before);
-- - the tally deltas of a household that is its owner's only flat in the scope (nearly every
--   one: its head is its own answer) are computed once per batch, by the tally statement, over
--   the batch's (choices before, choices after) pairs. Such a delta depends on nothing but
--   that pair, so the sum is the one the step-by-step computation gives. A flat of an owner of
--   several flats keeps the per-ballot query, which reads the siblings' ballots as recorded so
--   far (this batch's included);
-- - the revisions and the audit entries are written by one INSERT each, in the loop's order
--   (each household's revisions in arrival order), after the ballots;
-- - each ballot's status row is returned with RETURN NEXT instead of a query;
-- - the round's version counter a batch bumps is chosen by its connection, not by household;
-- - its statements keep one generic plan each (plan_cache_mode) instead of being planned again.
ALTER TYPE gj_ballot_input ADD ATTRIBUTE session text, ADD ATTRIBUTE session_until timestamptz;
--> statement-breakpoint
-- status per item: 'ok', 'unauthorised' (above), 'not_open' (no such round, a draft, or before its
-- opening time), 'closed', 'not_in_scope'. Nothing is written for an item unless its status is
-- 'ok'. `idx` is the item's position in `p_items`, from 0.
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
	-- One-flat households' counted revisions: (round, compound, building, unit, area, before, after).
	v_one_round integer[] := '{}';
	v_one_compound integer[] := '{}';
	v_one_building integer[] := '{}';
	v_one_unit integer[] := '{}';
	v_one_area bigint[] := '{}';
	v_one_before jsonb[] := '{}';
	v_one_after jsonb[] := '{}';
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

		-- The ballot. An online ballot always replaces the counted one (the last to take the row
		-- lock is the latest); a paper form only when filled in no earlier than it.
		v_counted := true;
		v_cast_by := CASE WHEN it.session IS NULL THEN it.cast_by ELSE it.voter END;
		INSERT INTO ballots AS b (round_id, household_id, revision, choices, prev_choices, overall,
			comment, channel, cast_by, entered_by, photo_image_id, filled_at, conflict, updated_at)
		VALUES (it.round, it.household, 1, it.choices, NULL, it.overall, it.comment, it.channel,
			v_cast_by, it.entered_by, it.photo, coalesce(it.filled_at, clock_timestamp()), false,
			clock_timestamp())
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
			IF v_rev = 1 THEN
				v_prev := NULL;
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
			-- Its own head: the deltas depend on this pair alone (computed with the others', by
			-- the tally statement after the loop).
			v_one_round := v_one_round || it.round;
			v_one_compound := v_one_compound || it.compound_id;
			v_one_building := v_one_building || it.building_id;
			v_one_unit := v_one_unit || it.unit_id;
			v_one_area := v_one_area || it.area_centi::bigint;
			v_one_before := v_one_before || v_prev;
			v_one_after := v_one_after || it.choices;
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
	-- sequential scans whose order would be the table's). Summed deltas that cancel out leave
	-- their row alone; every other row must exist (a missing row is an error, not a lost count).
	--
	-- The deltas are the several-flat owners' (v_deltas) and the one-flat households', as
	-- ballotDelta gives them for a head of one flat: it participates when it answers and approves
	-- when it agrees.
	WITH changed AS (
		SELECT o.*, ri.id, ri.decision_scope,
			o.before ->> ri.id::text AS was, o.after ->> ri.id::text AS now
		FROM unnest(v_one_round, v_one_compound, v_one_building, v_one_unit, v_one_area,
			v_one_before, v_one_after)
			AS o (round, compound, building, unit, area, before, after)
		JOIN round_items ri ON ri.round_id = o.round
			AND (ri.building_id IS NULL OR ri.building_id = o.building)
		WHERE (o.before ->> ri.id::text) IS DISTINCT FROM (o.after ->> ri.id::text)
	), f AS (
		SELECT c.round, c.id, l.level,
			CASE l.level WHEN 'compound' THEN c.compound
				WHEN 'building' THEN c.building ELSE c.unit END AS scope_id,
			c.area,
			(c.now = 'agree') IS TRUE AS now_agree, (c.was = 'agree') IS TRUE AS was_agree,
			(c.now = 'disagree') IS TRUE AS now_disagree,
			(c.was = 'disagree') IS TRUE AS was_disagree,
			(c.now = 'abstain') IS TRUE AS now_abstain,
			(c.was = 'abstain') IS TRUE AS was_abstain,
			c.now IS NOT NULL AS part_now, c.was IS NOT NULL AS part_was
		FROM changed c
		CROSS JOIN (VALUES ('compound'::tally_level), ('building'::tally_level),
			('unit'::tally_level)) AS l (level)
		WHERE l.level <> 'unit' OR c.decision_scope = 'unit'
	), x AS (
		SELECT * FROM unnest(v_deltas)
		UNION ALL
		SELECT f.round, f.id, f.level, f.scope_id,
			f.now_agree::int - f.was_agree::int,
			f.now_disagree::int - f.was_disagree::int,
			f.now_abstain::int - f.was_abstain::int,
			f.area * (f.now_agree::int - f.was_agree::int),
			f.area * (f.now_disagree::int - f.was_disagree::int),
			f.area * (f.now_abstain::int - f.was_abstain::int),
			f.part_now::int - f.part_was::int,
			f.now_agree::int - f.was_agree::int
		FROM f
	), d AS MATERIALIZED (
		SELECT x.round_id, x.level, x.round_item_id, x.scope_id,
			sum(x.agree)::int AS agree, sum(x.disagree)::int AS disagree,
			sum(x.abstain)::int AS abstain, sum(x.agree_area)::bigint AS agree_area,
			sum(x.disagree_area)::bigint AS disagree_area,
			sum(x.abstain_area)::bigint AS abstain_area,
			sum(x.heads_participating)::int AS heads_participating,
			sum(x.heads_approving)::int AS heads_approving
		FROM x
		GROUP BY x.round_id, x.level, x.round_item_id, x.scope_id
		HAVING sum(x.agree) <> 0 OR sum(x.disagree) <> 0 OR sum(x.abstain) <> 0
			OR sum(x.agree_area) <> 0 OR sum(x.disagree_area) <> 0 OR sum(x.abstain_area) <> 0
			OR sum(x.heads_participating) <> 0 OR sum(x.heads_approving) <> 0
		ORDER BY x.round_id, x.level, x.round_item_id, x.scope_id
	), u AS (
		UPDATE round_tallies rt SET
			agree = rt.agree + d.agree,
			disagree = rt.disagree + d.disagree,
			abstain = rt.abstain + d.abstain,
			agree_area = rt.agree_area + d.agree_area,
			disagree_area = rt.disagree_area + d.disagree_area,
			abstain_area = rt.abstain_area + d.abstain_area,
			heads_participating = rt.heads_participating + d.heads_participating,
			heads_approving = rt.heads_approving + d.heads_approving
		FROM d
		WHERE rt.round_id = d.round_id AND rt.level = d.level
		  AND rt.round_item_id = d.round_item_id AND rt.scope_id = d.scope_id
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

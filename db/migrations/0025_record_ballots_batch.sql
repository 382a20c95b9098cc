-- Ballots in batches: `gj_record_ballots(items jsonb)` records several ballot revisions in one
-- transaction (src/lib/server/ballots/batch.ts groups the ballots that arrive while the previous
-- batch is being written). Each ballot gets exactly what `gj_record_ballot` gave it alone — its
-- window check by the database clock, its household as frozen in the scope, its ballot, revision
-- and audit entry, and the tally deltas of `ballotDelta` computed against the ballots recorded
-- before it — but each shared row (a compound's tallies and coverage, the round's version
-- counters, a building's tallies when two of its ballots meet) is written once per batch with the
-- deltas summed, and the batch commits once: fewer row versions, fewer lock waits, fewer WAL
-- flushes per ballot.
--
-- Lock order, the same for a batch of one and a batch of 64, so concurrent batches (several app
-- instances) and single calls cannot deadlock: the rounds' window locks (shared, by round), the
-- owners' locks (by key), the ballots (by household, each household's revisions in the order
-- given), then the tallies, the coverage and the version counters, each in key order. A deadlock
-- with another kind of transaction is retried by the caller.
--
-- It replaces `gj_record_ballot` (migration 0024): a ballot alone is a batch of one, so every
-- path — the resident's form, the Astro action, paper and double entry inside their own
-- transactions — runs this code.
CREATE TYPE gj_ballot_input AS (
	round integer,
	household integer,
	choices jsonb,
	overall ballot_choice,
	comment text,
	channel ballot_channel,
	cast_by text,
	entered_by text,
	photo text,
	filled_at timestamptz,
	audit_action text,
	actor_id text,
	actor_kind text,
	community integer
);
--> statement-breakpoint
CREATE TYPE gj_tally_delta AS (
	round_id integer,
	round_item_id integer,
	level tally_level,
	scope_id integer,
	agree integer,
	disagree integer,
	abstain integer,
	agree_area bigint,
	disagree_area bigint,
	abstain_area bigint,
	heads_participating integer,
	heads_approving integer
);
--> statement-breakpoint
-- status per item: 'ok', 'not_open' (no such round, a draft, or before its opening time),
-- 'closed', 'not_in_scope'. Nothing is written for an item unless its status is 'ok'. `idx` is
-- the item's position in `p_items`, from 0.
CREATE FUNCTION gj_record_ballots(p_items jsonb)
RETURNS TABLE (idx integer, status text, ballot_id bigint, revision integer, counted boolean,
	conflict boolean)
LANGUAGE plpgsql
-- For the tally UPDATE's lock order (see there); every other statement here is a key lookup.
SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off
SET enable_bitmapscan = off
AS $$
#variable_conflict use_column
DECLARE
	it record;
	w record;
	hh round_households%ROWTYPE;
	v_key integer;
	v_id bigint;
	v_rev integer;
	v_prev jsonb;
	v_conflict boolean;
	v_filled timestamptz;
	v_counted boolean;
	v_deltas gj_tally_delta[] := '{}';
	v_first_round integer[] := '{}';
	v_first_household integer[] := '{}';
	v_shard_round integer[] := '{}';
	v_shard integer[] := '{}';
	v_expected bigint;
	v_updated bigint;
	cov record;
BEGIN
	-- The rounds' window locks (ROUND_WINDOW_LOCK_KEY, shared; closing takes it alone: load.ts).
	-- Each ballot reads the clock after them: one that waited for a closing sees the round closed.
	-- An advisory lock, not FOR SHARE on the round's row: many ballots sharing one row lock make
	-- a new multixact each time, which costs more than the rest of the ballot.
	FOR v_key IN
		SELECT DISTINCT (e ->> 'round')::integer FROM jsonb_array_elements(p_items) e ORDER BY 1
	LOOP
		PERFORM pg_advisory_xact_lock_shared(7340214, v_key);
	END LOOP;
	-- One owner's flats share one head: their ballots are serialised, so each head delta is
	-- computed from settled sibling ballots. (7340215: the owner lock's class, beside the other
	-- keys of load.ts and the app.)
	FOR v_key IN
		SELECT DISTINCT hashtext(h.round_id || ':' || h.owner_key)
		FROM jsonb_array_elements(p_items) e
		JOIN round_households h ON h.round_id = (e ->> 'round')::integer
			AND h.household_id = (e ->> 'household')::integer
		WHERE h.owner_units > 1
		ORDER BY 1
	LOOP
		PERFORM pg_advisory_xact_lock(7340215, v_key);
	END LOOP;

	FOR it IN
		SELECT (e.n - 1)::integer AS i, x.*
		FROM jsonb_array_elements(p_items) WITH ORDINALITY AS e (j, n)
		CROSS JOIN LATERAL jsonb_populate_record(NULL::gj_ballot_input, e.j) AS x
		ORDER BY x.household, e.n
	LOOP
		SELECT clock_timestamp() AS now, r.opened_at, r.opens_at, r.closes_at INTO w
		FROM rounds r WHERE r.id = it.round;
		IF NOT FOUND OR w.opened_at IS NULL OR w.now < w.opens_at THEN
			RETURN QUERY SELECT it.i, 'not_open'::text, NULL::bigint, NULL::integer, NULL::boolean,
				NULL::boolean;
			CONTINUE;
		END IF;
		IF w.now >= w.closes_at THEN
			RETURN QUERY SELECT it.i, 'closed'::text, NULL::bigint, NULL::integer, NULL::boolean,
				NULL::boolean;
			CONTINUE;
		END IF;
		SELECT * INTO hh FROM round_households h
		WHERE h.round_id = it.round AND h.household_id = it.household;
		IF NOT FOUND THEN
			RETURN QUERY SELECT it.i, 'not_in_scope'::text, NULL::bigint, NULL::integer,
				NULL::boolean, NULL::boolean;
			CONTINUE;
		END IF;

		-- The ballot and its revision. An online ballot always replaces the counted one (the last
		-- to take the row lock is the latest); a paper form only when filled in no earlier than it.
		v_counted := true;
		INSERT INTO ballots AS b (round_id, household_id, revision, choices, prev_choices, overall,
			comment, channel, cast_by, entered_by, photo_image_id, filled_at, conflict, updated_at)
		VALUES (it.round, it.household, 1, it.choices, NULL, it.overall, it.comment, it.channel,
			it.cast_by, it.entered_by, it.photo, coalesce(it.filled_at, clock_timestamp()), false,
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
			INSERT INTO ballot_revisions (ballot_id, round_id, household_id, revision, choices,
				overall, comment, channel, cast_by, entered_by, photo_image_id, filled_at, counted)
			VALUES (v_id, it.round, it.household, v_rev, it.choices, it.overall, it.comment,
				it.channel, it.cast_by, it.entered_by, it.photo, v_filled, true);
			IF v_rev = 1 THEN
				v_prev := NULL;
			END IF;
		ELSE
			-- A paper form older than the counted online ballot: kept uncounted, flagged for review.
			UPDATE ballots b SET revision = b.revision + 1, conflict = true, reviewed_by = NULL
			WHERE b.round_id = it.round AND b.household_id = it.household
			RETURNING b.id, b.revision INTO v_id, v_rev;
			INSERT INTO ballot_revisions (ballot_id, round_id, household_id, revision, choices,
				overall, comment, channel, cast_by, entered_by, photo_image_id, filled_at, counted)
			VALUES (v_id, it.round, it.household, v_rev, it.choices, it.overall, it.comment,
				it.channel, it.cast_by, it.entered_by, it.photo, it.filled_at, false);
			v_counted := false;
			v_conflict := true;
		END IF;

		IF it.audit_action IS NOT NULL THEN
			-- As appendAudit writes it: unsealed, chained after commit by the sealer.
			INSERT INTO audit_log (at, actor_id, actor_kind, action, target_type, target_id,
				community_id, details)
			VALUES (clock_timestamp(), it.actor_id, it.actor_kind, it.audit_action, 'household',
				it.household::text, it.community,
				jsonb_build_object('roundId', it.round, 'revision', v_rev, 'counted', v_counted,
					'conflict', v_conflict)
				|| CASE WHEN it.photo IS NULL THEN '{}'::jsonb
					ELSE jsonb_build_object('photo', it.photo) END);
		END IF;

		IF v_counted THEN
			-- The deltas of ballotDelta: per item the household answers whose choice changed, per
			-- level (unit only for items decided per unit). An owner head participates when any of
			-- the owner's flats in the scope answered, and approves when every answer given agrees
			-- (the siblings' ballots as recorded so far, this batch's included).
			v_deltas := v_deltas || ARRAY(
				WITH changed AS (
					SELECT ri.id, ri.building_id, ri.decision_scope,
						v_prev ->> ri.id::text AS was, it.choices ->> ri.id::text AS now
					FROM round_items ri
					WHERE ri.round_id = it.round
					  AND (ri.building_id IS NULL OR ri.building_id = hh.building_id)
					  AND (v_prev ->> ri.id::text) IS DISTINCT FROM (it.choices ->> ri.id::text)
				), levels AS (
					SELECT ch.*, l.level,
						CASE l.level WHEN 'compound' THEN hh.compound_id
							WHEN 'building' THEN hh.building_id ELSE hh.unit_id END AS scope_id
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
							WHERE hh.owner_units > 1
							  AND sh.round_id = it.round AND sh.owner_key = hh.owner_key
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
					hh.area_centi * (f.now_agree::int - f.was_agree::int),
					hh.area_centi * (f.now_disagree::int - f.was_disagree::int),
					hh.area_centi * (f.now_abstain::int - f.was_abstain::int),
					f.part_now::int - f.part_was::int,
					f.appr_now::int - f.appr_was::int)::gj_tally_delta
				FROM f
			);
			IF v_rev = 1 THEN
				v_first_round := v_first_round || it.round;
				v_first_household := v_first_household || it.household;
			END IF;
			v_shard_round := v_shard_round || it.round;
			v_shard := v_shard || (it.household % 16);
		END IF;

		RETURN QUERY SELECT it.i, 'ok'::text, v_id, v_rev, v_counted, v_conflict;
	END LOOP;

	-- The shared rows, each once, in primary-key order: one statement, a nested loop driven by
	-- d in that order (the function's SET clauses below rule out the hash and merge joins and
	-- the sequential scans whose order would be the table's). Summed deltas that cancel out leave
	-- their row alone; every other row must exist (a missing row is an error, not a lost count).
	WITH d AS MATERIALIZED (
		SELECT x.round_id, x.level, x.round_item_id, x.scope_id,
			sum(x.agree)::int AS agree, sum(x.disagree)::int AS disagree,
			sum(x.abstain)::int AS abstain, sum(x.agree_area)::bigint AS agree_area,
			sum(x.disagree_area)::bigint AS disagree_area,
			sum(x.abstain_area)::bigint AS abstain_area,
			sum(x.heads_participating)::int AS heads_participating,
			sum(x.heads_approving)::int AS heads_approving
		FROM unnest(v_deltas) AS x
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

	-- Live results are memoised per version: one of 16 counters per round, by household.
	INSERT INTO round_versions AS rv (round_id, shard, version)
	SELECT x.r, x.s, count(*)
	FROM unnest(v_shard_round, v_shard) AS x (r, s)
	GROUP BY x.r, x.s
	ORDER BY x.r, x.s
	ON CONFLICT (round_id, shard) DO UPDATE SET version = rv.version + excluded.version;
END;
$$;
--> statement-breakpoint
-- A ballot alone is a batch of one: the single-ballot function of migration 0024 goes.
DROP FUNCTION gj_record_ballot(integer, integer, jsonb, ballot_choice, text, ballot_channel, text,
	text, text, timestamptz, text, text, text, integer);

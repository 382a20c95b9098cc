-- Running totals for the surveys answered before survey_tallies existed (0017): the same
-- recount as recountQuery() in src/lib/server/surveys/tallies.ts, for every survey.
INSERT INTO survey_tallies (survey_id, building_id, counter, question_id, value, n)
WITH overall AS (
	SELECT DISTINCT ON (survey_id) survey_id, id AS question_id
	FROM survey_questions WHERE role = 'overall' AND kind = 'rating'
	ORDER BY survey_id, sort, id
), r AS (
	SELECT survey_id, id, household_id, building_id FROM survey_responses
), a AS (
	SELECT a.survey_id, a.response_id, a.question_id, a.value, a.text IS NULL AS counted
	FROM survey_answers a
), oa AS (
	SELECT a.*, r.building_id FROM a
	JOIN overall o ON o.survey_id = a.survey_id AND o.question_id = a.question_id
	JOIN r ON r.id = a.response_id
), counts AS (
	SELECT survey_id, 0 AS building_id, 'scope' AS counter, 0 AS question_id, 0 AS value, count(*) AS n
	FROM survey_households GROUP BY survey_id
	UNION ALL
	SELECT survey_id, building_id, 'scope', 0, 0, count(*) FROM survey_households GROUP BY survey_id, building_id
	UNION ALL
	SELECT survey_id, 0, 'responses', 0, 0, count(*) FROM r GROUP BY survey_id
	UNION ALL
	SELECT survey_id, building_id, 'responses', 0, 0, count(*) FROM r GROUP BY survey_id, building_id
	UNION ALL
	SELECT survey_id, 0, 'households', 0, 0, count(DISTINCT household_id) FROM r GROUP BY survey_id
	UNION ALL
	SELECT survey_id, building_id, 'households', 0, 0, count(DISTINCT household_id) FROM r GROUP BY survey_id, building_id
	UNION ALL
	SELECT survey_id, 0, 'answered', question_id, 0, count(DISTINCT response_id) FROM a GROUP BY survey_id, question_id
	UNION ALL
	SELECT survey_id, 0, 'value', question_id, value, count(*) FROM a WHERE counted GROUP BY survey_id, question_id, value
	UNION ALL
	SELECT survey_id, building_id, 'answered', question_id, 0, count(DISTINCT response_id) FROM oa GROUP BY survey_id, building_id, question_id
	UNION ALL
	SELECT survey_id, building_id, 'value', question_id, value, count(*) FROM oa WHERE counted GROUP BY survey_id, building_id, question_id, value
)
SELECT survey_id, building_id, counter::survey_tally_counter, question_id, value, n::int FROM counts WHERE n > 0;

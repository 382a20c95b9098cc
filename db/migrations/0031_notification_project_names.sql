-- Notifications about opinions written before issue 17 carry no project name (moderation and
-- answers passed none), so they read "您对「」提的意见…". Fill in the name of the notification's
-- project (both languages); rows that have one are left as they are.
UPDATE "notifications" AS n
SET "params" = n."params" || jsonb_build_object('project', p."name", 'projectEn', p."name_en")
FROM "projects" AS p
WHERE p."id" = n."project_id"
	AND n."kind" LIKE 'opinion.%'
	AND coalesce(n."params"->>'project', '') = '';

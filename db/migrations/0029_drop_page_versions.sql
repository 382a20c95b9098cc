-- The content and per-user page versions go, with the triggers that moved them on every write
-- (dropping each function drops its triggers): no page cache keys on them any more.
DROP FUNCTION IF EXISTS content_version_bump() CASCADE;--> statement-breakpoint
DROP FUNCTION IF EXISTS user_version_bump() CASCADE;--> statement-breakpoint
DROP TABLE IF EXISTS content_version;--> statement-breakpoint
DROP TABLE IF EXISTS user_versions;

-- The application's database role: what the app does, nothing more (README, "PostgreSQL roles").
-- Run as the owner of the database's tables (the role migrations run as), after migrating, with
-- psql: psql "$DATABASE_OWNER_URL" -v app=gongjian_app -f db/app-role.sql
-- Rerun it after every deploy that adds migrations (it is idempotent).
--
-- The app reads and writes rows; it creates, alters, truncates and drops nothing, so it can
-- neither disable the audit log's triggers (only the table's owner or a superuser can) nor
-- remove or rewrite audit entries: it may insert them and set their chain columns once (the
-- seal; the trigger refuses any other update).
grant usage on schema public to :"app";
revoke create on schema public from :"app";
grant select, insert, update, delete on all tables in schema public to :"app";
grant usage, select on all sequences in schema public to :"app";
revoke update, delete, truncate on audit_log from :"app";
grant update (seq, prev_hash, hash) on audit_log to :"app";
-- Tables and sequences later migrations create (run as this owner) get the same rights.
alter default privileges in schema public grant select, insert, update, delete on tables to :"app";
alter default privileges in schema public grant usage, select on sequences to :"app";

-- Rounds opened before the "round opened" notification existed: those already open were
-- announced by hand, so they count as notified; those still scheduled get the job that tells
-- their households at the opening time (the same job `openRound` queues; one per round ever,
-- by its key).
UPDATE "rounds" SET "open_notified_at" = "opened_at"
WHERE "opened_at" IS NOT NULL AND "open_notified_at" IS NULL AND "opens_at" <= now();
--> statement-breakpoint
INSERT INTO "jobs" ("kind", "key", "payload", "run_at")
SELECT 'ballots.round_opened', 'round:' || "id", jsonb_build_object('roundId', "id"), "opens_at"
FROM "rounds"
WHERE "opened_at" IS NOT NULL AND "open_notified_at" IS NULL AND "opens_at" > now()
ON CONFLICT ("kind", "key") DO NOTHING;

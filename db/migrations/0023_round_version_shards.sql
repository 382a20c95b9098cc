-- Ballots bump one of several version counters per round (by household), so concurrent ballots
-- no longer queue on a single row; the round's version is the sum of its counters.
ALTER TABLE "round_versions" DROP CONSTRAINT "round_versions_pkey";--> statement-breakpoint
ALTER TABLE "round_versions" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "round_versions" ADD CONSTRAINT "round_versions_round_id_shard_pk" PRIMARY KEY("round_id","shard");

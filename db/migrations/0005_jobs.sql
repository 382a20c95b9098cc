CREATE TABLE "jobs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "jobs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"key" text,
	"state" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 5 NOT NULL,
	"run_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"lock_token" text,
	"locked_until" timestamp (3) with time zone,
	"last_error" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone,
	CONSTRAINT "jobs_kind_key_uq" UNIQUE("kind","key"),
	CONSTRAINT "jobs_kind_ck" CHECK ("jobs"."kind" ~ '^[a-z][a-z0-9_]*([.][a-z][a-z0-9_]*)*$'),
	CONSTRAINT "jobs_state_ck" CHECK ("jobs"."state" in ('queued', 'running', 'done', 'failed')),
	CONSTRAINT "jobs_payload_ck" CHECK (jsonb_typeof("jobs"."payload") = 'object'),
	CONSTRAINT "jobs_attempts_ck" CHECK ("jobs"."max_attempts" between 1 and 100 and "jobs"."attempts" between 0 and "jobs"."max_attempts"),
	CONSTRAINT "jobs_lease_ck" CHECK (("jobs"."state" = 'running') = ("jobs"."lock_token" is not null and "jobs"."locked_until" is not null)),
	CONSTRAINT "jobs_finished_ck" CHECK (("jobs"."state" in ('done', 'failed')) = ("jobs"."finished_at" is not null))
);
--> statement-breakpoint
CREATE INDEX "jobs_due_idx" ON "jobs" USING btree ("run_at") WHERE "jobs"."state" = 'queued';--> statement-breakpoint
CREATE INDEX "jobs_lease_idx" ON "jobs" USING btree ("locked_until") WHERE "jobs"."state" = 'running';
CREATE TYPE "public"."acceptance_outcome" AS ENUM('passed', 'passed_with_defects', 'failed');--> statement-breakpoint
CREATE TYPE "public"."item_progress_status" AS ENUM('not_started', 'in_progress', 'done', 'dropped');--> statement-breakpoint
CREATE TYPE "public"."milestone_kind" AS ENUM('works_started', 'works_completed', 'joint_acceptance');--> statement-breakpoint
CREATE TYPE "public"."problem_status" AS ENUM('open', 'dispatched', 'closed');--> statement-breakpoint
CREATE TABLE "acceptance_defects" (
	"id" serial PRIMARY KEY NOT NULL,
	"record_id" integer NOT NULL,
	"description" text NOT NULL,
	"due_on" date NOT NULL,
	"fixed_on" date
);
--> statement-breakpoint
CREATE TABLE "acceptance_records" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"held_on" date NOT NULL,
	"units" text NOT NULL,
	"representatives" text NOT NULL,
	"outcome" "acceptance_outcome" NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"recorded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "acceptance_records_project_id_unique" UNIQUE("project_id")
);
--> statement-breakpoint
CREATE TABLE "acceptance_scans" (
	"record_id" integer NOT NULL,
	"image_id" text NOT NULL,
	"sort" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "acceptance_scans_record_id_image_id_pk" PRIMARY KEY("record_id","image_id")
);
--> statement-breakpoint
CREATE TABLE "item_progress" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"item_id" integer NOT NULL,
	"building_id" integer,
	"percent" smallint DEFAULT 0 NOT NULL,
	"status" "item_progress_status" DEFAULT 'not_started' NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"update_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "item_progress_percent_ck" CHECK ("item_progress"."percent" between 0 and 100),
	CONSTRAINT "item_progress_status_ck" CHECK (("item_progress"."status" <> 'done' or "item_progress"."percent" = 100) and ("item_progress"."status" <> 'not_started' or "item_progress"."percent" = 0) and ("item_progress"."status" <> 'dropped' or length("item_progress"."reason") > 0))
);
--> statement-breakpoint
CREATE TABLE "meeting_rsvps" (
	"meeting_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_rsvps_meeting_id_user_id_pk" PRIMARY KEY("meeting_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"place" text NOT NULL,
	"agenda" text DEFAULT '' NOT NULL,
	"minutes" text DEFAULT '' NOT NULL,
	"decisions" text DEFAULT '' NOT NULL,
	"attendance" integer,
	"minutes_published_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meetings_attendance_ck" CHECK ("meetings"."attendance" is null or "meetings"."attendance" >= 0),
	CONSTRAINT "meetings_minutes_ck" CHECK ("meetings"."minutes_published_at" is null or length("meetings"."minutes") > 0)
);
--> statement-breakpoint
CREATE TABLE "milestones" (
	"project_id" integer NOT NULL,
	"kind" "milestone_kind" NOT NULL,
	"planned_on" date,
	"achieved_on" date,
	"announced_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "milestones_project_id_kind_pk" PRIMARY KEY("project_id","kind")
);
--> statement-breakpoint
CREATE TABLE "notification_deliveries" (
	"notification_id" integer NOT NULL,
	"channel" text NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_deliveries_notification_id_channel_pk" PRIMARY KEY("notification_id","channel"),
	CONSTRAINT "notification_deliveries_channel_ck" CHECK ("notification_deliveries"."channel" in ('sms')),
	CONSTRAINT "notification_deliveries_state_ck" CHECK ("notification_deliveries"."state" in ('queued', 'sent', 'skipped') and ("notification_deliveries"."state" = 'sent') = ("notification_deliveries"."sent_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "notification_settings" (
	"user_id" text PRIMARY KEY NOT NULL,
	"sms_opt_in" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "problem_photos" (
	"report_id" integer NOT NULL,
	"image_id" text NOT NULL,
	"sort" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "problem_photos_report_id_image_id_pk" PRIMARY KEY("report_id","image_id")
);
--> statement-breakpoint
CREATE TABLE "problem_reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"reporter_id" text,
	"body" text NOT NULL,
	"building_id" integer,
	"place" text DEFAULT '' NOT NULL,
	"status" "problem_status" DEFAULT 'open' NOT NULL,
	"unit" text,
	"due_on" date,
	"dispatched_by" text,
	"dispatched_at" timestamp with time zone,
	"answer" text DEFAULT '' NOT NULL,
	"answer_image_id" text,
	"closed_by" text,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "problem_reports_dispatch_ck" CHECK ("problem_reports"."status" = 'open' or ("problem_reports"."unit" is not null and "problem_reports"."dispatched_at" is not null)),
	CONSTRAINT "problem_reports_close_ck" CHECK (("problem_reports"."status" = 'closed') = ("problem_reports"."closed_at" is not null) and ("problem_reports"."status" <> 'closed' or length("problem_reports"."answer") > 0))
);
--> statement-breakpoint
CREATE TABLE "progress_item_changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"update_id" integer NOT NULL,
	"item_id" integer NOT NULL,
	"building_id" integer,
	"percent" smallint NOT NULL,
	"status" "item_progress_status" NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	CONSTRAINT "progress_item_changes_percent_ck" CHECK ("progress_item_changes"."percent" between 0 and 100),
	CONSTRAINT "progress_item_changes_status_ck" CHECK (("progress_item_changes"."status" <> 'done' or "progress_item_changes"."percent" = 100) and ("progress_item_changes"."status" <> 'not_started' or "progress_item_changes"."percent" = 0) and ("progress_item_changes"."status" <> 'dropped' or length("progress_item_changes"."reason") > 0))
);
--> statement-breakpoint
CREATE TABLE "progress_photos" (
	"update_id" integer NOT NULL,
	"image_id" text NOT NULL,
	"sort" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "progress_photos_update_id_image_id_pk" PRIMARY KEY("update_id","image_id")
);
--> statement-breakpoint
CREATE TABLE "progress_updates" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"body" text NOT NULL,
	"body_en" text DEFAULT '' NOT NULL,
	"author_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "acceptance_defects" ADD CONSTRAINT "acceptance_defects_record_id_acceptance_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."acceptance_records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acceptance_records" ADD CONSTRAINT "acceptance_records_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acceptance_records" ADD CONSTRAINT "acceptance_records_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acceptance_scans" ADD CONSTRAINT "acceptance_scans_record_id_acceptance_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."acceptance_records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acceptance_scans" ADD CONSTRAINT "acceptance_scans_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."images"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "item_progress" ADD CONSTRAINT "item_progress_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "item_progress" ADD CONSTRAINT "item_progress_item_id_renovation_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."renovation_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "item_progress" ADD CONSTRAINT "item_progress_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "item_progress" ADD CONSTRAINT "item_progress_update_id_progress_updates_id_fk" FOREIGN KEY ("update_id") REFERENCES "public"."progress_updates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_rsvps" ADD CONSTRAINT "meeting_rsvps_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_rsvps" ADD CONSTRAINT "meeting_rsvps_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "milestones" ADD CONSTRAINT "milestones_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_notification_id_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notifications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD CONSTRAINT "notification_settings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_photos" ADD CONSTRAINT "problem_photos_report_id_problem_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."problem_reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_photos" ADD CONSTRAINT "problem_photos_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."images"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_reports" ADD CONSTRAINT "problem_reports_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_reports" ADD CONSTRAINT "problem_reports_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_reports" ADD CONSTRAINT "problem_reports_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_reports" ADD CONSTRAINT "problem_reports_dispatched_by_users_id_fk" FOREIGN KEY ("dispatched_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_reports" ADD CONSTRAINT "problem_reports_answer_image_id_images_id_fk" FOREIGN KEY ("answer_image_id") REFERENCES "public"."images"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_reports" ADD CONSTRAINT "problem_reports_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_item_changes" ADD CONSTRAINT "progress_item_changes_update_id_progress_updates_id_fk" FOREIGN KEY ("update_id") REFERENCES "public"."progress_updates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_item_changes" ADD CONSTRAINT "progress_item_changes_item_id_renovation_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."renovation_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_item_changes" ADD CONSTRAINT "progress_item_changes_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_photos" ADD CONSTRAINT "progress_photos_update_id_progress_updates_id_fk" FOREIGN KEY ("update_id") REFERENCES "public"."progress_updates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_photos" ADD CONSTRAINT "progress_photos_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."images"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_updates" ADD CONSTRAINT "progress_updates_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_updates" ADD CONSTRAINT "progress_updates_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "acceptance_defects_record_idx" ON "acceptance_defects" USING btree ("record_id");--> statement-breakpoint
CREATE UNIQUE INDEX "item_progress_uq" ON "item_progress" USING btree ("project_id","item_id",coalesce("building_id", 0));--> statement-breakpoint
CREATE INDEX "meetings_project_idx" ON "meetings" USING btree ("project_id","starts_at");--> statement-breakpoint
CREATE INDEX "notification_deliveries_sent_idx" ON "notification_deliveries" USING btree ("sent_at") WHERE "notification_deliveries"."state" = 'sent';--> statement-breakpoint
CREATE INDEX "problem_reports_project_idx" ON "problem_reports" USING btree ("project_id","status");--> statement-breakpoint
CREATE INDEX "problem_reports_reporter_idx" ON "problem_reports" USING btree ("reporter_id");--> statement-breakpoint
CREATE INDEX "progress_item_changes_update_idx" ON "progress_item_changes" USING btree ("update_id");--> statement-breakpoint
CREATE INDEX "progress_updates_project_idx" ON "progress_updates" USING btree ("project_id","created_at");
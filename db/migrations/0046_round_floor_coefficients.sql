CREATE TABLE "round_floor_coefficients" (
	"round_id" integer NOT NULL,
	"floor" smallint NOT NULL,
	"permille" integer NOT NULL,
	CONSTRAINT "round_floor_coefficients_round_id_floor_pk" PRIMARY KEY("round_id","floor"),
	CONSTRAINT "round_floor_coefficients_floor_ck" CHECK ("round_floor_coefficients"."floor" between -5 and 100),
	CONSTRAINT "round_floor_coefficients_permille_ck" CHECK ("round_floor_coefficients"."permille" between 0 and 10000)
);
--> statement-breakpoint
ALTER TABLE "round_floor_coefficients" ADD CONSTRAINT "round_floor_coefficients_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;
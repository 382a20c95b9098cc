import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	index,
	integer,
	numeric,
	pgEnum,
	pgTable,
	serial,
	smallint,
	text,
	timestamp,
	unique,
} from 'drizzle-orm/pg-core';

/**
 * The organisation tree: district 区 → subdistrict 街道/镇 → community 社区 → compound 小区 →
 * building 楼栋 → unit 单元 → household 户. Households are the unit of every count the policies
 * use (coverage, consent, satisfaction), so the tree is data with constraints, not free text.
 */

export const districts = pgTable(
	'districts',
	{
		id: serial('id').primaryKey(),
		code: text('code').notNull().unique(),
		name: text('name').notNull(),
		nameEn: text('name_en').notNull(),
		/** The shortest public notice (公示) of a plan version before a final plan, in days. */
		noticeDays: smallint('notice_days').notNull().default(7),
		/**
		 * Candidate compounds (issue 22): those built before this year qualify for renovation
		 * (国办发〔2020〕23号: 2000年底前建成的老旧小区), configurable per district.
		 */
		candidateBuiltBefore: smallint('candidate_built_before').notNull().default(2000),
	},
	(t) => [
		check('districts_notice_days_ck', sql`${t.noticeDays} between 1 and 90`),
		check(
			'districts_candidate_built_before_ck',
			sql`${t.candidateBuiltBefore} between 1950 and 2100`,
		),
	],
);

export const subdistrictKind = pgEnum('subdistrict_kind', ['street', 'town']);

export const subdistricts = pgTable(
	'subdistricts',
	{
		id: serial('id').primaryKey(),
		districtId: integer('district_id')
			.notNull()
			.references(() => districts.id),
		kind: subdistrictKind('kind').notNull().default('street'),
		name: text('name').notNull(),
		nameEn: text('name_en').notNull(),
	},
	(t) => [unique('subdistricts_name_uq').on(t.districtId, t.name)],
);

export const communities = pgTable(
	'communities',
	{
		id: serial('id').primaryKey(),
		subdistrictId: integer('subdistrict_id')
			.notNull()
			.references(() => subdistricts.id),
		name: text('name').notNull(),
		nameEn: text('name_en').notNull(),
		/**
		 * How residents reach the neighbourhood committee (居委会), printed on every notice:
		 * phone, office address and office hours, set by the committee itself.
		 */
		contactPhone: text('contact_phone').notNull().default(''),
		contactAddress: text('contact_address').notNull().default(''),
		contactAddressEn: text('contact_address_en').notNull().default(''),
		officeHours: text('office_hours').notNull().default(''),
		officeHoursEn: text('office_hours_en').notNull().default(''),
	},
	(t) => [unique('communities_name_uq').on(t.subdistrictId, t.name)],
);

export const compounds = pgTable(
	'compounds',
	{
		id: serial('id').primaryKey(),
		communityId: integer('community_id')
			.notNull()
			.references(() => communities.id),
		name: text('name').notNull(),
		nameEn: text('name_en').notNull(),
		address: text('address').notNull().default(''),
		builtYear: smallint('built_year'),
	},
	(t) => [
		unique('compounds_name_uq').on(t.communityId, t.name),
		check(
			'compounds_built_year_ck',
			sql`${t.builtYear} is null or ${t.builtYear} between 1900 and 2100`,
		),
	],
);

export const buildings = pgTable(
	'buildings',
	{
		id: serial('id').primaryKey(),
		compoundId: integer('compound_id')
			.notNull()
			.references(() => compounds.id),
		/** The number residents use: "3" in 3号楼. */
		number: text('number').notNull(),
		floors: smallint('floors').notNull(),
		hasElevator: boolean('has_elevator').notNull().default(false),
	},
	(t) => [
		unique('buildings_number_uq').on(t.compoundId, t.number),
		check('buildings_floors_ck', sql`${t.floors} between 1 and 60`),
	],
);

export const units = pgTable(
	'units',
	{
		id: serial('id').primaryKey(),
		buildingId: integer('building_id')
			.notNull()
			.references(() => buildings.id),
		/** "1" in 1单元. */
		number: text('number').notNull(),
	},
	(t) => [unique('units_number_uq').on(t.buildingId, t.number)],
);

export const occupancy = pgEnum('occupancy', ['owner_occupied', 'rented', 'vacant']);

export const households = pgTable(
	'households',
	{
		id: serial('id').primaryKey(),
		unitId: integer('unit_id')
			.notNull()
			.references(() => units.id),
		/** Denormalised from the tree for counts by building and compound (kept equal by a trigger). */
		buildingId: integer('building_id')
			.notNull()
			.references(() => buildings.id),
		compoundId: integer('compound_id')
			.notNull()
			.references(() => compounds.id),
		room: text('room').notNull(),
		floor: smallint('floor').notNull(),
		/** Registered floor area in m², exact (Civil Code art. 278 counts area, so no floats). */
		areaM2: numeric('area_m2', { precision: 10, scale: 2 }).notNull(),
		occupancy: occupancy('occupancy').notNull().default('owner_occupied'),
		/**
		 * Keyed hash of the owner's identity (e.g. the property certificate number). Flats with
		 * the same key belong to one owner, who counts as one head (SPC interpretation on
		 * 建筑物区分所有权, art. 9). Never the clear value.
		 */
		ownerKey: text('owner_key').notNull(),
		retiredAt: timestamp('retired_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [
		unique('households_room_uq').on(t.unitId, t.room),
		check('households_area_ck', sql`${t.areaM2} > 0 and ${t.areaM2} <= 1000`),
		check('households_floor_ck', sql`${t.floor} between -5 and 100`),
		check('households_owner_key_ck', sql`length(${t.ownerKey}) between 8 and 128`),
		index('households_building_idx').on(t.buildingId),
		index('households_compound_idx').on(t.compoundId),
		index('households_owner_key_idx').on(t.ownerKey),
	],
);

/**
 * 纳入计划: the district's recorded decision to include a compound in the renovation plan, with
 * the written reason (chosen by residents' willingness, seeds/000, 001, 004). Once per compound;
 * the audit log keeps who decided.
 */
export const compoundInclusions = pgTable(
	'compound_inclusions',
	{
		id: serial('id').primaryKey(),
		compoundId: integer('compound_id')
			.notNull()
			.unique()
			.references(() => compounds.id),
		reason: text('reason').notNull(),
		decidedBy: text('decided_by').notNull(),
		decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [check('compound_inclusions_reason_ck', sql`length(${t.reason}) between 10 and 1000`)],
);

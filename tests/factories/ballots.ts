import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import type { Db } from '../../db/client.ts';
import * as s from '../../db/schema/index.ts';
import { createRound, openRound } from '../../src/lib/server/ballots/commands/rounds.ts';
import { toChinaLocalInput } from '../../src/lib/china-time.ts';
import type { CreateRoundInput } from '../../src/lib/server/ballots/schemas.ts';
import { bindHousehold, issueHouseholdCodes } from '../../src/lib/server/households/commands.ts';
import { loadActor } from '../../src/lib/server/policy/actor.ts';
import type { Relation, ResidentActor, StaffActor } from '../../src/lib/server/policy/types.ts';
import { createResident, createStaffUser, demoPlaces } from './people.ts';

const hour = 3_600_000;
let ipSerial = 0;

/** Menu item ids by code prefix order: the first `n` of the 36-item menu. */
export async function menuItemIds(db: Db, n: number): Promise<number[]> {
	const rows = await db
		.select({ id: s.renovationItems.id })
		.from(s.renovationItems)
		.orderBy(s.renovationItems.sort);
	return rows.slice(0, n).map((r) => r.id);
}

/** The id of the project with this slug. */
export async function projectId(db: Db, slug: string): Promise<number> {
	const [row] = await db
		.select({ id: s.projects.id })
		.from(s.projects)
		.where(eq(s.projects.slug, slug));
	if (!row) throw new Error(`no project ${slug}`);
	return row.id;
}

/**
 * A round created and opened by `staff` (open from an hour ago for a day unless told), with
 * XSS bait in its title. Returns its id.
 */
export async function createOpenRound(
	db: Db,
	staff: StaffActor,
	overrides: Partial<CreateRoundInput> & { projectId: number },
	options: { open?: boolean } = {},
): Promise<number> {
	const now = Date.now();
	const { roundId } = await createRound(db, staff, {
		kind: 'needs',
		title: '改造需求调查<script>alert(1)</script>',
		titleEn: 'Needs survey <img src=x onerror=alert(1)>',
		description: '',
		descriptionEn: '',
		itemIds: await menuItemIds(db, 3),
		questions: '',
		rule: 'simple_majority',
		decisionScope: 'compound',
		opensAt: toChinaLocalInput(new Date(now - hour)),
		closesAt: toChinaLocalInput(new Date(now + 24 * hour)),
		talliesPublic: false,
		...overrides,
	});
	if (options.open !== false) await openRound(db, staff, roundId);
	return roundId;
}

/** Binds a new resident to the household with the relation; returns the fresh actor. */
export async function createMember(
	db: Db,
	staff: StaffActor,
	householdId: number,
	relation: Relation = 'owner',
): Promise<ResidentActor> {
	const [slip] = await issueHouseholdCodes(db, staff, {
		scope: { householdId },
		relation,
		maxMembers: 20,
	});
	const resident = await createResident(db);
	await bindHousehold(
		db,
		resident,
		{ code: slip!.code },
		{ ip: `10.77.${(ipSerial >> 8) & 255}.${ipSerial++ & 255}` },
	);
	return (await loadActor(db, resident.userId, 'resident')) as ResidentActor;
}

/** Households of a compound, ordered, with their owner keys. */
export async function compoundHouseholds(db: Db, compoundId: number) {
	return db
		.select({
			id: s.households.id,
			buildingId: s.households.buildingId,
			unitId: s.households.unitId,
			ownerKey: s.households.ownerKey,
		})
		.from(s.households)
		.where(eq(s.households.compoundId, compoundId))
		.orderBy(s.households.id);
}

/** The households of a project's compound, ordered, with their owner keys. */
export async function projectHouseholds(db: Db, projectId: number) {
	const [row] = await db
		.select({ compoundId: s.projectCompounds.compoundId })
		.from(s.projectCompounds)
		.where(eq(s.projectCompounds.projectId, projectId));
	if (!row) throw new Error(`no compound for project ${projectId}`);
	return compoundHouseholds(db, row.compoundId);
}

/** A moderator scoped to the demo community with this name. */
export async function createModerator(db: Db, communityName: string) {
	const { communityId } = await demoPlaces(db, communityName);
	return createStaffUser(db, { roles: ['moderator'], communityIds: [communityId] });
}

/**
 * The demo's 梅岭社区 with a moderator of it, its project "dujuan" and that project's
 * households: the setting most ballot tests start from.
 */
export async function setUpDujuan(db: Db) {
	const meiling = await demoPlaces(db, '梅岭社区');
	const moderator = await createStaffUser(db, {
		roles: ['moderator'],
		communityIds: [meiling.communityId],
	});
	const dujuan = await projectId(db, 'dujuan');
	const households = await projectHouseholds(db, dujuan);
	return { meiling, moderator, dujuan, households };
}

/** The rows `compoundHouseholds` and `projectHouseholds` return. */
export type Households = Awaited<ReturnType<typeof compoundHouseholds>>;

/** A small JPEG "photo of the signed paper form", made with sharp. */
export async function buildPaperPhoto(seed = 0): Promise<Uint8Array> {
	const buffer = await sharp({
		create: { width: 320, height: 240, channels: 3, background: { r: 240, g: 235 - seed, b: 220 } },
	})
		.jpeg({ quality: 80 })
		.toBuffer();
	return new Uint8Array(buffer);
}

/** Every item agreeing (or the given choice) for a round's items. */
export function allChoices(itemIds: number[], choice: 'agree' | 'disagree' | 'abstain' = 'agree') {
	return Object.fromEntries(itemIds.map((id) => [String(id), choice]));
}

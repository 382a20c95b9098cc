import { and, asc, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Tx } from '../client.ts';
import * as s from '../schema/index.ts';
import { followHouseholdProjects } from '../../src/lib/server/notifications/commands.ts';
import { loadActor } from '../../src/lib/server/policy/actor.ts';
import type { ResidentActor, StaffActor } from '../../src/lib/server/policy/types.ts';
import type { DemoStaff } from './demo.ts';
import { seedDemoAftercare } from './aftercare.ts';
import { seedDemoParticipation } from './participation.ts';
import { seedDemoOpinions } from './opinions.ts';
import { seedDemoProgress } from './progress.ts';
import { seedDemoRounds } from './rounds.ts';
import { seedDemoAlternativesRound, seedDemoFundUse } from './funding.ts';

/**
 * What people did in the demo, through the same commands the site uses (rules, moderation
 * queue, notifications, audit): residents of 杜鹃新村, 崇桂新村 and 红岩新村 bound to their
 * households (and so follow their projects); their opinions, replies and "me too"s, and the
 * 梅岭社区 committee's moderation and answers (opinions.ts); the committee's consultation rounds
 * with residents' ballots and paper forms — one open, one closed and published (rounds.ts);
 * construction progress by the project officers (progress.ts). Deterministic: fixed households,
 * texts and order; dates relative to `now`.
 */
type Resident = { compound: string; building: number };

/** Residents by key: their compound, and the building of the household they bound. */
const residents: Record<string, Resident> = {
	d1: { compound: '杜鹃新村', building: 3 },
	d2: { compound: '杜鹃新村', building: 1 },
	d3: { compound: '杜鹃新村', building: 5 },
	d4: { compound: '杜鹃新村', building: 4 },
	d5: { compound: '杜鹃新村', building: 2 },
	d6: { compound: '杜鹃新村', building: 1 },
	d7: { compound: '杜鹃新村', building: 5 },
	d8: { compound: '杜鹃新村', building: 3 },
	c1: { compound: '崇桂新村', building: 2 },
	c2: { compound: '崇桂新村', building: 1 },
	c3: { compound: '崇桂新村', building: 4 },
	c4: { compound: '崇桂新村', building: 3 },
	h1: { compound: '红岩新村', building: 2 },
	h2: { compound: '红岩新村', building: 5 },
};

/**
 * Creates the residents: a user each, an owner's membership, and (as binding does) follows.
 * Returns each one's actor by key.
 */
async function createResidents(tx: Tx): Promise<Map<string, ResidentActor>> {
	const actors = new Map<string, ResidentActor>();
	for (const [n, [key, resident]] of Object.entries(residents).entries()) {
		const [household] = await tx
			.select({ id: s.households.id })
			.from(s.households)
			.innerJoin(s.compounds, eq(s.compounds.id, s.households.compoundId))
			.innerJoin(s.buildings, eq(s.buildings.id, s.households.buildingId))
			.where(
				and(
					eq(s.compounds.name, resident.compound),
					eq(s.buildings.number, String(resident.building)),
					// Different flats for residents of the same building, always the same ones.
					sql`not exists (select 1 from memberships m where m.household_id = ${s.households.id})`,
				),
			)
			.orderBy(asc(s.households.floor), asc(s.households.id))
			.offset(2)
			.limit(1);
		if (!household) throw new Error(`seed: no household for demo resident ${key}`);
		const userId = randomUUID();
		// 0598 is Sanming's area code: +86 158 0598 00nn.
		const phone = `+86158059800${String(n + 1).padStart(2, '0')}`;
		await tx.insert(s.users).values({ id: userId, kind: 'resident', phone });
		await tx.insert(s.memberships).values({ userId, householdId: household.id, relation: 'owner' });
		await followHouseholdProjects(tx, userId, household.id);
		actors.set(key, (await loadActor(tx, userId, 'resident')) as ResidentActor);
	}
	return actors;
}

/** The demo's activity; `staff` are the authors' user ids (seedDemoStaff). */
export async function seedDemoActivity(
	tx: Tx,
	options: { staff: DemoStaff; images: boolean; now?: Date },
): Promise<void> {
	const now = options.now ?? new Date();
	const staff = async (userId: string) => (await loadActor(tx, userId, 'staff')) as StaffActor;
	const meiling = await staff(options.staff.meiling);
	const actors = await createResidents(tx);
	const actorOf = (key: string) => actors.get(key)!;
	await seedDemoOpinions(tx, { actorOf, committee: meiling, now });
	await seedDemoRounds(tx, { actorOf, committee: meiling, now });
	await seedDemoFundUse(tx, { committee: meiling, now });
	await seedDemoAlternativesRound(tx, now);
	await seedDemoProgress(
		tx,
		{
			hongyan: await staff(options.staff.officer),
			chengguan: await staff(options.staff.chengguan),
		},
		{ images: options.images, now },
	);
	await seedDemoAftercare(tx, { now });
	await seedDemoParticipation(tx, { committee: meiling });
}

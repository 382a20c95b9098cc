import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import * as s from '../../db/schema/index.ts';
import { hashPassword } from '../../src/lib/server/auth/passwords.ts';
import { loadActor } from '../../src/lib/server/policy/actor.ts';
import type { ResidentActor, Role, StaffActor } from '../../src/lib/server/policy/types.ts';

let phoneSerial = 0;

/** A unique valid mainland number for a test. */
export function buildPhone(): string {
	phoneSerial += 1;
	return `+86139${String(process.pid % 10000).padStart(4, '0')}${String(phoneSerial).padStart(4, '0')}`;
}

/** A resident user row (no memberships) and its actor. */
export async function createResident(db: Db, phone = buildPhone()): Promise<ResidentActor> {
	const id = randomUUID();
	await db.insert(s.users).values({ id, kind: 'resident', phone });
	return (await loadActor(db, id, 'resident')) as ResidentActor;
}

/** A staff account with roles and scopes, password "correct horse battery". */
export async function createStaffUser(
	db: Db,
	options: { roles: Role[]; communityIds?: number[]; projectIds?: number[]; username?: string },
): Promise<StaffActor & { username: string; password: string }> {
	const id = randomUUID();
	const username = options.username ?? `staff_${id.slice(0, 8)}`;
	const password = 'correct horse battery';
	await db.insert(s.users).values({
		id,
		kind: 'staff',
		username,
		displayName: '测试<b>员</b>',
		passwordHash: await hashPassword(password),
	});
	for (const role of options.roles) {
		const [row] = await db.insert(s.staffRoles).values({ userId: id, role }).returning();
		const targets =
			role === 'moderator'
				? (options.communityIds ?? []).map((communityId) => ({ staffRoleId: row!.id, communityId }))
				: role === 'officer'
					? (options.projectIds ?? []).map((projectId) => ({ staffRoleId: row!.id, projectId }))
					: [];
		if (targets.length) await db.insert(s.staffScopes).values(targets);
	}
	return { ...((await loadActor(db, id, 'staff')) as StaffActor), username, password };
}

/** Ids of the demo's communities and a building in each, by community name. */
export async function demoPlaces(db: Db, communityName: string) {
	const [row] = await db
		.select({
			communityId: s.communities.id,
			compoundId: s.compounds.id,
			buildingId: s.buildings.id,
		})
		.from(s.communities)
		.innerJoin(s.compounds, eq(s.compounds.communityId, s.communities.id))
		.innerJoin(s.buildings, eq(s.buildings.compoundId, s.compounds.id))
		.where(eq(s.communities.name, communityName))
		.orderBy(s.buildings.id)
		.limit(1);
	if (!row) throw new Error(`no demo community ${communityName}`);
	return row;
}

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { createSession } from '../../src/lib/server/auth/sessions.ts';
import { sessionIdFromToken } from '../../src/lib/server/auth/secrets.ts';
import { createPlanVersion } from '../factories/plans.ts';
import type { ActorName } from './actions.ts';

/**
 * What the corpus needs from the demo database: 梅岭社区's records (the target of 江滨社区's
 * moderator), session tokens for every actor (made directly, as sign-in would), and cookies
 * that must be refused (expired, of a disabled user, the stored hash itself).
 */
export type Fixtures = {
	/** Field name → a value naming one of 梅岭社区's records (or nothing that exists). */
	ids: Record<string, string>;
	/** Route parameters for staff pages: 梅岭社区's records. */
	params: Record<string, string>;
	/** A draft plan version of the officer's project (uploads there reach the image pipeline). */
	officerDraftVersionId: number;
	tokens: Record<ActorName | 'admin', string | null>;
	/** Session cookies that must be refused. */
	deadTokens: Record<string, string>;
};

/** A record id that exists nowhere (inside int4). */
export const MISSING_ID = '2147483646';

async function one<T extends Record<string, unknown>>(db: Db, query: ReturnType<typeof sql>) {
	const [row] = await queryRows<T>(db, query);
	return row ?? null;
}

async function tableExists(db: Db, name: string): Promise<boolean> {
	const row = await one<{ n: number }>(
		db,
		sql`select count(*)::int as n from information_schema.tables
		    where table_schema = 'public' and table_name = ${name}`,
	);
	return Number(row?.n) > 0;
}

async function userId(db: Db, username: string): Promise<string> {
	const row = await one<{ id: string }>(
		db,
		sql`select id from users where kind = 'staff' and lower(username) = ${username}`,
	);
	if (!row) throw new Error(`security: no demo staff account ${username} (DEMO_STAFF_PASSWORD?)`);
	return row.id;
}

async function newResident(db: Db, serial: number): Promise<string> {
	const id = randomUUID();
	const phone = `+86139${String(process.pid % 10000).padStart(4, '0')}${String(serial).padStart(4, '0')}`;
	await db.execute(sql`insert into users (id, kind, phone) values (${id}, 'resident', ${phone})`);
	return id;
}

/** Reads 梅岭社区's ids and creates the sessions; run before the "before" snapshot. */
export async function prepareFixtures(db: Db): Promise<Fixtures> {
	const meiling = await one<{
		community: number;
		compound: number;
		building: number;
		household: number;
	}>(
		db,
		sql`select c.id as community, k.id as compound, b.id as building, h.id as household
		    from communities c join compounds k on k.community_id = c.id
		    join buildings b on b.compound_id = k.id
		    join units u on u.building_id = b.id join households h on h.unit_id = u.id
		    where c.name = '梅岭社区' order by k.id, b.id, h.id limit 1`,
	);
	if (!meiling) throw new Error('security: the demo has no 梅岭社区 household');
	const project = await one<{ id: number; slug: string }>(
		db,
		sql`select p.id, p.slug from projects p where p.slug = 'dujuan'`,
	);
	const version = await one<{ id: number; number: number }>(
		db,
		sql`select id, number from plan_versions where project_id = ${project!.id}
		    order by number desc limit 1`,
	);
	const item = await one<{ id: number }>(
		db,
		sql`select id from renovation_items order by id limit 1`,
	);
	const planItem = await one<{ id: number }>(
		db,
		sql`select id from plan_items where plan_version_id = ${version?.id ?? 0} order by id limit 1`,
	);
	const rendering = await one<{ id: number }>(
		db,
		sql`select id from renderings where plan_version_id = ${version?.id ?? 0} order by id limit 1`,
	);
	const round = (await tableExists(db, 'rounds'))
		? await one<{ id: number }>(
				db,
				sql`select id from rounds where project_id = ${project!.id} order by id limit 1`,
			)
		: null;
	const meilingStaff = await userId(db, 'meiling');
	const hongyan = await one<{ id: number }>(
		db,
		sql`select id from projects where slug = 'hongyan'`,
	);
	const draft = await createPlanVersion(db, { projectId: hongyan!.id, status: 'draft' });

	const tokens: Fixtures['tokens'] = {
		anonymous: null,
		resident: (await createSession(db, await newResident(db, 1), 30)).token,
		jiangbin: (await createSession(db, await userId(db, 'jiangbin'), 1)).token,
		officer: (await createSession(db, await userId(db, 'officer'), 1)).token,
		admin: (await createSession(db, await userId(db, 'admin'), 1)).token,
	};
	const expired = await createSession(db, await newResident(db, 2), 30);
	await db.execute(
		sql`update sessions set expires_at = now() - interval '1 day'
		    where id = ${sessionIdFromToken(expired.token)}`,
	);
	const disabledUser = await newResident(db, 3);
	const disabled = await createSession(db, disabledUser, 30);
	await db.execute(sql`update users set disabled_at = now() where id = ${disabledUser}`);
	const admin = tokens.admin!;

	const id = (value: number | undefined | null) => String(value ?? MISSING_ID);
	return {
		ids: {
			communityId: id(meiling.community),
			communityIds: id(meiling.community),
			compoundId: id(meiling.compound),
			buildingId: id(meiling.building),
			scopeBuildingId: id(meiling.building),
			householdId: id(meiling.household),
			projectId: id(project?.id),
			projectIds: id(project?.id),
			planVersionId: id(version?.id),
			versionId: id(version?.id),
			roundId: id(round?.id),
			itemId: id(item?.id),
			itemIds: id(item?.id),
			planItemId: id(planItem?.id),
			renderingId: id(rendering?.id),
			userId: meilingStaff,
		},
		params: {
			buildingId: id(meiling.building),
			householdId: id(meiling.household),
			compoundId: id(meiling.compound),
			projectSlug: project?.slug ?? 'dujuan',
			versionNumber: String(version?.number ?? 1),
			roundId: id(round?.id),
			staffUserId: meilingStaff,
		},
		officerDraftVersionId: draft.id,
		tokens,
		deadTokens: {
			'unknown well-formed token': 'A'.repeat(43),
			'expired session': expired.token,
			"disabled user's session": disabled.token,
			'the stored hash used as the cookie': sessionIdFromToken(admin),
			'token with a trailing character': `${admin}x`,
			'truncated token': admin.slice(0, 42),
			'8 KB token': 'A'.repeat(8192),
			'SQL in the cookie': encodeURIComponent(`' or 1=1; delete from sessions;--`),
			'empty cookie': '',
		},
	};
}

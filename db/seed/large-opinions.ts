import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../client.ts';

/**
 * The moderation bench's data set (issue 5): one community of the large seed (the one of
 * project `city-0001`) with 10,000 opinions on its projects' plan versions — published, pending,
 * hidden and rejected, about one in seven in the open queue (pre-moderation, words, reports),
 * reports from three residents, answers to a third — and the community's moderator account
 * `bench-moderator` (no password: the bench signs it in with a session). Generated in SQL
 * (generate_series), so it takes seconds. Needs the large seed.
 */
export const LARGE_OPINIONS_MODERATOR = 'bench-moderator';

export type LargeOpinionsResult = {
	/** True when the set was already there (the moderator exists): nothing was written. */
	skipped: boolean;
	communityId: number;
	moderatorId: string;
	opinions: number;
};

async function existing(db: Db) {
	const [row] = await queryRows<{ id: string; community_id: number }>(
		db,
		sql`select u.id, s.community_id from users u
		    join staff_roles r on r.user_id = u.id join staff_scopes s on s.staff_role_id = r.id
		    where lower(u.username) = ${LARGE_OPINIONS_MODERATOR}`,
	);
	return row ?? null;
}

/** Seeds the set unless the moderator exists; `opinions` defaults to 10,000. */
export async function seedLargeOpinions(
	db: Db,
	options: { opinions?: number } = {},
): Promise<LargeOpinionsResult> {
	const count = options.opinions ?? 10_000;
	const found = await existing(db);
	if (found) {
		const [n] = await queryRows<{ n: number }>(
			db,
			sql`select count(*)::int as n from opinions o join plan_versions v on v.id = o.plan_version_id
			    join projects p on p.id = v.project_id where p.community_id = ${found.community_id}`,
		);
		return {
			skipped: true,
			communityId: found.community_id,
			moderatorId: found.id,
			opinions: n?.n ?? 0,
		};
	}
	const [project] = await queryRows<{ community_id: number }>(
		db,
		sql`select community_id from projects where slug = 'city-0001'`,
	);
	if (!project)
		throw new Error('seedLargeOpinions: project city-0001 is missing; run the large seed first.');
	const communityId = Number(project.community_id);
	const moderatorId = randomUUID();
	await db.transaction(async (tx) => {
		await tx.execute(sql`insert into users (id, kind, username, display_name)
			values (${moderatorId}, 'staff', ${LARGE_OPINIONS_MODERATOR}, '压测社区审核员')`);
		await tx.execute(sql`with role as (
				insert into staff_roles (user_id, role) values (${moderatorId}, 'moderator') returning id)
			insert into staff_scopes (staff_role_id, community_id) select id, ${communityId} from role`);
		// One open version per project of the community.
		await tx.execute(sql`insert into plan_versions
				(project_id, number, title, title_en, status, comment_opens_at, comment_closes_at, published_at)
			select p.id, coalesce((select max(number) from plan_versions v where v.project_id = p.id), 0) + 1,
			       '压测方案', 'Bench plan', 'open', now() - interval '90 days', now() + interval '30 days',
			       now() - interval '90 days'
			from projects p where p.community_id = ${communityId}`);
		const reporters = [1, 2, 3].map(() => randomUUID());
		// Reporters without a phone number (a real one might collide with other seeded users).
		for (const id of reporters)
			await tx.execute(sql`insert into users (id, kind) values (${id}, 'resident')`);
		await tx.execute(sql`with versions as (
				select v.id, row_number() over (order by v.id) - 1 as k, count(*) over () as total
				from plan_versions v join projects p on p.id = v.project_id
				where p.community_id = ${communityId} and v.title = '压测方案')
			insert into opinions (plan_version_id, author_building, alignment, body, state, state_reason, created_at)
			select versions.id, ((g % 10) + 1)::text,
			       (array['support', 'object', 'neutral'])[g % 3 + 1]::alignment,
			       '压测意见 #' || g || '：楼道灯太暗，希望更换为声控灯，并在单元门口加装扶手。',
			       case when g % 20 < 16 then 'published' when g % 20 < 18 then 'pending'
			            when g % 20 = 18 then 'hidden' else 'rejected' end::opinion_state,
			       case when g % 20 = 18 then '含个人信息' when g % 20 = 19 then '广告' else '' end,
			       now() - (g % 90) * interval '1 day' - (g % 1440) * interval '1 minute'
			from generate_series(1, ${count}) as g
			join versions on versions.k = g % versions.total`);
		// The queue: pending ones (pre-moderation or words), every 25th published one reported.
		await tx.execute(sql`insert into moderation_flags (opinion_id, community_id, project_id, cause, matched, flagged_at)
			select o.id, ${communityId}, v.project_id,
			       case when o.state = 'pending' and o.id % 2 = 0 then 'words' when o.state = 'pending' then 'premoderation'
			            else 'reports' end::moderation_cause,
			       case when o.state = 'pending' and o.id % 2 = 0 then array['傻逼'] else '{}'::text[] end,
			       o.created_at
			from opinions o join plan_versions v on v.id = o.plan_version_id
			where v.title = '压测方案' and (o.state = 'pending' or (o.state = 'published' and o.id % 25 = 0))`);
		for (const [n, id] of reporters.entries())
			await tx.execute(sql`insert into opinion_reports (opinion_id, user_id, reason)
				select f.opinion_id, ${id}, (array['spam', 'abusive', 'other'])[${n + 1}]::report_reason
				from moderation_flags f where f.community_id = ${communityId} and f.cause = 'reports'
				  and (${n} < 2 or f.opinion_id % 2 = 0)`);
		await tx.execute(sql`insert into opinion_answers (opinion_id, disposition, body, answered_by, created_at, updated_at)
			select o.id, (array['adopted', 'partly_adopted', 'not_adopted', 'noted'])[o.id % 4 + 1]::disposition,
			       '已研究，详见修改说明。', ${moderatorId}, o.created_at + interval '3 days', o.created_at + interval '3 days'
			from opinions o join plan_versions v on v.id = o.plan_version_id
			where v.title = '压测方案' and o.state = 'published' and o.id % 3 = 0`);
	});
	await db.execute(sql`analyze opinions, moderation_flags, opinion_reports, opinion_answers`);
	return { skipped: false, communityId, moderatorId, opinions: count };
}

/** Rounds as pages and lists show them, and who may see which results. */
import { eq, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../../db/client.ts';
import { roundResults } from '../../../../../db/schema/ballots.ts';
import { scopeFilter, staffScope, type Actor } from '../../policy/index.ts';
import { DomainError } from '../../shared/index.ts';
import { loadRound } from '../load.ts';
import { roundPhase } from '../phase.ts';
import { isCommittee } from '../policy.ts';
import type { RoundInfo, RoundKind, RoundPhase } from '../types.ts';

const num = (value: unknown) => Number(value);

/**
 * What results a viewer sees: committee staff the live tallies at any time; everyone the
 * published result once there is one; before that the live tallies only when the round makes
 * them public while open; otherwise none.
 */
export function resultsAccess(input: {
	committee: boolean;
	published: boolean;
	talliesPublic: boolean;
	phase: RoundPhase;
}): 'live' | 'published' | 'none' {
	if (input.committee) return 'live';
	if (input.published) return 'published';
	if (input.talliesPublic && (input.phase === 'open' || input.phase === 'closed')) return 'live';
	return 'none';
}

export type RoundPageView = {
	round: RoundInfo;
	phase: RoundPhase;
	committee: boolean;
	published: boolean;
};

/**
 * A round for a page: null when it does not exist, or when it is a draft and the viewer is not
 * its committee (drafts are not public).
 */
export async function getRoundForViewer(
	db: Executor,
	actor: Actor | null,
	roundId: number,
): Promise<RoundPageView | null> {
	const round = await loadRound(db, roundId);
	if (!round) return null;
	const committee = isCommittee(actor, round);
	const phase = roundPhase(round, new Date());
	if (phase === 'draft' && !committee) return null;
	const [published] = await db
		.select({ version: roundResults.version })
		.from(roundResults)
		.where(eq(roundResults.roundId, roundId))
		.limit(1);
	return { round, phase, committee, published: published !== undefined };
}

export type RoundListItem = {
	id: number;
	kind: RoundKind;
	title: string;
	titleEn: string;
	opensAt: Date;
	closesAt: Date;
	phase: RoundPhase;
	published: boolean;
};

async function listRounds(db: Executor, where: ReturnType<typeof sql>): Promise<RoundListItem[]> {
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select r.id, r.kind, r.title, r.title_en, r.opens_at, r.closes_at, r.opened_at,
		           exists (select 1 from round_results rr where rr.round_id = r.id) as published
		    from rounds r join projects p on p.id = r.project_id
		    where ${where} order by r.opens_at desc, r.id desc limit 200`,
	);
	const now = new Date();
	return rows.map((r) => {
		const window = {
			openedAt: r.opened_at ? new Date(r.opened_at as string) : null,
			opensAt: new Date(r.opens_at as string),
			closesAt: new Date(r.closes_at as string),
		};
		return {
			id: num(r.id),
			kind: r.kind as RoundKind,
			title: String(r.title),
			titleEn: String(r.title_en),
			opensAt: window.opensAt,
			closesAt: window.closesAt,
			phase: roundPhase(window, now),
			published: Boolean(r.published),
		};
	});
}

/** A project's rounds for the public (opened ones only), newest first. */
export function listProjectRounds(db: Executor, projectId: number): Promise<RoundListItem[]> {
	return listRounds(db, sql`r.project_id = ${projectId} and r.opened_at is not null`);
}

/** Rounds the staff member manages (their communities; admins all), drafts included. */
export async function listRoundsForStaff(db: Executor, actor: Actor | null) {
	if (actor?.kind !== 'staff') throw new DomainError('forbidden', 'error.forbidden');
	const scope = staffScope(actor, 'round.manage');
	return listRounds(db, scopeFilter(scope, { communityId: sql`p.community_id` }) ?? sql`true`);
}

/** Projects a staff member may open rounds for (committee of the project's community). */
export async function listProjectsForRounds(db: Executor, actor: Actor | null) {
	if (actor?.kind !== 'staff') throw new DomainError('forbidden', 'error.forbidden');
	const scope = scopeFilter(staffScope(actor, 'round.manage'), {
		communityId: sql`community_id`,
	});
	const rows = await queryRows<{ id: number; name: string; name_en: string }>(
		db,
		sql`select id, name, name_en from projects where ${scope ?? sql`true`} order by id`,
	);
	return rows.map((p) => ({ id: num(p.id), name: p.name, nameEn: p.name_en }));
}

/**
 * What the new-round form offers for a project: the menu, the project's plan versions and its
 * buildings. Committee staff of the project's community; null otherwise (not revealed).
 */
export async function getRoundFormOptions(db: Executor, actor: Actor | null, projectId: number) {
	const [project] = await queryRows<Record<string, unknown>>(
		db,
		sql`select id, slug, name, name_en, community_id from projects where id = ${projectId}`,
	);
	if (!project || !isCommittee(actor, { communityId: num(project.community_id) })) return null;
	const [menu, versions, buildings] = await Promise.all([
		queryRows<Record<string, unknown>>(
			db,
			sql`select id, name, name_en, category, special_matter from renovation_items order by sort`,
		),
		queryRows<Record<string, unknown>>(
			db,
			sql`select id, number, title, title_en from plan_versions where project_id = ${projectId} order by number`,
		),
		queryRows<Record<string, unknown>>(
			db,
			sql`select b.id, b.number, c.name, c.name_en from buildings b
			    join project_compounds pc on pc.compound_id = b.compound_id
			    join compounds c on c.id = b.compound_id
			    where pc.project_id = ${projectId} order by c.name, length(b.number), b.number limit 500`,
		),
	]);
	return {
		project: { id: num(project.id), name: String(project.name), nameEn: String(project.name_en) },
		menu: menu.map((m) => ({
			id: num(m.id),
			name: String(m.name),
			nameEn: String(m.name_en),
			category: String(m.category) as 'basic' | 'improvement' | 'upgrade',
			specialMatter: Boolean(m.special_matter),
		})),
		planVersions: versions.map((v) => ({
			id: num(v.id),
			number: num(v.number),
			title: String(v.title),
			titleEn: String(v.title_en),
		})),
		buildings: buildings.map((b) => ({
			id: num(b.id),
			number: String(b.number),
			compoundName: String(b.name),
			compoundNameEn: String(b.name_en),
		})),
	};
}

/**
 * What a final plan (上墙公示) must meet before it is published:
 * - the previous version was publicly noticed (公示) for comment at least the district's days
 *   (default 7; 方案公示后确定最终施工图, seeds/000);
 * - no item residents refused in a deciding round (居民不同意不宜改造, seeds/002);
 * - opinions from at least 2/3 of the households of every compound (收取的意见不得少于户数的
 *   三分之二, seeds/000), counted as the best whole-compound plan-opinion round.
 * A district admin may publish anyway with a written reason, which is audited and shown on the
 * public plan page.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';
import {
	type CompoundCoverage,
	listPlanOpinionCoverage,
	listRefusalsInPlan,
	meetsThreshold,
	type Refusal,
	TWO_THIRDS,
} from '../ballots/index.ts';
import type { MessageKey, Params } from '../../../i18n/index.ts';

/** The previous version's notice: its number (null: none), its days and the days required. */
export type Notice = { previous: number | null; days: number; required: number };

export type GateBlocker =
	| ({ gate: 'notice' } & Notice)
	| ({ gate: 'refused' } & Refusal)
	| ({ gate: 'coverage' } & CompoundCoverage);

const DAY = 86_400_000;

/**
 * How many days a comment window was a public notice: from its opening to its close, or to
 * `now` while it still runs (publishing the final plan ends it).
 */
export function noticeLasted(
	window: { opensAt: Date | null; closesAt: Date | null },
	now: Date,
): number {
	if (!window.opensAt || !window.closesAt) return 0;
	const end = Math.min(window.closesAt.getTime(), now.getTime());
	return Math.max(0, end - window.opensAt.getTime()) / DAY;
}

/** The notice of the version before `version` and the district's required days. */
async function previousNotice(
	db: Executor,
	version: { projectId: number; number: number },
	now: Date,
): Promise<Notice> {
	const [row] = await queryRows<Record<string, unknown>>(
		db,
		sql`select d.notice_days, pv.number, pv.comment_opens_at, pv.comment_closes_at
		from projects p
		join communities c on c.id = p.community_id
		join subdistricts s on s.id = c.subdistrict_id
		join districts d on d.id = s.district_id
		left join lateral (
			select number, comment_opens_at, comment_closes_at from plan_versions
			where project_id = p.id and status <> 'draft' and number < ${version.number}
			order by number desc limit 1) pv on true
		where p.id = ${version.projectId}`,
	);
	const date = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v)));
	const window = { opensAt: date(row?.comment_opens_at), closesAt: date(row?.comment_closes_at) };
	return {
		previous: row?.number === null || row?.number === undefined ? null : Number(row.number),
		days: noticeLasted(window, now),
		required: Number(row?.notice_days ?? 7),
	};
}

/** The compounds whose plan-opinion coverage is under 2/3 of their households. */
export function coverageShortfalls(rows: readonly CompoundCoverage[]): CompoundCoverage[] {
	return rows.filter((r) => !meetsThreshold(BigInt(r.responded), BigInt(r.households), TWO_THIRDS));
}

/** Every reason the version may not become the final plan; empty when it may. */
export async function finalPlanBlockers(
	db: Executor,
	version: { id: number; projectId: number; number: number },
	now = new Date(),
): Promise<GateBlocker[]> {
	const [notice, refusals, coverage] = await Promise.all([
		previousNotice(db, version, now),
		listRefusalsInPlan(db, version.id),
		listPlanOpinionCoverage(db, version.projectId),
	]);
	const noticeShort = notice.previous === null || notice.days < notice.required;
	return [
		...refusals.map((r) => ({ gate: 'refused' as const, ...r })),
		...coverageShortfalls(coverage).map((c) => ({ gate: 'coverage' as const, ...c })),
		...(noticeShort ? [{ gate: 'notice' as const, ...notice }] : []),
	];
}

/** The message a person reads for a blocker: it names the item and the round, or the compound. */
export function blockerMessage(blocker: GateBlocker): { key: MessageKey; params: Params } {
	if (blocker.gate === 'notice') {
		return blocker.previous === null
			? { key: 'plans.gate.noNotice', params: { required: blocker.required } }
			: {
					key: 'plans.gate.notice',
					params: {
						number: blocker.previous,
						days: Math.floor(blocker.days * 10) / 10,
						required: blocker.required,
					},
				};
	}
	if (blocker.gate === 'refused') {
		return {
			key: 'plans.gate.refused',
			params: {
				item: blocker.name,
				itemEn: blocker.nameEn,
				round: blocker.roundTitle,
				roundEn: blocker.roundTitleEn,
			},
		};
	}
	return {
		key: 'plans.gate.coverage',
		params: {
			compound: blocker.name,
			compoundEn: blocker.nameEn,
			responded: blocker.responded,
			households: blocker.households,
		},
	};
}

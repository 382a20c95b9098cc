/**
 * What needs a staff member's attention on the staff home, within their scope: construction
 * problems past their due date, and consultation rounds closing within three days while
 * coverage is still below target (time to plan door visits).
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';
import { coverageMet } from '../ballots/index.ts';
import { scopeFilter, staffScope } from '../policy/index.ts';
import type { Actor } from '../policy/index.ts';
import { daysOverdue, listProblemsForStaff } from '../problems/index.ts';
import { chinaToday } from '../progress/index.ts';

/** How soon a round closes for the home to flag it when its coverage is below target. */
export const CLOSING_SOON_MS = 3 * 86_400_000;

export type ClosingRound = {
	id: number;
	title: string;
	titleEn: string;
	closesAt: Date;
	households: number;
	responded: number;
	target: { num: number; den: number };
};

export type StaffAlerts = { overdueProblems: number; closingRounds: ClosingRound[] };

async function closingRounds(db: Executor, actor: Actor, now: Date): Promise<ClosingRound[]> {
	const scope = scopeFilter(staffScope(actor, 'round.manage'), {
		communityId: sql`p.community_id`,
	});
	const until = new Date(now.getTime() + CLOSING_SOON_MS);
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select r.id, r.title, r.title_en, r.closes_at, r.target_num, r.target_den,
		           coalesce(sum(rc.households), 0)::int as households,
		           coalesce(sum(rc.responded), 0)::int as responded
		    from rounds r
		    join projects p on p.id = r.project_id
		    left join round_coverage rc on rc.round_id = r.id and rc.level = 'compound'
		    where r.opened_at is not null and r.opens_at <= ${now.toISOString()}::timestamptz
		      and r.closes_at > ${now.toISOString()}::timestamptz
		      and r.closes_at <= ${until.toISOString()}::timestamptz and ${scope ?? sql`true`}
		    group by r.id order by r.closes_at limit 20`,
	);
	return rows
		.map((r) => ({
			id: Number(r.id),
			title: String(r.title),
			titleEn: String(r.title_en ?? ''),
			closesAt: new Date(String(r.closes_at)),
			households: Number(r.households),
			responded: Number(r.responded),
			target: { num: Number(r.target_num), den: Number(r.target_den) },
		}))
		.filter((r) => !coverageMet(r.responded, r.households, r.target));
}

/** The staff home's flags for this staff member (nothing outside their scope). */
export async function getStaffAlerts(
	db: Executor,
	actor: Actor,
	now = new Date(),
): Promise<StaffAlerts> {
	const today = chinaToday(now);
	const [problems, rounds] = await Promise.all([
		listProblemsForStaff(db, actor),
		closingRounds(db, actor, now),
	]);
	return {
		overdueProblems: problems.filter((p) => daysOverdue(p, today) > 0).length,
		closingRounds: rounds,
	};
}

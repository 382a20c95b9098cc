/**
 * PIPL for ballots: what the ballots module holds about a resident (the revisions they cast for
 * their households), for "download my data", and what account deletion does to it. A ballot is
 * the household's, not the person's: deleting an account keeps every revision and every tally
 * as it is and only removes the link to the person (PRODUCT.md "Privacy": ballots already
 * counted stay counted, detached from the person).
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';
import { entryAnswers } from './entry-queries.ts';
import { loadRound } from './load.ts';
import type { Choices } from './tally.ts';
import type { Choice, RoundInfo } from './types.ts';

export type MyBallotRevision = {
	round: { id: number; title: string; titleEn: string; kind: string; project: string };
	household: { compound: string; building: string; unit: string; room: string };
	revision: number;
	channel: 'online' | 'paper';
	/** When it was submitted. */
	castAt: string;
	counted: boolean;
	answers: { item: string; itemEn: string; answer: Choice | null; option: string | null }[];
	overall: Choice | null;
	comment: string;
};

const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

/**
 * Every ballot revision the resident cast, oldest first: the round, the household, each item's
 * answer (a single-choice question's chosen option by name), when and through which channel,
 * and whether it counted. Revisions entered by staff for the household are not theirs.
 */
export async function exportMyBallots(db: Executor, userId: string): Promise<MyBallotRevision[]> {
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select r.round_id, r.revision, r.channel, r.created_at, r.counted, r.choices, r.overall,
		           r.comment, rd.title, rd.title_en, rd.kind, p.name as project, c.name as cn,
		           b.number as bn, u.number as un, h.room
		    from ballot_revisions r
		    join rounds rd on rd.id = r.round_id
		    join projects p on p.id = rd.project_id
		    join households h on h.id = r.household_id
		    join units u on u.id = h.unit_id
		    join buildings b on b.id = h.building_id
		    join compounds c on c.id = h.compound_id
		    where r.cast_by = ${userId}
		    order by r.created_at, r.id`,
	);
	const rounds = new Map<number, RoundInfo | null>();
	for (const id of new Set(rows.map((r) => Number(r.round_id)))) {
		rounds.set(id, await loadRound(db, id));
	}
	return rows.map((r) => {
		const round = rounds.get(Number(r.round_id));
		const choices = parse(r.choices) as Choices;
		return {
			round: {
				id: Number(r.round_id),
				title: String(r.title),
				titleEn: String(r.title_en),
				kind: String(r.kind),
				project: String(r.project),
			},
			household: {
				compound: String(r.cn),
				building: String(r.bn),
				unit: String(r.un),
				room: String(r.room),
			},
			revision: Number(r.revision),
			channel: r.channel as 'online' | 'paper',
			castAt: new Date(r.created_at as string).toISOString(),
			counted: Boolean(r.counted),
			answers: (round ? entryAnswers(round, choices) : []).map((a) => ({
				item: a.title,
				itemEn: a.titleEn,
				answer: a.choice,
				option: a.option?.title ?? null,
			})),
			overall: (r.overall as Choice | null) ?? null,
			comment: String(r.comment),
		};
	});
}

/**
 * On account deletion, in its transaction: the resident's ballots and revisions stay with the
 * household — same choices, same revisions, same tallies — but no longer name who cast them.
 * Returns the number of revisions detached.
 */
export async function detachMyBallots(tx: Executor, userId: string): Promise<number> {
	const [revisions] = await queryRows<{ n: number }>(
		tx,
		sql`with d as (update ballot_revisions set cast_by = null where cast_by = ${userId} returning 1)
		    select count(*)::int as n from d`,
	);
	await tx.execute(sql`update ballots set cast_by = null where cast_by = ${userId}`);
	return revisions?.n ?? 0;
}

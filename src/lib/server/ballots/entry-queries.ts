/**
 * Reads for double entry of paper forms (双人录入): a household's open entry for the paper page,
 * and the entries awaiting confirmation or review for the round's staff page. Committee staff
 * only; entries never leave the committee (they are not ballots until confirmed).
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../../db/client.ts';
import { getImageViews } from '../images/index.ts';
import type { Actor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import { optionAnswers } from './choices.ts';
import { isCommittee } from './policy.ts';
import type { Choices } from './tally.ts';
import type { Choice, RoundInfo } from './types.ts';

/** A household's open first entry, as the paper page needs it (not what it says: blind entry). */
export type OpenEntry = {
	id: number;
	state: 'awaiting' | 'mismatch';
	enteredBy: string;
	enteredByName: string;
	/** Whether the viewer entered it (and so cannot confirm it). */
	mine: boolean;
	createdAt: Date;
};

const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

/** The household's open first entry in the round, or null. Committee staff only. */
export async function getOpenEntry(
	db: Executor,
	actor: Actor | null,
	round: RoundInfo,
	householdId: number,
): Promise<OpenEntry | null> {
	if (actor?.kind !== 'staff' || !isCommittee(actor, round)) {
		throw new DomainError('not_found', 'error.notFound');
	}
	const [row] = await queryRows<Record<string, unknown>>(
		db,
		sql`select pe.id, pe.state, pe.entered_by, u.display_name, pe.created_at
		    from paper_entries pe join users u on u.id = pe.entered_by
		    where pe.round_id = ${round.id} and pe.household_id = ${householdId}
		      and pe.pair_of is null and pe.state in ('awaiting', 'mismatch')`,
	);
	if (!row) return null;
	return {
		id: Number(row.id),
		state: row.state as OpenEntry['state'],
		enteredBy: String(row.entered_by),
		enteredByName: String(row.display_name ?? ''),
		mine: row.entered_by === actor.userId,
		createdAt: new Date(row.created_at as string),
	};
}

/** One answer of an entry as text keys: a yes/no item's choice, or a question's chosen option. */
export type EntryAnswer = {
	title: string;
	titleEn: string;
	/** Whether it answers a single-choice question (then `option`, or none chosen). */
	question: boolean;
	/** A yes/no item's choice; for a question 'abstain' when no option was chosen, else null. */
	choice: Choice | null;
	option: { title: string; titleEn: string } | null;
};

export type EntryView = {
	id: number;
	enteredBy: string;
	enteredByName: string;
	mine: boolean;
	createdAt: Date;
	filledAt: Date;
	overall: Choice | null;
	comment: string;
	answers: EntryAnswer[];
	/** A JPEG variant of the photo of the form, when the entry has one. */
	photoUrl: string | null;
};

export type EntryReview = {
	householdId: number;
	buildingNumber: string;
	unitNumber: string;
	room: string;
	state: 'awaiting' | 'mismatch';
	/** The first entry, then the second when they differ. */
	entries: EntryView[];
};

/** An entry's answers in the round's order: yes/no items, then each question's option. */
export function entryAnswers(round: RoundInfo, choices: Choices): EntryAnswer[] {
	const answers: EntryAnswer[] = round.items
		.filter((item) => item.questionId === null && choices[String(item.id)] !== undefined)
		.map((item) => ({
			title: item.title,
			titleEn: item.titleEn,
			question: false,
			choice: choices[String(item.id)]!,
			option: null,
		}));
	const options = optionAnswers(round, choices);
	for (const question of round.questions) {
		const answer = options[String(question.id)];
		if (answer === undefined) continue;
		const option = round.items.find((item) => String(item.id) === answer);
		answers.push({
			title: question.title,
			titleEn: question.titleEn,
			question: true,
			choice: option ? null : 'abstain',
			option: option ? { title: option.title, titleEn: option.titleEn } : null,
		});
	}
	return answers;
}

/**
 * Open entries of the round: forms awaiting a second entry (who and when only: the second entry
 * is made blind) and pairs that differ (both entries in full, with the photo, for review), by
 * building, unit and room. Committee staff only.
 */
export async function listOpenEntries(
	db: Executor,
	actor: Actor | null,
	round: RoundInfo,
): Promise<EntryReview[]> {
	if (actor?.kind !== 'staff' || !isCommittee(actor, round)) {
		throw new DomainError('not_found', 'error.notFound');
	}
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select pe.id, coalesce(pe.pair_of, pe.id) as first_id, pe.pair_of, pe.state, pe.household_id,
		           pe.entered_by, u.display_name, pe.created_at, pe.filled_at, pe.overall, pe.comment,
		           pe.choices, pe.photo_image_id, b.number as bn, un.number as un, h.room
		    from paper_entries pe
		    join users u on u.id = pe.entered_by
		    join households h on h.id = pe.household_id
		    join units un on un.id = h.unit_id
		    join buildings b on b.id = h.building_id
		    where pe.round_id = ${round.id} and pe.state in ('awaiting', 'mismatch')
		    order by length(b.number), b.number, length(un.number), un.number, h.room,
		             first_id, pe.pair_of nulls first
		    limit 2000`,
	);
	const photos = await getImageViews(
		db,
		rows.flatMap((r) => (r.photo_image_id ? [String(r.photo_image_id)] : [])),
	);
	const reviews = new Map<number, EntryReview>();
	for (const r of rows) {
		const firstId = Number(r.first_id);
		let review = reviews.get(firstId);
		if (!review) {
			review = {
				householdId: Number(r.household_id),
				buildingNumber: String(r.bn),
				unitNumber: String(r.un),
				room: String(r.room),
				state: r.state as EntryReview['state'],
				entries: [],
			};
			reviews.set(firstId, review);
		}
		const photo = r.photo_image_id ? photos.get(String(r.photo_image_id)) : undefined;
		// An entry awaiting its second entry is not shown: the second is made blind, from paper.
		const blind = review.state === 'awaiting';
		review.entries.push({
			id: Number(r.id),
			enteredBy: String(r.entered_by),
			enteredByName: String(r.display_name ?? ''),
			mine: r.entered_by === actor.userId,
			createdAt: new Date(r.created_at as string),
			filledAt: new Date(r.filled_at as string),
			overall: blind ? null : ((r.overall as Choice | null) ?? null),
			comment: blind ? '' : String(r.comment),
			answers: blind ? [] : entryAnswers(round, parse(r.choices) as Choices),
			photoUrl: photo?.fallback || null,
		});
	}
	return [...reviews.values()];
}

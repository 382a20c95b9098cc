/**
 * Double entry of paper forms (双人录入), optional per round: a form entered by one committee
 * member awaits confirmation and counts nothing — no tally, no coverage — until a second,
 * different member with the same scope enters the same form again and it matches. Then it
 * becomes a paper ballot revision through the same writes as any ballot (cast.ts
 * `recordBallot`), with both members recorded (`entered_by`, `confirmed_by`). A difference
 * leaves both entries for review: a reviewer who entered neither of them — or the other one —
 * counts one, or discards both and the form is entered afresh.
 *
 * Concurrency: a household has at most one open first entry per round (a partial unique index),
 * and confirming or resolving locks that entry first, so two members confirming at once give
 * one counted ballot and one refusal.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../../../db/client.ts';
import { ballotRevisions, paperEntries } from '../../../../../db/schema/ballots.ts';
import { appendAudit } from '../../audit/index.ts';
import { prepareImage, savePreparedImage, type PreparedImage } from '../../images/index.ts';
import type { Actor, StaffActor } from '../../policy/index.ts';
import { DomainError } from '../../shared/index.ts';
import { ballotChoices, sameChoices } from '../choices.ts';
import { loadRound, loadScopeHousehold, lockRoundWindow, type FrozenHousehold } from '../load.ts';
import { roundPhase } from '../phase.ts';
import { requireCommittee } from '../policy.ts';
import type { PaperFormInput, ResolvePaperInput } from '../schemas.ts';
import type { Choices } from '../tally.ts';
import type { Choice, RoundInfo } from '../types.ts';
import { enterPaperBallot, paperFilledAt } from './cast.ts';
import { recordBallot, withRetry, type BallotOutcome } from './record.ts';

export type PaperOutcome =
	| ({ state: 'counted' } & BallotOutcome)
	| { state: 'awaiting' | 'mismatch'; entryId: number }
	| { state: 'discarded'; entryId: number };

/** What a paper form says, as entered. */
type Form = { choices: Choices; overall: Choice | null; comment: string; filledAt: Date };

type Entry = typeof paperEntries.$inferSelect;

/**
 * Enters a household's paper form (入户). In a single-entry round it counts at once
 * (`enterPaperBallot`); in a double-entry round it is the first entry (awaiting confirmation,
 * photo required) or, with `confirms`, the second entry of the form awaiting confirmation: it
 * counts when it matches — choices, overall opinion, the time written on the form and the
 * comment (spacing aside) — and otherwise both entries go to review. Committee staff only.
 * Errors: forbidden (resident; confirming one's own entry), not_found, closed, invalid (choices,
 * time, photo), conflict (an entry awaits or is under review; the entry to confirm was
 * confirmed or discarded meanwhile).
 */
export async function enterPaperForm(
	db: Db,
	actor: Actor | null,
	input: PaperFormInput,
): Promise<PaperOutcome> {
	const round = await loadRound(db, input.roundId);
	if (!round) throw new DomainError('not_found', 'error.notFound');
	const staff = requireCommittee(actor, 'ballot.enter_paper', round.communityId);
	if (!round.doubleEntry) {
		if (!input.photo) throw new DomainError('invalid', 'ballots.photoRequired');
		const outcome = await enterPaperBallot(db, staff, { ...input, photo: input.photo });
		return { state: 'counted', ...outcome };
	}
	const household = round.openedAt
		? await loadScopeHousehold(db, round.id, input.householdId)
		: null;
	if (!household) throw new DomainError('not_found', 'ballots.notInScope');
	const form: Form = {
		choices: ballotChoices(round, household, input),
		overall: round.kind === 'plan_opinion' ? (input.overall ?? null) : null,
		comment: input.comment,
		filledAt: paperFilledAt(round, input.filledAt),
	};
	const photo = input.photo ? await prepareImage(input.photo) : null;
	return withRetry(() =>
		db.transaction((tx) =>
			input.confirms === undefined
				? firstEntry(tx, staff, round, household, form, photo)
				: secondEntry(tx, staff, round, household, form, photo, input.confirms),
		),
	);
}

async function requireOpen(tx: Tx, roundId: number) {
	const window = await lockRoundWindow(tx, roundId, 'share');
	const phase = window ? roundPhase(window, window.now) : 'draft';
	if (phase !== 'open') {
		throw new DomainError('closed', phase === 'closed' ? 'ballots.roundClosed' : 'ballots.notOpen');
	}
}

async function firstEntry(
	tx: Tx,
	staff: StaffActor,
	round: RoundInfo,
	household: FrozenHousehold,
	form: Form,
	photo: PreparedImage | null,
): Promise<PaperOutcome> {
	await requireOpen(tx, round.id);
	if (!photo) throw new DomainError('invalid', 'ballots.photoRequired');
	const photoId = await savePreparedImage(tx, staff.userId, photo);
	const [row] = await tx
		.insert(paperEntries)
		.values({
			roundId: round.id,
			householdId: household.householdId,
			state: 'awaiting',
			...form,
			photoImageId: photoId,
			enteredBy: staff.userId,
		})
		.onConflictDoNothing({
			target: [paperEntries.roundId, paperEntries.householdId],
			where: sql.raw(`pair_of is null and state in ('awaiting', 'mismatch')`),
		})
		.returning({ id: paperEntries.id });
	if (!row) throw new DomainError('conflict', 'ballots.entryExists');
	await appendAudit(tx, {
		actorId: staff.userId,
		actorKind: 'staff',
		action: 'ballot.paper_entry_awaiting',
		targetType: 'household',
		targetId: household.householdId,
		communityId: round.communityId,
		details: { roundId: round.id, entry: row.id, photo: photoId },
	});
	return { state: 'awaiting', entryId: row.id };
}

const normalised = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Whether two entries of one form agree on everything the form says. */
function sameForm(a: Form, b: Form): boolean {
	return (
		sameChoices(a.choices, b.choices) &&
		a.overall === b.overall &&
		a.filledAt.getTime() === b.filledAt.getTime() &&
		normalised(a.comment) === normalised(b.comment)
	);
}

/** The open first entry `id` of the household, locked; conflict when it is no longer open. */
async function lockFirstEntry(tx: Tx, roundId: number, id: number, householdId?: number) {
	const [first] = await tx
		.select()
		.from(paperEntries)
		.where(
			and(
				eq(paperEntries.id, id),
				eq(paperEntries.roundId, roundId),
				householdId === undefined ? undefined : eq(paperEntries.householdId, householdId),
				sql`${paperEntries.pairOf} is null`,
			),
		)
		.for('update');
	if (!first) throw new DomainError('not_found', 'error.notFound');
	if (first.state !== 'awaiting' && first.state !== 'mismatch') {
		throw new DomainError('conflict', 'ballots.entryNotOpen');
	}
	return first;
}

async function secondEntry(
	tx: Tx,
	staff: StaffActor,
	round: RoundInfo,
	household: FrozenHousehold,
	form: Form,
	photo: PreparedImage | null,
	confirms: number,
): Promise<PaperOutcome> {
	const first = await lockFirstEntry(tx, round.id, confirms, household.householdId);
	if (first.state !== 'awaiting') throw new DomainError('conflict', 'ballots.entryNotOpen');
	if (first.enteredBy === staff.userId) {
		throw new DomainError('forbidden', 'ballots.confirmOwnEntry');
	}
	const matches = sameForm(first, form);
	if (!matches) await requireOpen(tx, round.id);
	const photoId = photo ? await savePreparedImage(tx, staff.userId, photo) : null;
	const [second] = await tx
		.insert(paperEntries)
		.values({
			roundId: round.id,
			householdId: household.householdId,
			pairOf: first.id,
			state: matches ? 'confirmed' : 'mismatch',
			...form,
			photoImageId: photoId,
			enteredBy: staff.userId,
		})
		.returning();
	if (!matches) {
		await tx.update(paperEntries).set({ state: 'mismatch' }).where(eq(paperEntries.id, first.id));
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'ballot.paper_entry_mismatch',
			targetType: 'household',
			targetId: household.householdId,
			communityId: round.communityId,
			details: { roundId: round.id, entries: [first.id, second!.id] },
		});
		return { state: 'mismatch', entryId: first.id };
	}
	const outcome = await countEntry(tx, staff, round, household, first);
	await settle(tx, staff, [first.id, second!.id], 'confirmed', outcome.revision);
	await appendAudit(tx, {
		actorId: staff.userId,
		actorKind: 'staff',
		action: 'ballot.paper_confirmed',
		targetType: 'household',
		targetId: household.householdId,
		communityId: round.communityId,
		details: {
			roundId: round.id,
			entries: [first.id, second!.id],
			enteredBy: first.enteredBy,
			revision: outcome.revision,
			counted: outcome.counted,
			conflict: outcome.conflict,
		},
	});
	return { state: 'counted', ...outcome };
}

/**
 * Counts an entry as a paper ballot revision: entered by its author, confirmed by `staff`, with
 * its photo (or the first entry's). Tallies and coverage follow as for any ballot.
 */
async function countEntry(
	tx: Tx,
	staff: StaffActor,
	round: RoundInfo,
	household: FrozenHousehold,
	entry: Entry,
	fallbackPhoto: string | null = null,
): Promise<BallotOutcome> {
	const { photoId: _photoId, ...outcome } = await recordBallot(
		tx,
		{
			round,
			household,
			choices: entry.choices,
			overall: entry.overall,
			comment: entry.comment,
			channel: 'paper',
			castBy: null,
			enteredBy: entry.enteredBy,
			photo: entry.photoImageId ?? fallbackPhoto,
			filledAt: entry.filledAt,
			actor: { id: staff.userId, kind: 'staff' },
		},
		null,
	);
	await tx
		.update(ballotRevisions)
		.set({ confirmedBy: staff.userId })
		.where(
			and(
				eq(ballotRevisions.ballotId, outcome.ballotId),
				eq(ballotRevisions.revision, outcome.revision),
			),
		);
	return outcome;
}

async function settle(
	tx: Tx,
	staff: StaffActor,
	ids: number[],
	state: 'confirmed' | 'discarded',
	revision: number | null,
) {
	await tx
		.update(paperEntries)
		.set({
			state,
			resolvedBy: staff.userId,
			resolvedAt: sql`now()`,
			...(revision === null ? {} : { ballotRevision: revision }),
		})
		.where(inArray(paperEntries.id, ids));
}

/**
 * A reviewer's decision on a household's open entries. `accept` one entry of a mismatched pair:
 * it counts, confirmed by the reviewer, who must not be its author; the other is discarded.
 * `discard`: the awaiting entry, or both of a pair, are set aside and the form can be entered
 * afresh (nothing counted changes). Committee staff only. Errors: forbidden, not_found, closed
 * (accepting after the round closed), conflict (already settled; accepting an entry nobody
 * entered a second time).
 */
export async function resolvePaperEntry(
	db: Db,
	actor: Actor | null,
	input: ResolvePaperInput,
): Promise<PaperOutcome> {
	const round = await loadRound(db, input.roundId);
	if (!round) throw new DomainError('not_found', 'error.notFound');
	const staff = requireCommittee(actor, 'ballot.enter_paper', round.communityId);
	const [target] = await db
		.select({ id: paperEntries.id, pairOf: paperEntries.pairOf })
		.from(paperEntries)
		.where(and(eq(paperEntries.id, input.entryId), eq(paperEntries.roundId, round.id)));
	if (!target) throw new DomainError('not_found', 'error.notFound');
	return withRetry(() =>
		db.transaction(async (tx) => {
			// The first entry is locked first, whichever of the pair is named (one lock order).
			const first = await lockFirstEntry(tx, round.id, target.pairOf ?? target.id);
			const [second] = await tx
				.select()
				.from(paperEntries)
				.where(and(eq(paperEntries.pairOf, first.id), eq(paperEntries.state, 'mismatch')))
				.for('update');
			const pair = second ? [first.id, second.id] : [first.id];
			if (input.decision === 'discard') {
				await settle(tx, staff, pair, 'discarded', null);
				await appendAudit(tx, {
					actorId: staff.userId,
					actorKind: 'staff',
					action: 'ballot.paper_entry_discarded',
					targetType: 'household',
					targetId: first.householdId,
					communityId: round.communityId,
					details: { roundId: round.id, entries: pair },
				});
				return { state: 'discarded', entryId: first.id };
			}
			const chosen = target.id === first.id ? first : second;
			if (first.state !== 'mismatch' || !second || !chosen) {
				throw new DomainError('conflict', 'ballots.entryNeedsSecond');
			}
			if (chosen.enteredBy === staff.userId) {
				throw new DomainError('forbidden', 'ballots.confirmOwnEntry');
			}
			const household = await loadScopeHousehold(tx, round.id, first.householdId);
			if (!household) throw new DomainError('not_found', 'ballots.notInScope');
			const outcome = await countEntry(tx, staff, round, household, chosen, first.photoImageId);
			await settle(tx, staff, [chosen.id], 'confirmed', outcome.revision);
			await settle(
				tx,
				staff,
				pair.filter((id) => id !== chosen.id),
				'discarded',
				null,
			);
			await appendAudit(tx, {
				actorId: staff.userId,
				actorKind: 'staff',
				action: 'ballot.paper_entry_resolved',
				targetType: 'household',
				targetId: first.householdId,
				communityId: round.communityId,
				details: {
					roundId: round.id,
					accepted: chosen.id,
					enteredBy: chosen.enteredBy,
					revision: outcome.revision,
					counted: outcome.counted,
					conflict: outcome.conflict,
				},
			});
			return { state: 'counted', ...outcome };
		}),
	);
}

import { eq } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import { roundFloorCoefficients, rounds } from '../../../../../db/schema/ballots.ts';
import { appendAudit } from '../../audit/index.ts';
import type { Actor } from '../../policy/index.ts';
import { DomainError } from '../../shared/index.ts';
import { parseFloorCoefficients } from '../floors.ts';
import { loadRound } from '../load.ts';
import { requireCommittee } from '../policy.ts';

/**
 * Replaces a round's floor coefficients (楼层系数) while it is a draft: once opened, the
 * weights its ballots show are fixed. `text` is one "floor:coefficient" per line (floors.ts);
 * empty clears them. Committee staff only. Errors: forbidden, not_found, invalid (a bad line),
 * conflict (already opened).
 */
export async function setFloorCoefficients(
	db: Db,
	actor: Actor | null,
	input: { roundId: number; text: string },
): Promise<void> {
	const round = await loadRound(db, input.roundId);
	if (!round) throw new DomainError('not_found', 'error.notFound');
	const staff = requireCommittee(actor, 'round.manage', round.communityId);
	const parsed = parseFloorCoefficients(input.text);
	if (!parsed.ok)
		throw new DomainError('invalid', 'floors.invalidLine', { params: { line: parsed.line } });
	await db.transaction(async (tx) => {
		const [locked] = await tx
			.select({ openedAt: rounds.openedAt })
			.from(rounds)
			.where(eq(rounds.id, round.id))
			.for('update');
		if (locked?.openedAt) throw new DomainError('conflict', 'ballots.alreadyOpened');
		await tx.delete(roundFloorCoefficients).where(eq(roundFloorCoefficients.roundId, round.id));
		if (parsed.coefficients.length > 0) {
			await tx
				.insert(roundFloorCoefficients)
				.values(parsed.coefficients.map((c) => ({ roundId: round.id, ...c })));
		}
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'round.updated',
			targetType: 'round',
			targetId: round.id,
			communityId: round.communityId,
			details: { floorCoefficients: parsed.coefficients },
		});
	});
}

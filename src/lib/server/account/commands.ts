import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import { memberships, sessions, users } from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { maskPhone } from '../auth/index.ts';
import { detachMyBallots, exportMyBallots } from '../ballots/index.ts';
import { exportMyOpinions } from '../opinions/index.ts';
import { loadMemberships } from '../policy/index.ts';
import type { Actor } from '../policy/index.ts';
import { DomainError } from '../shared/index.ts';
import { listMyConsents } from './privacy.ts';

/**
 * PIPL: a resident sees and exports their data. Everything we hold about them, in one JSON
 * document; modules that add personal data (opinions, ballots…) add their section here.
 */
export async function exportMyData(db: Db, actor: Actor | null) {
	if (actor?.kind !== 'resident') throw new DomainError('unauthenticated', 'auth.signInFirst');
	const [user] = await db
		.select({
			id: users.id,
			phone: users.phone,
			displayName: users.displayName,
			locale: users.locale,
			createdAt: users.createdAt,
		})
		.from(users)
		.where(eq(users.id, actor.userId));
	if (!user) throw new DomainError('not_found', 'error.notFound');
	const open = await db
		.select({ createdAt: sessions.createdAt, expiresAt: sessions.expiresAt })
		.from(sessions)
		.where(eq(sessions.userId, actor.userId));
	const households = await loadMemberships(db, actor.userId);
	const opinions = await exportMyOpinions(db, actor.userId);
	const ballots = await exportMyBallots(db, actor.userId);
	const privacyConsents = await listMyConsents(db, actor.userId);
	return {
		exportedAt: new Date().toISOString(),
		profile: user,
		households: households.map((m) => ({
			compound: m.compoundName,
			building: m.buildingNumber,
			unit: m.unitNumber,
			room: m.room,
			relation: m.relation,
			mayCastConsentBallots: m.mayConsent,
		})),
		sessions: open,
		opinions,
		ballotRevisions: ballots,
		privacyConsents,
	};
}

/**
 * Deletes a resident's account: the phone number and name are erased, memberships end and every
 * session is closed. What they wrote stays, shown as "已注销用户"; ballots already cast stay
 * counted for the household, detached from the person (PRODUCT.md "Privacy"): their revisions
 * no longer name who cast them, and no tally moves.
 */
export async function deleteMyAccount(db: Db, actor: Actor | null): Promise<void> {
	if (actor?.kind !== 'resident') throw new DomainError('unauthenticated', 'auth.signInFirst');
	await db.transaction(async (tx) => {
		const now = new Date();
		await tx
			.update(users)
			.set({ phone: null, displayName: '', passwordHash: null, deletedAt: now, disabledAt: now })
			.where(and(eq(users.id, actor.userId), isNull(users.deletedAt)));
		await tx
			.update(memberships)
			.set({ endedAt: now })
			.where(and(eq(memberships.userId, actor.userId), isNull(memberships.endedAt)));
		await tx.delete(sessions).where(eq(sessions.userId, actor.userId));
		const ballotRevisions = await detachMyBallots(tx, actor.userId);
		await appendAudit(tx, {
			actorId: actor.userId,
			actorKind: 'resident',
			action: 'resident.deleted',
			targetType: 'user',
			targetId: actor.userId,
			details: { ballotRevisionsDetached: ballotRevisions },
		});
	});
}

/** The account page's profile: the number masked, as residents see it. */
export async function getMyProfile(
	db: Db,
	actor: Actor | null,
): Promise<{ maskedPhone: string } | null> {
	if (actor?.kind !== 'resident') return null;
	const [row] = await db
		.select({ phone: users.phone })
		.from(users)
		.where(eq(users.id, actor.userId));
	return row ? { maskedPhone: row.phone ? maskPhone(row.phone) : '' } : null;
}

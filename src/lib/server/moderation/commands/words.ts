import { eq } from 'drizzle-orm';
import type { Db } from '../../../../../db/client.ts';
import { sensitiveWords } from '../../../../../db/schema/index.ts';
import { appendAudit } from '../../audit/index.ts';
import { parseOrThrow } from '../../opinions/index.ts';
import { can } from '../../policy/index.ts';
import type { Actor } from '../../policy/index.ts';
import { DomainError } from '../../shared/index.ts';
import { requireStaffActor } from '../access.ts';
import { removeWordInput, wordInput } from '../schemas.ts';
import { normaliseEntry } from '../words.ts';

function requireWordAdmin(actor: Actor | null) {
	const staff = requireStaffActor(actor);
	if (!can(staff, 'wordlist.manage')) throw new DomainError('forbidden', 'error.forbidden');
	return staff;
}

/**
 * Adds an entry to the sensitive-word list (admins only). The same entry in another spelling
 * (full-width, other case, spaced out) is the same entry. Audited.
 * @throws DomainError invalid (nothing to match, too long) | conflict (already listed) |
 *   unauthenticated | forbidden.
 */
export async function addSensitiveWord(
	db: Db,
	actor: Actor | null,
	input: { pattern: string },
): Promise<{ id: number }> {
	const staff = requireWordAdmin(actor);
	const { pattern } = parseOrThrow(wordInput, input);
	const entry = normaliseEntry(pattern);
	if (!entry) throw new DomainError('invalid', 'moderation.wordInvalid');
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(sensitiveWords)
			.values({ pattern, normalised: entry.normalised, createdBy: staff.userId })
			.onConflictDoNothing()
			.returning({ id: sensitiveWords.id });
		if (!row) throw new DomainError('conflict', 'moderation.wordExists');
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'wordlist.added',
			targetType: 'sensitive_word',
			targetId: row.id,
			details: { pattern },
		});
		return { id: row.id };
	});
}

/**
 * Removes an entry (admins only); opinions it sent to the queue stay there. Audited.
 * @throws DomainError not_found | unauthenticated | forbidden.
 */
export async function removeSensitiveWord(
	db: Db,
	actor: Actor | null,
	input: { id: number | string },
): Promise<void> {
	const staff = requireWordAdmin(actor);
	const { id } = parseOrThrow(removeWordInput, input);
	await db.transaction(async (tx) => {
		const [row] = await tx
			.delete(sensitiveWords)
			.where(eq(sensitiveWords.id, id))
			.returning({ pattern: sensitiveWords.pattern });
		if (!row) throw new DomainError('not_found', 'error.notFound');
		await appendAudit(tx, {
			actorId: staff.userId,
			actorKind: 'staff',
			action: 'wordlist.removed',
			targetType: 'sensitive_word',
			targetId: id,
			details: { pattern: row.pattern },
		});
	});
}

/** The list, oldest first (admins only). @throws DomainError unauthenticated | forbidden. */
export async function listSensitiveWords(db: Db, actor: Actor | null) {
	requireWordAdmin(actor);
	return db
		.select({
			id: sensitiveWords.id,
			pattern: sensitiveWords.pattern,
			createdAt: sensitiveWords.createdAt,
		})
		.from(sensitiveWords)
		.orderBy(sensitiveWords.id);
}

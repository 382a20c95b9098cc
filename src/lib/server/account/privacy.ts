/**
 * Consent to the privacy notice (/privacy). The notice's text lives in the catalogs; its
 * version is here, so a changed notice is accepted anew (个人信息保护法 art. 14: consent is
 * to the notice as shown; a material change needs it again).
 */
import { and, eq } from 'drizzle-orm';
import type { Db, Executor } from '../../../../db/client.ts';
import { privacyConsents } from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';

/** Bump when the privacy notice's content changes materially. */
export const PRIVACY_POLICY_VERSION = '2026-12';

export type ConsentVia = 'sign_in' | 'account';

/** Whether the user accepted the current version of the notice. */
export async function hasCurrentConsent(db: Executor, userId: string): Promise<boolean> {
	const [row] = await db
		.select({ id: privacyConsents.id })
		.from(privacyConsents)
		.where(
			and(
				eq(privacyConsents.userId, userId),
				eq(privacyConsents.policyVersion, PRIVACY_POLICY_VERSION),
			),
		)
		.limit(1);
	return row !== undefined;
}

/**
 * Records that the user accepted `version` (only the current version is accepted; another is
 * ignored and returns false). Idempotent: a second acceptance keeps the first row. Audited.
 */
export async function recordPrivacyConsent(
	db: Db,
	userId: string,
	version: string,
	via: ConsentVia,
): Promise<boolean> {
	if (version !== PRIVACY_POLICY_VERSION) return false;
	return db.transaction(async (tx) => {
		const inserted = await tx
			.insert(privacyConsents)
			.values({ userId, policyVersion: version, via })
			.onConflictDoNothing()
			.returning({ id: privacyConsents.id });
		if (inserted.length > 0) {
			await appendAudit(tx, {
				actorId: userId,
				actorKind: 'resident',
				action: 'resident.privacy_consent',
				targetType: 'user',
				targetId: userId,
				details: { version, via },
			});
		}
		return true;
	});
}

/** The versions the user accepted and when, oldest first (for "download my data"). */
export async function listMyConsents(db: Executor, userId: string) {
	return db
		.select({
			version: privacyConsents.policyVersion,
			via: privacyConsents.via,
			acceptedAt: privacyConsents.acceptedAt,
		})
		.from(privacyConsents)
		.where(eq(privacyConsents.userId, userId))
		.orderBy(privacyConsents.acceptedAt);
}

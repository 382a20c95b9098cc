import { pgTable, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { users } from './people.ts';

/**
 * A resident's consent to the privacy notice (个人信息保护法 art. 14, 17: informed consent to
 * the notice as shown), one row per version they accepted, kept as proof even after the
 * account is deleted (the user row stays, its phone erased).
 */
export const privacyConsents = pgTable(
	'privacy_consents',
	{
		id: serial('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id),
		/** The notice's version (PRIVACY_POLICY_VERSION when accepted). */
		policyVersion: text('policy_version').notNull(),
		/** Where it was given: the sign-in form or the account page. */
		via: text('via').notNull(),
		acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull().defaultNow(),
	},
	(t) => [unique('privacy_consents_version_uq').on(t.userId, t.policyVersion)],
);

import { and, eq, isNull } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Db } from '../../../../db/client.ts';
import { householdCodes, users } from '../../../../db/schema/index.ts';
import type { SignedIn } from '../auth/index.ts';
import {
	createSession,
	enforceRateLimits,
	hashInviteCode,
	hashPassword,
	limits,
	normalizeInviteCode,
	normalizePhone,
} from '../auth/index.ts';
import { DomainError } from '../shared/index.ts';
import { bindHousehold } from './commands.ts';

/**
 * AUTH_MODE=password (districts without an SMS gateway): a resident creates an account with
 * phone + password while binding a household code. The code is checked first, so no account is
 * created without one; a number that already has an account must sign in instead.
 * Errors: invalid, not_found (code), conflict (number registered, code used up), rate_limited.
 */
export async function registerAndBind(
	db: Db,
	input: { phone: string; password: string; code: string },
	ctx: { ip: string; sessionDays: number },
): Promise<SignedIn & { householdId: number }> {
	const phone = normalizePhone(input.phone);
	if (!phone) throw new DomainError('invalid', 'auth.phoneInvalid');
	const code = normalizeInviteCode(input.code);
	if (!code) throw new DomainError('invalid', 'households.codeFormat');
	if (input.password.length < 8 || input.password.length > 128)
		throw new DomainError('invalid', 'auth.passwordRules');
	await enforceRateLimits(db, [limits.bindPerIp(ctx.ip)]);
	const [invite] = await db
		.select({
			id: householdCodes.id,
			uses: householdCodes.uses,
			maxMembers: householdCodes.maxMembers,
		})
		.from(householdCodes)
		.where(
			and(eq(householdCodes.codeHash, hashInviteCode(code)), isNull(householdCodes.revokedAt)),
		);
	if (!invite) throw new DomainError('not_found', 'households.codeUnknown');
	if (invite.uses >= invite.maxMembers) throw new DomainError('conflict', 'households.codeUsedUp');
	const userId = randomUUID();
	const created = await db
		.insert(users)
		.values({
			id: userId,
			kind: 'resident',
			phone,
			passwordHash: await hashPassword(input.password),
		})
		.onConflictDoNothing()
		.returning({ id: users.id });
	if (created.length === 0) throw new DomainError('conflict', 'auth.alreadyRegistered');
	const bound = await bindHousehold(
		db,
		{ kind: 'resident', userId, memberships: [] },
		{ code },
		ctx,
	);
	const session = await createSession(db, userId, ctx.sessionDays);
	return { userId, kind: 'resident', householdId: bound.householdId, ...session };
}

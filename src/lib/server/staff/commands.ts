import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Db, Executor } from '../../../../db/client.ts';
import {
	communities,
	projects,
	sessions,
	staffRoles,
	staffScopes,
	users,
} from '../../../../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { hashPassword } from '../auth/index.ts';
import { can } from '../policy/index.ts';
import type { Actor, Role } from '../policy/index.ts';
import { DomainError, isUniqueViolation } from '../shared/index.ts';

export type StaffAccess = { roles: Role[]; communityIds: number[]; projectIds: number[] };

function requireAdmin(actor: Actor | null): string {
	if (!can(actor, 'staff.manage')) throw new DomainError('forbidden', 'error.forbidden');
	return actor!.userId;
}

export function checkPassword(password: string): void {
	if (password.length < 10 || password.length > 128)
		throw new DomainError('invalid', 'staff.passwordRules');
}

async function writeAccess(tx: Executor, userId: string, access: StaffAccess): Promise<void> {
	await tx.delete(staffRoles).where(eq(staffRoles.userId, userId));
	for (const role of new Set(access.roles)) {
		const [row] = await tx
			.insert(staffRoles)
			.values({ userId, role })
			.returning({ id: staffRoles.id });
		const targets =
			role === 'moderator'
				? access.communityIds.map((communityId) => ({ staffRoleId: row!.id, communityId }))
				: role === 'officer'
					? access.projectIds.map((projectId) => ({ staffRoleId: row!.id, projectId }))
					: [];
		if (targets.length) await tx.insert(staffScopes).values(targets);
	}
}

/** Refuses unknown community or project ids (they would fail the foreign key anyway). */
async function checkTargets(tx: Executor, access: StaffAccess): Promise<void> {
	if (access.communityIds.length) {
		const found = await tx
			.select({ id: communities.id })
			.from(communities)
			.where(inArray(communities.id, access.communityIds));
		if (found.length !== new Set(access.communityIds).size)
			throw new DomainError('invalid', 'staff.scopeUnknown');
	}
	if (access.projectIds.length) {
		const found = await tx
			.select({ id: projects.id })
			.from(projects)
			.where(inArray(projects.id, access.projectIds));
		if (found.length !== new Set(access.projectIds).size)
			throw new DomainError('invalid', 'staff.scopeUnknown');
	}
}

/** Creates a staff account with roles and scopes (admin only). Errors: conflict (username taken). */
export async function createStaff(
	db: Db,
	actor: Actor | null,
	input: { username: string; displayName: string; password: string } & StaffAccess,
): Promise<{ userId: string }> {
	return insertStaff(db, requireAdmin(actor), input);
}

/**
 * `npm run admin:create`: an admin account made from the command line (the first one, or a
 * recovery). Recorded in the audit log as a system action. Never reachable over HTTP.
 */
export async function createAdminFromCli(
	db: Db,
	input: { username: string; displayName: string; password: string },
): Promise<{ userId: string }> {
	return insertStaff(db, null, { ...input, roles: ['admin'], communityIds: [], projectIds: [] });
}

async function insertStaff(
	db: Db,
	adminId: string | null,
	input: { username: string; displayName: string; password: string } & StaffAccess,
): Promise<{ userId: string }> {
	checkPassword(input.password);
	const passwordHash = await hashPassword(input.password);
	const userId = randomUUID();
	try {
		await db.transaction(async (tx) => {
			await checkTargets(tx, input);
			await tx.insert(users).values({
				id: userId,
				kind: 'staff',
				username: input.username,
				displayName: input.displayName,
				passwordHash,
			});
			await writeAccess(tx, userId, input);
			await appendAudit(tx, {
				actorId: adminId,
				actorKind: adminId ? 'staff' : 'system',
				action: 'staff.created',
				targetType: 'user',
				targetId: userId,
				details: {
					username: input.username,
					roles: input.roles,
					communityIds: input.communityIds,
					projectIds: input.projectIds,
				},
			});
		});
	} catch (error) {
		if (isUniqueViolation(error)) throw new DomainError('conflict', 'staff.usernameTaken');
		throw error;
	}
	return { userId };
}

/** Replaces a staff member's roles and scopes (admin only). */
export async function updateStaffAccess(
	db: Db,
	actor: Actor | null,
	userId: string,
	access: StaffAccess,
): Promise<void> {
	const adminId = requireAdmin(actor);
	await db.transaction(async (tx) => {
		const [target] = await tx
			.select({ id: users.id })
			.from(users)
			.where(and(eq(users.id, userId), eq(users.kind, 'staff')));
		if (!target) throw new DomainError('not_found', 'error.notFound');
		await checkTargets(tx, access);
		await writeAccess(tx, userId, access);
		await appendAudit(tx, {
			actorId: adminId,
			actorKind: 'staff',
			action: 'staff.access_changed',
			targetType: 'user',
			targetId: userId,
			details: { ...access },
		});
	});
}

/** Sets a new password and ends the member's sessions (admin only). */
export async function resetStaffPassword(
	db: Db,
	actor: Actor | null,
	userId: string,
	password: string,
): Promise<void> {
	const adminId = requireAdmin(actor);
	checkPassword(password);
	const passwordHash = await hashPassword(password);
	await db.transaction(async (tx) => {
		const updated = await tx
			.update(users)
			.set({ passwordHash })
			.where(and(eq(users.id, userId), eq(users.kind, 'staff')))
			.returning({ id: users.id });
		if (updated.length === 0) throw new DomainError('not_found', 'error.notFound');
		await tx.delete(sessions).where(eq(sessions.userId, userId));
		await appendAudit(tx, {
			actorId: adminId,
			actorKind: 'staff',
			action: 'staff.password_reset',
			targetType: 'user',
			targetId: userId,
		});
	});
}

/** Disables (ends every session) or re-enables a staff account; admins cannot disable themselves. */
export async function setStaffDisabled(
	db: Db,
	actor: Actor | null,
	userId: string,
	disabled: boolean,
): Promise<void> {
	const adminId = requireAdmin(actor);
	if (disabled && userId === adminId) throw new DomainError('invalid', 'staff.cannotDisableSelf');
	await db.transaction(async (tx) => {
		const updated = await tx
			.update(users)
			.set({ disabledAt: disabled ? new Date() : null })
			.where(and(eq(users.id, userId), eq(users.kind, 'staff')))
			.returning({ id: users.id });
		if (updated.length === 0) throw new DomainError('not_found', 'error.notFound');
		if (disabled) await tx.delete(sessions).where(eq(sessions.userId, userId));
		await appendAudit(tx, {
			actorId: adminId,
			actorKind: 'staff',
			action: disabled ? 'staff.disabled' : 'staff.enabled',
			targetType: 'user',
			targetId: userId,
		});
	});
}

/** Ends every session of a user: oneself, or any staff member for an admin. */
export async function signOutEverywhere(
	db: Db,
	actor: Actor | null,
	userId: string,
): Promise<number> {
	if (!actor || (actor.userId !== userId && !can(actor, 'staff.manage')))
		throw new DomainError('forbidden', 'error.forbidden');
	return db.transaction(async (tx) => {
		const ended = await tx
			.delete(sessions)
			.where(eq(sessions.userId, userId))
			.returning({ id: sessions.id });
		await appendAudit(tx, {
			actorId: actor.userId,
			actorKind: actor.kind,
			action: 'user.signed_out_everywhere',
			targetType: 'user',
			targetId: userId,
			details: { sessions: ended.length },
		});
		return ended.length;
	});
}

export type StaffRow = {
	id: string;
	username: string;
	displayName: string;
	disabled: boolean;
	roles: Role[];
	communityIds: number[];
	projectIds: number[];
	sessions: number;
};

/** Every staff account with access and open session counts (admin only). */
export async function listStaff(db: Executor, actor: Actor | null): Promise<StaffRow[]> {
	requireAdmin(actor);
	const rows = await db
		.select({
			id: users.id,
			username: users.username,
			displayName: users.displayName,
			disabledAt: users.disabledAt,
			sessions: sql<number>`(select count(*)::int from sessions s where s.user_id = ${users.id} and s.expires_at > now())`,
		})
		.from(users)
		.where(and(eq(users.kind, 'staff'), isNull(users.deletedAt)))
		.orderBy(asc(users.username));
	const access = rows.length
		? await db
				.select({
					userId: staffRoles.userId,
					role: staffRoles.role,
					communityId: staffScopes.communityId,
					projectId: staffScopes.projectId,
				})
				.from(staffRoles)
				.leftJoin(staffScopes, eq(staffScopes.staffRoleId, staffRoles.id))
		: [];
	return rows.map((row) => {
		const mine = access.filter((a) => a.userId === row.id);
		return {
			id: row.id,
			username: row.username ?? '',
			displayName: row.displayName,
			disabled: row.disabledAt !== null,
			sessions: row.sessions,
			roles: [...new Set(mine.map((a) => a.role))],
			communityIds: [
				...new Set(mine.flatMap((a) => (a.communityId === null ? [] : [a.communityId]))),
			],
			projectIds: [...new Set(mine.flatMap((a) => (a.projectId === null ? [] : [a.projectId])))],
		};
	});
}

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import {
	createSession,
	sessionRule,
	validateSessionToken,
} from '../../../src/lib/server/auth/sessions.ts';
import { sessionIdFromToken } from '../../../src/lib/server/auth/secrets.ts';
import { createResident, createStaffUser } from '../../factories/people.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const RESIDENT_DAYS = 30;

type Outcome = 'valid' | 'extended' | 'ended';
/**
 * Each row signs in `age` ago and then uses the session now, through every path that validates
 * a session: `validateSessionToken` (the middleware, for every page and action) and the page
 * cache's slot (requests answered before Astro). Staff: one day from sign-in, never extended.
 */
const table: { kind: 'resident' | 'staff'; age: number; outcome: Outcome; stretched?: boolean }[] =
	[
		{ kind: 'resident', age: HOUR, outcome: 'valid' },
		{ kind: 'resident', age: 14 * DAY, outcome: 'valid' },
		{ kind: 'resident', age: 16 * DAY, outcome: 'extended' },
		{ kind: 'resident', age: 29 * DAY, outcome: 'extended' },
		{ kind: 'resident', age: 30 * DAY + HOUR, outcome: 'ended' },
		{ kind: 'staff', age: HOUR, outcome: 'valid' },
		{ kind: 'staff', age: 13 * HOUR, outcome: 'valid' },
		{ kind: 'staff', age: 23 * HOUR, outcome: 'valid' },
		{ kind: 'staff', age: 24 * HOUR + 60_000, outcome: 'ended' },
		// A row whose expiry was once pushed out (the old sliding rule) still ends a day after sign-in.
		{ kind: 'staff', age: 2 * HOUR, outcome: 'valid', stretched: true },
		{ kind: 'staff', age: 25 * HOUR, outcome: 'ended', stretched: true },
	];

describe('session lifetime rule', () => {
	it.each(table)('$kind signed in $age ms ago: $outcome', ({ kind, age, outcome, stretched }) => {
		const now = new Date('2026-06-01T00:00:00Z');
		const createdAt = new Date(now.getTime() - age);
		const lifetime = kind === 'staff' ? DAY : RESIDENT_DAYS * DAY;
		const expiresAt = new Date(createdAt.getTime() + (stretched ? 30 * DAY : lifetime));
		const rule = sessionRule(kind, { createdAt, expiresAt }, RESIDENT_DAYS, now);
		if (outcome === 'ended') return expect(rule).toBeNull();
		expect(rule!.extended).toBe(outcome === 'extended');
		if (kind === 'staff') expect(rule!.expiresAt.getTime()).toBe(createdAt.getTime() + DAY);
	});
});

describe.each(drivers)('sessions on %s', (driver) => {
	let t: TestDatabase;
	let residentId: string;
	let staffId: string;
	beforeAll(async () => {
		t = await createTestDatabase(driver);
		residentId = (await createResident(t.db)).userId;
		staffId = (await createStaffUser(t.db, { roles: ['moderator'] })).userId;
	});
	afterAll(async () => t?.close());

	const expiryOf = async (token: string) => {
		const [row] = await t.db
			.select({ expiresAt: s.sessions.expiresAt })
			.from(s.sessions)
			.where(eq(s.sessions.id, sessionIdFromToken(token)));
		return row?.expiresAt ?? null;
	};

	it('gives staff one day and residents SESSION_DAYS at sign-in, whatever the caller passes', async () => {
		const now = new Date();
		const staff = await createSession(t.db, staffId, 30, now);
		const resident = await createSession(t.db, residentId, RESIDENT_DAYS, now);
		expect(staff.expiresAt.getTime() - now.getTime()).toBe(DAY);
		expect(resident.expiresAt.getTime() - now.getTime()).toBe(RESIDENT_DAYS * DAY);
		expect((await expiryOf(staff.token))!.getTime()).toBe(staff.expiresAt.getTime());
	});

	it.each(table)(
		'$kind $age ms after sign-in → $outcome',
		async ({ kind, age, outcome, stretched }) => {
			const userId = kind === 'staff' ? staffId : residentId;
			const signedInAt = new Date(Date.now() - age);
			const { token } = await createSession(t.db, userId, RESIDENT_DAYS, signedInAt);
			if (stretched)
				await t.db
					.update(s.sessions)
					.set({ expiresAt: new Date(signedInAt.getTime() + 30 * DAY) })
					.where(eq(s.sessions.id, sessionIdFromToken(token)));
			const before = await expiryOf(token);
			const session = await validateSessionToken(t.db, token, RESIDENT_DAYS);
			const after = await expiryOf(token);
			if (outcome === 'ended') {
				expect(session).toBeNull();
				expect(after).toBeNull();
				return;
			}
			expect(session!.user.kind).toBe(kind);
			expect(session!.fresh).toBe(outcome === 'extended');
			if (outcome === 'extended') {
				expect(after!.getTime()).toBeGreaterThan(Date.now() + (RESIDENT_DAYS * DAY) / 2 + HOUR);
				expect(session!.expiresAt.getTime()).toBe(after!.getTime());
			} else {
				expect(after!.getTime()).toBe(before!.getTime());
			}
			if (kind === 'staff') {
				expect(session!.expiresAt.getTime()).toBe(signedInAt.getTime() + DAY);
				// Used again and again, a staff session still ends a day after sign-in.
				for (let i = 0; i < 3; i++) await validateSessionToken(t.db, token, RESIDENT_DAYS);
				expect((await validateSessionToken(t.db, token, 1))!.expiresAt.getTime()).toBe(
					signedInAt.getTime() + DAY,
				);
			}
		},
	);
});

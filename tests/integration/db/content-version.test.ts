import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { createSession } from '../../../src/lib/server/auth/sessions.ts';
import {
	cacheSlot,
	contentVersion,
	freshContentVersion,
} from '../../../src/lib/server/http/page-cache.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

/** The public pages' cache key moves with every committed write to what they show, once per transaction. */
describe.each(drivers)('content version on %s', (driver) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
	});
	afterAll(async () => t?.close());

	it('moves once per committed transaction, not per row, and not on rollback', async () => {
		const v0 = BigInt(await contentVersion(t.db));
		await t.db.transaction(async (tx) => {
			await tx.update(s.projects).set({ summary: 'a' }).where(eq(s.projects.slug, 'hongyan'));
			await tx
				.update(s.households)
				.set({ occupancy: 'rented' })
				.where(sql`id <= 50`);
		});
		const v1 = BigInt(await contentVersion(t.db));
		expect(v1 - v0).toBe(1n);
		await t.db
			.transaction(async (tx) => {
				await tx.update(s.projects).set({ summary: 'b' }).where(eq(s.projects.slug, 'hongyan'));
				throw new Error('rollback');
			})
			.catch(() => {});
		expect(BigInt(await contentVersion(t.db))).toBe(v1);
		await t.db.update(s.projects).set({ summary: 'c' }).where(eq(s.projects.slug, 'dujuan'));
		expect(BigInt(await contentVersion(t.db))).toBe(v1 + 1n);
	});

	it('does not move on writes that public pages do not show (sessions, rate limits, audit)', async () => {
		const v0 = await contentVersion(t.db);
		await t.db
			.insert(s.rateLimits)
			.values({ key: 'x', windowStart: new Date(), count: 1, expiresAt: new Date() });
		expect(await contentVersion(t.db)).toBe(v0);
	});
});

/** What signed-in residents' cached pages are keyed by (migration 0018, page-cache.ts). */
describe.each(drivers)('page cache slots on %s', (driver) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
	});
	afterAll(async () => t?.close());

	const request = (cookies: Record<string, string>, path = '/p/dujuan/v/2') => ({
		method: 'GET',
		path,
		locale: 'zh-CN',
		search: '',
		cookies: new Map(Object.entries(cookies)),
		sessionDays: 30,
	});

	async function resident(phone: string): Promise<{ id: string; token: string }> {
		const [user] = await t.db
			.insert(s.users)
			.values({ id: crypto.randomUUID(), kind: 'resident', phone })
			.returning({ id: s.users.id });
		const { token } = await createSession(t.db, user!.id, 30);
		return { id: user!.id, token };
	}

	it('a private version moves with the user’s own rows, in their transaction, and only theirs', async () => {
		const a = await resident('+8613900000201');
		const b = await resident('+8613900000202');
		const slot = () => cacheSlot(t.db, request({ gj_session: a.token }));
		const first = (await slot())!;
		expect(first.key).toContain(`u:${a.id}|`);
		const [household] = await t.db.select({ id: s.households.id }).from(s.households).limit(1);
		await t.db
			.insert(s.memberships)
			.values({ userId: a.id, householdId: household!.id, relation: 'owner' });
		const bound = (await slot())!;
		expect(bound.version).not.toBe(first.version);
		expect(bound.version.split('.')[0]).toBe(first.version.split('.')[0]);
		// Another user's notification does not move A's pages; A's does.
		await t.db.insert(s.notifications).values({ userId: b.id, kind: 'test' });
		expect((await slot())!.version).toBe(bound.version);
		await t.db
			.transaction(async (tx) => {
				await tx.insert(s.notifications).values({ userId: a.id, kind: 'test' });
				throw new Error('rollback');
			})
			.catch(() => {});
		expect((await slot())!.version).toBe(bound.version);
		await t.db.insert(s.notifications).values({ userId: a.id, kind: 'test' });
		expect((await slot())!.version).not.toBe(bound.version);
	});

	it('refuses what must be rendered: staff, sessions lucia would extend, foreign cookies, other pages', async () => {
		const a = await resident('+8613900000203');
		expect(await cacheSlot(t.db, request({ gj_session: a.token }, '/account'))).toBeNull();
		expect(
			await cacheSlot(t.db, request({ gj_session: a.token, gj_login_phone: '139' })),
		).toBeNull();
		expect(
			await cacheSlot(t.db, { ...request({ gj_session: a.token }), method: 'POST' }),
		).toBeNull();
		expect(await cacheSlot(t.db, request({ gj_session: 'x'.repeat(43) }))).toBeNull();
		expect(await cacheSlot(t.db, request({ gj_session: 'short' }))).toBeNull();
		await t.db
			.update(s.sessions)
			.set({ expiresAt: new Date(Date.now() + 10 * 86_400_000) })
			.where(eq(s.sessions.userId, a.id));
		expect(await cacheSlot(t.db, request({ gj_session: a.token }))).toBeNull();
		const [staffUser] = await t.db
			.insert(s.users)
			.values({ id: crypto.randomUUID(), kind: 'staff', username: 'cache-staff' })
			.returning({ id: s.users.id });
		const staff = await createSession(t.db, staffUser!.id, 30);
		expect(await cacheSlot(t.db, request({ gj_session: staff.token }))).toBeNull();
		// Anonymous: keyed by text size and locale, no query of its own.
		const large = await cacheSlot(t.db, request({ gj_text: 'large', other_site: '1' }));
		expect(large!.key).toBe('a|zh-CN|large|/p/dujuan/v/2');
	});

	it('concurrent anonymous requests share version reads and never see a version older than their arrival', async () => {
		const before = BigInt(await contentVersion(t.db));
		const burst = await Promise.all(Array.from({ length: 50 }, () => freshContentVersion(t.db)));
		expect(new Set(burst).size).toBeLessThanOrEqual(2);
		await t.db.update(s.projects).set({ summary: 'moved' }).where(eq(s.projects.slug, 'hongyan'));
		// Called after the commit: must see it, even while a read started earlier is under way.
		const during = freshContentVersion(t.db);
		expect(BigInt(await during)).toBe(before + 1n);
		const late = await Promise.all([freshContentVersion(t.db), freshContentVersion(t.db)]);
		expect(late.map(BigInt)).toEqual([before + 1n, before + 1n]);
	});
});

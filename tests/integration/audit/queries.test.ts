import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { appendAudit, sealAudit } from '../../../src/lib/server/audit/commands.ts';
import { AUDIT_PAGE_SIZE, listAudit } from '../../../src/lib/server/audit/queries.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

const day = (d: number) => new Date(Date.UTC(2026, 10, d, 8, 0, 0, 123));

describe.each(drivers)('listAudit on %s', (driver) => {
	let t: TestDatabase;
	let meiling: number;
	let jiangbin: number;

	beforeAll(async () => {
		t = await createTestDatabase(driver);
		const [d] = await t.db
			.insert(s.districts)
			.values({ code: 'A1', name: '审计区', nameEn: 'Audit' })
			.returning();
		const [sd] = await t.db
			.insert(s.subdistricts)
			.values({ districtId: d!.id, name: '审计街道', nameEn: 'Audit St' })
			.returning();
		const [a, b] = await t.db
			.insert(s.communities)
			.values([
				{ subdistrictId: sd!.id, name: '梅岭社区', nameEn: 'Meiling' },
				{ subdistrictId: sd!.id, name: '江滨社区', nameEn: 'Jiangbin' },
			])
			.returning();
		meiling = a!.id;
		jiangbin = b!.id;
		await t.db.insert(s.users).values([
			{ id: 'u_mod', kind: 'staff', username: 'mod.meiling', displayName: '李主任' },
			{ id: 'u_res', kind: 'resident', phone: '+8613912345678', displayName: '王阿姨' },
		]);
		await t.db.transaction(async (tx) => {
			for (let i = 0; i < 60; i++) {
				await appendAudit(tx, {
					actorId: 'u_mod',
					actorKind: 'staff',
					action: i % 2 ? 'opinion.hidden' : 'household.codes_issued',
					targetType: 'compound',
					targetId: i % 3,
					communityId: meiling,
					details: { i },
					at: day(1 + (i % 10)),
				});
			}
			for (let i = 0; i < 5; i++) {
				await appendAudit(tx, {
					actorId: 'u_res',
					actorKind: 'resident',
					action: [
						'ballot.cast',
						'ballot.cast',
						'ballot.cast',
						'ballot_x.revised',
						'ballotax.revised',
					][i]!,
					targetType: 'ballot',
					targetId: `b${i}`,
					communityId: jiangbin,
					at: day(20),
				});
			}
			await appendAudit(tx, {
				actorId: null,
				actorKind: 'system',
				action: 'round.closed',
				at: day(21),
			});
			await appendAudit(tx, {
				actorId: 'u_gone',
				actorKind: 'staff',
				action: 'staff.sign_in',
				at: day(21),
			});
		});
	});
	afterAll(async () => t?.close());

	it('pages everything newest first for an admin, clamping the page number', async () => {
		const first = await listAudit(t.db, { scope: { all: true } });
		expect(first).toMatchObject({ total: 67, page: 1, pages: 2, pageSize: AUDIT_PAGE_SIZE });
		expect(first.items).toHaveLength(50);
		const ids = first.items.map((item) => item.id);
		expect(ids).toEqual([...ids].sort((x, y) => y - x));
		const second = await listAudit(t.db, { scope: { all: true }, page: '2' });
		expect(second.items).toHaveLength(17);
		expect(second.items[0]!.id).toBeLessThan(ids.at(-1)!);
		expect((await listAudit(t.db, { scope: { all: true }, page: '99' })).page).toBe(2);
		expect((await listAudit(t.db, { scope: { all: true }, page: 'x' })).page).toBe(1);
		expect((await listAudit(t.db, { scope: { all: true }, page: -3 })).page).toBe(1);
	});

	it('limits a moderator to their communities, hiding district-wide entries', async () => {
		expect(
			(await listAudit(t.db, { scope: { all: false, communityIds: [meiling], projectIds: [] } }))
				.total,
		).toBe(60);
		expect(
			(await listAudit(t.db, { scope: { all: false, communityIds: [jiangbin], projectIds: [] } }))
				.total,
		).toBe(5);
		expect(
			(
				await listAudit(t.db, {
					scope: { all: false, communityIds: [meiling, jiangbin], projectIds: [] },
				})
			).total,
		).toBe(65);
		const none = await listAudit(t.db, { scope: { all: false, communityIds: [], projectIds: [] } });
		expect(none).toMatchObject({ total: 0, page: 1, pages: 1, items: [] });
	});

	it.each([
		['an exact action', { action: 'opinion.hidden' }, 30],
		['an action prefix', { action: 'ballot.*' }, 3],
		['a prefix whose underscore is literal', { action: 'ballot_x.*' }, 1],
		['an actor', { actorId: 'u_res' }, 5],
		['a target type', { targetType: 'compound' }, 60],
		['a target', { targetType: 'compound', targetId: '0' }, 20],
		['a start (inclusive)', { from: day(20) }, 7],
		['an end (exclusive)', { to: day(2) }, 6],
		['a time range', { from: day(2), to: day(4) }, 12],
	])('filters by %s', async (_name, filter, expected) => {
		const page = await listAudit(t.db, { scope: { all: true }, ...filter });
		expect(page.total).toBe(expected);
		expect(page.items).toHaveLength(Math.min(expected, AUDIT_PAGE_SIZE));
	});

	it('applies filters within the scope', async () => {
		const scoped = {
			action: 'ballot.*',
			scope: { all: false, communityIds: [meiling], projectIds: [] },
		};
		expect((await listAudit(t.db, scoped)).total).toBe(0);
		expect(
			(
				await listAudit(t.db, {
					...scoped,
					scope: { all: false, communityIds: [jiangbin], projectIds: [] },
				})
			).total,
		).toBe(3);
	});

	it('returns a small view model with names and no phone numbers', async () => {
		const page = await listAudit(t.db, { scope: { all: true } });
		const byAction = (action: string) => page.items.find((item) => item.action === action)!;
		expect(byAction('ballot.cast')).toMatchObject({
			actor: { id: 'u_res', kind: 'resident', name: '王阿姨' },
			target: { type: 'ballot', id: 'b2' },
			community: { id: jiangbin, name: '江滨社区', nameEn: 'Jiangbin' },
			at: '2026-11-20T08:00:00.123Z',
			details: {},
		});
		expect(byAction('opinion.hidden').actor.name).toBe('mod.meiling');
		expect(byAction('round.closed')).toMatchObject({
			actor: { id: null, kind: 'system', name: null },
			target: null,
			community: null,
		});
		expect(byAction('staff.sign_in').actor).toEqual({ id: 'u_gone', kind: 'staff', name: null });
		expect(JSON.stringify(page)).not.toMatch(/13912345678/);
	});

	it('lists entries before they are sealed, with a null hash, and with their hash after', async () => {
		const before = await listAudit(t.db, { scope: { all: true } });
		expect(before.items.map((item) => item.hash)).toEqual(before.items.map(() => null));
		expect(await sealAudit(t.db)).toBe(67);
		const after = await listAudit(t.db, { scope: { all: true } });
		expect(after.items.map((item) => item.id)).toEqual(before.items.map((item) => item.id));
		for (const item of after.items) expect(item.hash).toMatch(/^[0-9a-f]{64}$/);
	});
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toggleMeToo } from '../../../src/lib/server/opinions/commands.ts';
import {
	countOpinions,
	getOpinionContext,
	listOpinions,
	listOpinionTargets,
} from '../../../src/lib/server/opinions/queries.ts';
import { createResident } from '../../factories/people.ts';
import {
	createPlanItem,
	createPlanVersion,
	createRendering,
	demoProject,
} from '../../factories/plans.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { createOpinionRow } from './helpers.ts';

const MINUTE = 60_000;

describe.each(drivers)('reading opinions on %s', (driver) => {
	let t: TestDatabase;
	let versionId: number;
	let renderingId: number;
	let itemId: number;
	/** Top-level opinions, oldest first. */
	const tops: { id: number; meToo: number }[] = [];
	const start = Date.now() - 120 * MINUTE;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		const project = await demoProject(t.db, 'hongyan');
		versionId = (await createPlanVersion(t.db, { projectId: project.id })).id;
		renderingId = (await createRendering(t.db, versionId)).id;
		itemId = (await createPlanItem(t.db, versionId)).id;
		const alignments = ['support', 'object', 'neutral'] as const;
		for (let i = 0; i < 25; i++) {
			const target = i % 5 === 0 ? { renderingId } : i % 5 === 1 ? { planItemId: itemId } : {};
			const meToo = (i * 7) % 11;
			const row = await createOpinionRow(t.db, {
				planVersionId: versionId,
				alignment: alignments[i % 3],
				createdAt: new Date(start + i * MINUTE),
				meTooCount: meToo,
				body: `第 ${i} 条`,
				...target,
			});
			tops.push({ id: row.id, meToo });
		}
		// Replies (the oldest first under their parent), a hidden and a rejected opinion.
		for (const minute of [90, 80]) {
			await createOpinionRow(t.db, {
				planVersionId: versionId,
				parentId: tops[24]!.id,
				alignment: 'object',
				createdAt: new Date(start + minute * MINUTE),
			});
		}
		await createOpinionRow(t.db, { planVersionId: versionId, state: 'hidden' });
		await createOpinionRow(t.db, { planVersionId: versionId, state: 'rejected' });
	});
	afterAll(async () => t?.close());

	it('pages newest first, 20 a page, clamping pages past the end', async () => {
		const first = await listOpinions(t.db, null, { planVersionId: versionId });
		const newest = tops.map((o) => o.id).reverse();
		expect(first).toMatchObject({ page: 1, pages: 2, total: 25, order: 'newest' });
		expect(first.items.map((o) => o.id)).toEqual(newest.slice(0, 20));
		const last = await listOpinions(t.db, null, { planVersionId: versionId, page: 99 });
		expect(last.page).toBe(2);
		expect(last.items.map((o) => o.id)).toEqual(newest.slice(20));
	});

	it('orders by "me too" count, newest first among equals', async () => {
		const page = await listOpinions(t.db, null, {
			planVersionId: versionId,
			order: 'supported',
			page: 1,
		});
		const expected = tops
			.map((o, index) => ({ ...o, index }))
			.sort((a, b) => b.meToo - a.meToo || b.index - a.index)
			.map((o) => o.id);
		expect(page.items.map((o) => o.id)).toEqual(expected.slice(0, 20));
	});

	it('nests replies under their opinion, oldest first, and never lists them at the top', async () => {
		const page = await listOpinions(t.db, null, { planVersionId: versionId });
		const parent = page.items.find((o) => o.id === tops[24]!.id)!;
		expect(parent.replies.map((r) => r.createdAt.getTime())).toEqual([
			start + 80 * MINUTE,
			start + 90 * MINUTE,
		]);
		expect(parent.replies.every((r) => r.parentId === parent.id && r.replies.length === 0)).toBe(
			true,
		);
		expect(page.total).toBe(25);
	});

	it('filters by target and counts by alignment per target (published top-level only)', async () => {
		const onRendering = await listOpinions(t.db, null, {
			planVersionId: versionId,
			target: { renderingId },
		});
		expect(onRendering.items.map((o) => o.id).sort()).toEqual(
			tops
				.filter((_, i) => i % 5 === 0)
				.map((o) => o.id)
				.sort(),
		);
		expect(onRendering.items[0]!.target).toMatchObject({ kind: 'rendering', id: renderingId });
		const onVersion = await listOpinions(t.db, null, {
			planVersionId: versionId,
			target: 'version',
		});
		expect(onVersion.total).toBe(15);
		expect(onVersion.items.every((o) => o.target === null)).toBe(true);
		const counts = await countOpinions(t.db, versionId);
		const expectCounts = (indexes: number[]) => {
			const c = { support: 0, object: 0, neutral: 0, total: indexes.length };
			for (const i of indexes) c[(['support', 'object', 'neutral'] as const)[i % 3]!] += 1;
			return c;
		};
		const all = Array.from({ length: 25 }, (_, i) => i);
		expect(counts.all).toEqual(expectCounts(all));
		expect(counts.renderings[renderingId]).toEqual(expectCounts(all.filter((i) => i % 5 === 0)));
		expect(counts.items[itemId]).toEqual(expectCounts(all.filter((i) => i % 5 === 1)));
		expect(counts.version).toEqual(expectCounts(all.filter((i) => i % 5 > 1)));
		expect(onRendering.counts).toEqual(counts.renderings[renderingId]);
		const empty = await listOpinions(t.db, null, {
			planVersionId: versionId,
			target: { planItemId: 999_999 },
		});
		expect(empty).toMatchObject({ items: [], total: 0, pages: 1, page: 1 });
		expect(empty.counts).toEqual({ support: 0, object: 0, neutral: 0, total: 0 });
	});

	it('marks what the viewer backed', async () => {
		const fan = await createResident(t.db);
		await toggleMeToo(t.db, fan, tops[24]!.id);
		const page = await listOpinions(t.db, fan, { planVersionId: versionId });
		expect(page.items.filter((o) => o.meTooByViewer).map((o) => o.id)).toEqual([tops[24]!.id]);
		expect(page.items.some((o) => o.mine || o.reportedByViewer)).toBe(false);
	});

	it('gives the composer its context and targets', async () => {
		const context = await getOpinionContext(t.db, versionId);
		expect(context).toMatchObject({ planVersionId: versionId, status: 'open', moderation: 'post' });
		expect(context!.compoundIds.length).toBeGreaterThan(0);
		expect(await getOpinionContext(t.db, 999_999)).toBeNull();
		const targets = await listOpinionTargets(t.db, versionId);
		expect(targets.renderings.map((r) => r.id)).toEqual([renderingId]);
		expect(targets.items.map((i) => i.id)).toEqual([itemId]);
	});
});

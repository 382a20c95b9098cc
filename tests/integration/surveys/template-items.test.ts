import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { loadSurvey } from '../../../src/lib/server/surveys/load.ts';
import { projectId } from '../../factories/ballots.ts';
import { createStaffUser } from '../../factories/people.ts';
import { createTemplateSurvey } from '../../factories/surveys.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

/**
 * The satisfaction template asks about the items of the final plan that were built: an item
 * the progress page marks dropped (已取消) is left out (issue 19).
 */
describe.each(drivers)('satisfaction template items on %s', (driver) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
	});
	afterAll(async () => t?.close());

	it('leaves out an item dropped during the works', async () => {
		const admin = await createStaffUser(t.db, { roles: ['admin'] });
		const project = await projectId(t.db, 'chengguan');
		const items = await t.db
			.select({
				itemId: s.planItems.itemId,
				buildingId: s.planItems.buildingId,
				name: s.renovationItems.name,
			})
			.from(s.planItems)
			.innerJoin(s.planVersions, eq(s.planVersions.id, s.planItems.planVersionId))
			.innerJoin(s.renovationItems, eq(s.renovationItems.id, s.planItems.itemId))
			.where(and(eq(s.planVersions.projectId, project), eq(s.planVersions.status, 'final')));
		expect(items.length).toBeGreaterThan(1);
		const dropped = items[0]!;
		const kept = items.find((i) => i.name !== dropped.name)!;
		await t.db
			.delete(s.itemProgress)
			.where(and(eq(s.itemProgress.projectId, project), eq(s.itemProgress.itemId, dropped.itemId)));
		await t.db.insert(s.itemProgress).values({
			projectId: project,
			itemId: dropped.itemId,
			buildingId: dropped.buildingId,
			status: 'dropped',
			percent: 0,
			reason: '经消防审查取消',
		});
		const { surveyId } = await createTemplateSurvey(t.db, admin, {
			projectId: project,
			title: '满意度调查',
		});
		const prompts = (await loadSurvey(t.db, surveyId))!.questions.map((q) => q.prompt);
		expect(prompts.some((p) => p.includes(`“${dropped.name}`))).toBe(false);
		expect(prompts.some((p) => p.includes(`“${kept.name}`))).toBe(true);
	});
});

import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import * as s from '../schema/index.ts';
import { fillSatisfactionTemplate } from '../../src/lib/server/surveys/commands/build.ts';
import { snapshotDigest } from '../../src/lib/server/surveys/commands/publish.ts';
import { loadSurvey } from '../../src/lib/server/surveys/load.ts';
import { computeResults } from '../../src/lib/server/surveys/queries.ts';
import { recountTallies } from '../../src/lib/server/surveys/tallies.ts';
import { createRandom } from './random.ts';

/**
 * Demo satisfaction survey (改造后问效于民): 城关新苑 (project "chengguan", in evaluation) gets a
 * final plan, a closed post-completion survey built from the template, answers from about
 * three households in four, moderated comments, and published results (version 1), so the
 * results page and the district dashboard have something to show. Deterministic.
 */
const finalItems: [code: string, cost: number, description: string][] = [
	['B01', 540000, '全部楼栋屋面防水层翻新'],
	['B05', 320000, '楼道墙面粉刷、扶手更换'],
	['P05', 980000, '雨污分流管网改造'],
	['P08', 410000, '新增停车位 48 个'],
];

const comments = [
	'楼道亮堂多了，老人晚上出门放心。',
	'停车位还是有点紧张，希望再规划一些。',
	'施工期间噪音较大，但整体很满意。',
	'希望加装的扶手能定期检查。',
	'雨天再也不积水了，感谢社区。',
];

export async function seedDemoSurveys(
	tx: Tx,
	options: { now?: Date } = {},
): Promise<{ surveyId: number; responses: number }> {
	const now = options.now ?? new Date();
	const day = 86_400_000;
	const random = createRandom(20260707);
	const [project] = await tx
		.select({ id: s.projects.id })
		.from(s.projects)
		.where(eq(s.projects.slug, 'chengguan'));
	if (!project)
		throw new Error('seedDemoSurveys: run after the demo projects (no project "chengguan")');
	const [existing] = await tx
		.select({ id: s.planVersions.id })
		.from(s.planVersions)
		.where(and(eq(s.planVersions.projectId, project.id), eq(s.planVersions.status, 'final')));
	if (!existing) {
		const [version] = await tx
			.insert(s.planVersions)
			.values({
				projectId: project.id,
				number: 1,
				title: '城关新苑改造最终方案',
				titleEn: 'Chengguan Court final plan',
				body: '经三次入户征求意见后确定的最终方案。',
				bodyEn: 'The final plan, settled after three rounds of household consultation.',
				status: 'final',
				commentOpensAt: new Date(now.getTime() - 300 * day),
				commentClosesAt: new Date(now.getTime() - 280 * day),
				publishedAt: new Date(now.getTime() - 300 * day),
			})
			.returning({ id: s.planVersions.id });
		const menu = await tx
			.select({ id: s.renovationItems.id, code: s.renovationItems.code })
			.from(s.renovationItems);
		await tx.insert(s.planItems).values(
			finalItems.map(([code, cost, description], sort) => ({
				planVersionId: version!.id,
				itemId: menu.find((m) => m.code === code)!.id,
				description,
				costYuan: cost.toFixed(2),
				governmentYuan: cost.toFixed(2),
				residentYuan: '0.00',
				sort,
			})),
		);
	}
	const [survey] = await tx
		.insert(s.surveys)
		.values({
			projectId: project.id,
			title: '城关新苑改造后满意度调查',
			titleEn: 'Chengguan Court: satisfaction after the works',
			description: '改造已完工，请为各项改造和总体效果打分。',
			descriptionEn: 'The works are done: please rate each item and the result overall.',
			status: 'closed',
			publishedAt: new Date(now.getTime() - 30 * day),
			closesAt: new Date(now.getTime() - 10 * day),
			closedAt: new Date(now.getTime() - 10 * day),
		})
		.returning({ id: s.surveys.id });
	const surveyId = survey!.id;
	await fillSatisfactionTemplate(tx, surveyId, project.id);
	await tx.execute(sql`
		insert into survey_households (survey_id, household_id, compound_id, building_id)
		select ${surveyId}, h.id, h.compound_id, h.building_id
		from households h join project_compounds pc on pc.compound_id = h.compound_id
		where pc.project_id = ${project.id} and h.retired_at is null`);
	const scope = await tx
		.select({
			householdId: s.surveyHouseholds.householdId,
			buildingId: s.surveyHouseholds.buildingId,
		})
		.from(s.surveyHouseholds)
		.where(eq(s.surveyHouseholds.surveyId, surveyId))
		.orderBy(s.surveyHouseholds.householdId);
	await tx
		.update(s.surveys)
		.set({ scopeHouseholds: scope.length })
		.where(eq(s.surveys.id, surveyId));
	const info = (await loadSurvey(tx, surveyId))!;
	const rating = () => {
		const roll = random();
		return roll < 0.45 ? 5 : roll < 0.8 ? 4 : roll < 0.92 ? 3 : roll < 0.97 ? 2 : 1;
	};
	const answered = scope.filter(() => random() < 0.76);
	const responses = await tx
		.insert(s.surveyResponses)
		.values(
			answered.map((h) => ({
				surveyId,
				respondentKey: `h:${h.householdId}`,
				householdId: h.householdId,
				buildingId: h.buildingId,
				channel: 'online' as const,
			})),
		)
		.returning({ id: s.surveyResponses.id });
	const rows: (typeof s.surveyAnswers.$inferInsert)[] = [];
	responses.forEach((response, n) => {
		for (const q of info.questions) {
			const base = { responseId: response.id, surveyId, questionId: q.id };
			if (q.kind === 'rating') rows.push({ ...base, value: rating() });
			else if (q.kind === 'single')
				rows.push({ ...base, value: random() < 0.8 ? 0 : random() < 0.6 ? 1 : 2 });
			else if (q.kind === 'text' && n % 9 === 0) {
				const text = comments[(n / 9) % comments.length]!;
				rows.push({ ...base, value: 0, text, textState: n % 27 === 18 ? 'hidden' : 'published' });
			}
		}
	});
	for (let i = 0; i < rows.length; i += 1000)
		await tx.insert(s.surveyAnswers).values(rows.slice(i, i + 1000));
	// Answers written in bulk: the running totals are filled by one recount.
	await recountTallies(tx, surveyId);
	const view = await computeResults(tx, info);
	await tx.insert(s.surveyResults).values({
		surveyId,
		projectId: project.id,
		version: 1,
		note: '',
		snapshot: view,
		digest: snapshotDigest(view),
		responses: view.responses,
		households: view.households,
		respondedHouseholds: view.respondedHouseholds,
		satisfiedCount: view.overall?.satisfied.num ?? null,
		validCount: view.overall?.valid ?? null,
		publishedAt: new Date(now.getTime() - 8 * day),
	});
	return { surveyId, responses: responses.length };
}

import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import * as s from '../../../db/schema/index.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { toChinaLocalInput } from '../../../src/lib/china-time.ts';
import {
	addQuestion,
	addSection,
	moveQuestion,
	removeQuestion,
	updateSurvey,
} from '../../../src/lib/server/surveys/commands/build.ts';
import { openSurvey } from '../../../src/lib/server/surveys/commands/lifecycle.ts';
import {
	moveSection,
	removeSection,
	setQuestionSection,
	updateSection,
} from '../../../src/lib/server/surveys/commands/sections.ts';
import { loadSurvey } from '../../../src/lib/server/surveys/load.ts';
import { displayOrder } from '../../../src/lib/server/surveys/order.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import type { SurveyInfo } from '../../../src/lib/server/surveys/types.ts';
import { createMember, projectId } from '../../factories/ballots.ts';
import { createStaffUser } from '../../factories/people.ts';
import { createOutsider, createTemplateSurvey } from '../../factories/surveys.ts';
import { reject } from '../../helpers/errors.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

/**
 * The survey builder's sections and ordering (issue 7): rename, reorder and remove sections,
 * move questions within and between sections — only while a draft; every change refused once
 * the survey is published, and nothing changed by the refusal.
 */

/** The structure as residents see it: sections in order with their question prompts. */
const structure = (survey: SurveyInfo) => {
	const order = displayOrder(survey.sections, survey.questions);
	// `sort` is renumbered 1..n in that order after every change.
	expect(survey.questions.map((q) => q.id)).toEqual(order.map((q) => q.id));
	expect(survey.questions.map((q) => q.sort)).toEqual(order.map((_, i) => i + 1));
	return [
		...[...survey.sections]
			.sort((a, b) => a.sort - b.sort || a.id - b.id)
			.map((x) => [x.title, order.filter((q) => q.sectionId === x.id).map((q) => q.prompt)]),
		['—', order.filter((q) => q.sectionId === null).map((q) => q.prompt)],
	];
};

describe.each(drivers)('survey builder sections on %s', (driver) => {
	let t: TestDatabase;
	let admin: StaffActor;
	let outsider: StaffActor;
	let project: number;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		admin = await createStaffUser(t.db, { roles: ['admin'] });
		project = await projectId(t.db, 'chengguan');
		outsider = await createOutsider(t.db);
	});
	afterAll(async () => t?.close());

	/** A blank draft with sections A, B and questions a1, a2 (A), b1 (B), n1 (none). */
	async function draft() {
		const { surveyId } = await createTemplateSurvey(t.db, admin, {
			projectId: project,
			title: '分组编辑',
			template: false,
		});
		const a = await addSection(t.db, admin, { surveyId, title: 'A', titleEn: '' });
		const b = await addSection(t.db, admin, { surveyId, title: 'B', titleEn: '' });
		const question = (prompt: string, sectionId?: number) =>
			addQuestion(t.db, admin, {
				surveyId,
				sectionId,
				kind: 'rating',
				prompt,
				promptEn: '',
				required: false,
				options: '',
			});
		// Added out of order: the numbers still follow the sections.
		const n1 = await question('n1');
		const b1 = await question('b1', b);
		const a1 = await question('a1', a);
		const a2 = await question('a2', a);
		return { surveyId, a, b, a1, a2, b1, n1 };
	}
	const load = async (id: number) => (await loadSurvey(t.db, id))!;

	it('edits, moves and removes sections; moves questions within and between them', async () => {
		const d = await draft();
		expect(structure(await load(d.surveyId))).toEqual([
			['A', ['a1', 'a2']],
			['B', ['b1']],
			['—', ['n1']],
		]);
		await updateSection(t.db, admin, {
			surveyId: d.surveyId,
			sectionId: d.a,
			title: '楼道<script>',
			titleEn: 'Stairs',
		});
		let survey = await load(d.surveyId);
		expect(survey.sections.find((x) => x.id === d.a)).toMatchObject({
			title: '楼道<script>',
			titleEn: 'Stairs',
		});
		await moveQuestion(t.db, admin, { surveyId: d.surveyId, questionId: d.a2, direction: 'up' });
		// At the top of its section: no move into the previous group.
		await moveQuestion(t.db, admin, { surveyId: d.surveyId, questionId: d.b1, direction: 'up' });
		await moveSection(t.db, admin, { surveyId: d.surveyId, sectionId: d.b, direction: 'up' });
		await moveSection(t.db, admin, { surveyId: d.surveyId, sectionId: d.b, direction: 'up' });
		expect(structure(await load(d.surveyId))).toEqual([
			['B', ['b1']],
			['楼道<script>', ['a2', 'a1']],
			['—', ['n1']],
		]);
		await setQuestionSection(t.db, admin, {
			surveyId: d.surveyId,
			questionId: d.n1,
			sectionId: d.b,
		});
		await setQuestionSection(t.db, admin, { surveyId: d.surveyId, questionId: d.a1 });
		expect(structure(await load(d.surveyId))).toEqual([
			['B', ['b1', 'n1']],
			['楼道<script>', ['a2']],
			['—', ['a1']],
		]);
		await removeSection(t.db, admin, { surveyId: d.surveyId, sectionId: d.b });
		survey = await load(d.surveyId);
		expect(structure(survey)).toEqual([
			['楼道<script>', ['a2']],
			['—', ['b1', 'n1', 'a1']],
		]);
		expect(survey.questions).toHaveLength(4);
		const actions = await queryRows<{ action: string }>(
			t.db,
			sql`select action from audit_log where target_type = 'survey' and target_id = ${String(d.surveyId)} order by id`,
		);
		expect(actions.map((a) => a.action)).toEqual(
			expect.arrayContaining([
				'survey.section_updated',
				'survey.section_moved',
				'survey.question_section_changed',
				'survey.section_removed',
				'survey.question_moved',
			]),
		);
		expect((await verifyAuditChain(t.db)).ok).toBe(true);
	});

	it('refuses other communities, residents, and sections of another survey', async () => {
		const d = await draft();
		const other = await draft();
		await reject(
			updateSection(t.db, outsider, {
				surveyId: d.surveyId,
				sectionId: d.a,
				title: '越权',
				titleEn: '',
			}),
		).then((e) => expect(e.code).toBe('not_found'));
		const [pc] = await t.db
			.select()
			.from(s.projectCompounds)
			.where(eq(s.projectCompounds.projectId, project));
		const [household] = await t.db
			.select({ id: s.households.id })
			.from(s.households)
			.where(eq(s.households.compoundId, pc!.compoundId))
			.limit(1);
		const resident = await createMember(t.db, admin, household!.id);
		await reject(removeSection(t.db, resident, { surveyId: d.surveyId, sectionId: d.a })).then(
			(e) => expect(e.code).toBe('forbidden'),
		);
		await reject(removeSection(t.db, admin, { surveyId: d.surveyId, sectionId: other.a })).then(
			(e) => expect(e.code).toBe('not_found'),
		);
		await reject(
			setQuestionSection(t.db, admin, {
				surveyId: d.surveyId,
				questionId: d.a1,
				sectionId: other.b,
			}),
		).then((e) => expect(e.messageKey).toBe('surveys.sectionInvalid'));
		await reject(
			moveSection(t.db, admin, { surveyId: d.surveyId, sectionId: other.a, direction: 'down' }),
		).then((e) => expect(e.code).toBe('not_found'));
		expect(structure(await load(d.surveyId))).toEqual([
			['A', ['a1', 'a2']],
			['B', ['b1']],
			['—', ['n1']],
		]);
	});

	it('a published survey is immutable: every builder command is refused and nothing changes', async () => {
		const d = await draft();
		await openSurvey(t.db, admin, {
			surveyId: d.surveyId,
			closesAt: toChinaLocalInput(new Date(Date.now() + 86_400_000)),
		});
		const before = await load(d.surveyId);
		const id = d.surveyId;
		const attempts: [string, () => Promise<unknown>][] = [
			[
				'updateSurvey',
				() =>
					updateSurvey(t.db, admin, {
						surveyId: id,
						title: '改标题',
						titleEn: '',
						description: '',
						descriptionEn: '',
						mode: 'resident',
						anonymous: false,
					}),
			],
			['addSection', () => addSection(t.db, admin, { surveyId: id, title: 'C', titleEn: '' })],
			[
				'updateSection',
				() => updateSection(t.db, admin, { surveyId: id, sectionId: d.a, title: 'X', titleEn: '' }),
			],
			['removeSection', () => removeSection(t.db, admin, { surveyId: id, sectionId: d.a })],
			[
				'moveSection',
				() => moveSection(t.db, admin, { surveyId: id, sectionId: d.b, direction: 'up' }),
			],
			[
				'setQuestionSection',
				() => setQuestionSection(t.db, admin, { surveyId: id, questionId: d.n1, sectionId: d.a }),
			],
			[
				'moveQuestion',
				() => moveQuestion(t.db, admin, { surveyId: id, questionId: d.a2, direction: 'up' }),
			],
			['removeQuestion', () => removeQuestion(t.db, admin, { surveyId: id, questionId: d.a1 })],
			[
				'addQuestion',
				() =>
					addQuestion(t.db, admin, {
						surveyId: id,
						kind: 'text',
						prompt: '晚了',
						promptEn: '',
						required: false,
						options: '',
					}),
			],
		];
		for (const [name, attempt] of attempts) {
			const error = await reject(attempt());
			expect([name, error.code, error.messageKey]).toEqual([
				name,
				'conflict',
				'surveys.alreadyPublished',
			]);
		}
		const after = await load(id);
		expect(after).toEqual(before);
	});
});

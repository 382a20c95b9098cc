/**
 * Survey data for the survey bench, on the large data set (100,000 households in 200
 * compounds; `npm run db:seed:large`):
 * - one post-completion survey over every household (project `city-survey`), answered by all
 *   100,000 of them: 8 item ratings, overall, recommend, a multiple choice and free text for
 *   about one in ten (a few hundred published after moderation) — about 1.2 million answer
 *   rows, closed and published;
 * - a published survey for each of the large set's 100 projects (40–95 % participation,
 *   satisfaction varying by project), so the district dashboard compares 100 projects.
 * Surveys are built, opened, closed and published through the module's commands; responses
 * and answers are written set-based in SQL (generate_series, insert … select, hashes for
 * reproducible answers) and the running totals are then filled by one recount each — the
 * same rows the response transactions would have kept, which the bench verifies.
 * Idempotent: a second run finds the marker project and writes nothing.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { toChinaLocalInput } from '../../src/lib/china-time.ts';
import type { StaffActor } from '../../src/lib/server/policy/types.ts';
import { addQuestion, createSurvey } from '../../src/lib/server/surveys/commands/build.ts';
import { closeSurvey, openSurvey } from '../../src/lib/server/surveys/commands/lifecycle.ts';
import { publishSurveyResults } from '../../src/lib/server/surveys/commands/publish.ts';
import { loadSurvey } from '../../src/lib/server/surveys/load.ts';
import type { AddQuestionInput } from '../../src/lib/server/surveys/schemas.ts';
import { recountTallies } from '../../src/lib/server/surveys/tallies.ts';

const CONFIRMED = { confirm: true, reason: '基准测试：提前截止' };

export const LARGE_SURVEY_MARKER = 'city-survey';

export type BenchSurveys = {
	skipped: boolean;
	surveyId: number;
	responses: number;
	answers: number;
	dashboardSurveys: number;
};

/** A staff admin for the generator's own commands (audited like any other). */
async function benchAdmin(db: Db): Promise<StaffActor> {
	const id = randomUUID();
	await db.execute(sql`insert into users (id, kind, username, display_name)
		values (${id}, 'staff', ${`bench-surveys-${id.slice(0, 8)}`}, '压测管理员')`);
	await db.execute(sql`insert into staff_roles (user_id, role) values (${id}, 'admin')`);
	return {
		kind: 'staff',
		userId: id,
		roles: new Set(['admin']),
		communityIds: new Set(),
		projectIds: new Set(),
	};
}

async function counts(db: Db, surveyId: number) {
	const [row] = await queryRows<{ responses: number; answers: number; dashboard: number }>(
		db,
		sql`select (select count(*)::int from survey_responses where survey_id = ${surveyId}) as responses,
		           (select count(*)::int from survey_answers where survey_id = ${surveyId}) as answers,
		           (select count(distinct project_id)::int from survey_results) as dashboard`,
	);
	return row!;
}

/** The project over every compound of the large set (as the ballot bench's city round). */
async function createCityProject(db: Db): Promise<number> {
	const [project] = await queryRows<{ id: number }>(
		db,
		sql`insert into projects (slug, community_id, name, name_en, summary, summary_en, stage, year, investment_yuan)
		    select ${LARGE_SURVEY_MARKER}, min(p.community_id), '全市老旧小区改造满意度调查（压测）',
		           'City-wide satisfaction survey (benchmark)', '压测数据：全市所有大规模样例小区。',
		           'Benchmark data: every compound of the large set.', 'evaluation', 2026, sum(p.investment_yuan)
		    from projects p where p.slug like 'city-0%'
		    returning id`,
	);
	if (!project) throw new Error('bench: run the large seed first (npm run db:seed:large)');
	await db.execute(sql`insert into project_compounds (project_id, compound_id)
		select distinct ${project.id}::int, pc.compound_id from project_compounds pc
		join projects p on p.id = pc.project_id where p.slug like 'city-0%'`);
	return Number(project.id);
}

const items = [
	['屋面防水', 'Roof waterproofing'],
	['楼道粉刷与扶手', 'Stairwells and handrails'],
	['雨污分流管网', 'Separate storm and sewage pipes'],
	['停车位', 'Parking spaces'],
	['加装电梯', 'Lifts'],
	['外墙保温', 'Wall insulation'],
	['路灯与监控', 'Lighting and cameras'],
	['绿化与休闲设施', 'Greenery and seating'],
] as const;

async function createSurveyFor(
	db: Db,
	admin: StaffActor,
	projectId: number,
	title: string,
	extra: boolean,
) {
	const { surveyId } = await createSurvey(db, admin, {
		projectId,
		title,
		titleEn: 'Satisfaction after the works',
		description: '',
		descriptionEn: '',
		mode: 'household',
		anonymous: true,
		template: true,
	});
	if (extra) {
		const [itemSection, overallSection] = (await loadSurvey(db, surveyId))!.sections.map(
			(x) => x.id,
		);
		const base = { surveyId, required: false, options: '' } satisfies Partial<AddQuestionInput>;
		for (const [name, nameEn] of items) {
			await addQuestion(db, admin, {
				...base,
				sectionId: itemSection,
				kind: 'rating',
				prompt: `您对“${name}”的改造效果是否满意？`,
				promptEn: `How satisfied are you with “${nameEn}”?`,
			});
		}
		await addQuestion(db, admin, {
			...base,
			sectionId: overallSection,
			kind: 'multiple',
			prompt: '改造后您最满意哪些方面？（最多 3 项）',
			promptEn: 'What do you like best since the works? (up to 3)',
			options: '楼道 | Stairwells\n管网 | Pipes\n停车 | Parking\n绿化 | Greenery\n安全 | Safety',
			minChoices: 1,
			maxChoices: 3,
		});
	}
	await openSurvey(db, admin, {
		surveyId,
		closesAt: toChinaLocalInput(new Date(Date.now() + 30 * 86_400_000)),
	});
	return surveyId;
}

/** A reproducible number in [0, 1000) from a response id and a salt. */
const h = (salt: string) => sql.raw(`((hashint8(r.id * 7919 + ${salt}) & 2147483647) % 1000)`);

/**
 * Responses of the households `share` selects (per mille, an SQL expression over the
 * household id and the survey id), then their answers: ratings skewed to satisfied (shifted by
 * `tilt` per mille towards 1 star), the template's recommendation, the multiple choice (1–3
 * options), free text for one in ten (one in fifty of those published, one in fifty hidden).
 */
async function insertAnswers(db: Db, surveyIds: number[], share: string, tilt: string) {
	const ids = sql.raw(surveyIds.join(','));
	await db.execute(sql`
		insert into survey_responses (survey_id, respondent_key, household_id, building_id, channel, revision, created_at, updated_at)
		select sh.survey_id, 'h:' || sh.household_id, sh.household_id, sh.building_id, 'online',
		       1 + (hashint8(sh.household_id::bigint * 3) & 2147483647) % 3, now() - interval '3 days', now() - interval '2 days'
		from survey_households sh
		where sh.survey_id in (${ids})
		  and (hashint8(sh.household_id::bigint * 31 + sh.survey_id) & 2147483647) % 1000 < ${sql.raw(share)}`);
	await db.execute(sql`
		insert into survey_answers (response_id, survey_id, question_id, value)
		select r.id, r.survey_id, q.id,
		       case when ${h('q.id')} < 380 - ${sql.raw(tilt)} then 5 when ${h('q.id')} < 760 - ${sql.raw(tilt)} then 4
		            when ${h('q.id')} < 880 then 3 when ${h('q.id')} < 950 then 2 else 1 end
		from survey_responses r join survey_questions q on q.survey_id = r.survey_id
		where r.survey_id in (${ids}) and q.kind = 'rating'
		  and (q.required or ${h('q.id * 13 + 1')} >= 60)`);
	await db.execute(sql`
		insert into survey_answers (response_id, survey_id, question_id, value)
		select r.id, r.survey_id, q.id, case when ${h('q.id')} < 700 then 0 when ${h('q.id')} < 900 then 1 else 2 end
		from survey_responses r join survey_questions q on q.survey_id = r.survey_id
		where r.survey_id in (${ids}) and q.kind = 'single'`);
	await db.execute(sql`
		insert into survey_answers (response_id, survey_id, question_id, value)
		select distinct r.id, r.survey_id, q.id, o.value
		from survey_responses r join survey_questions q on q.survey_id = r.survey_id
		cross join lateral unnest((array[${h('q.id')} % 5, (${h('q.id')} / 5) % 5, (${h('q.id')} / 25) % 5])[1:1 + ${h('q.id + 7')} % 3]) as o(value)
		where r.survey_id in (${ids}) and q.kind = 'multiple' and ${h('q.id + 3')} < 800`);
	await db.execute(sql`
		insert into survey_answers (response_id, survey_id, question_id, value, text, text_state)
		select r.id, r.survey_id, q.id, 0,
		       (array['楼道亮堂多了，老人晚上出门放心。', '停车位还是有点紧张，希望再规划一些。', '施工期间噪音较大，但整体很满意。',
		              '希望加装的扶手能定期检查。', '雨天再也不积水了，感谢社区。', '绿化很好，希望有人长期养护。'])[1 + ${h('q.id + 5')} % 6]
		         || '（' || r.id || '）',
		       case when ${h('q.id + 9')} % 50 = 0 then 'published' when ${h('q.id + 9')} % 50 = 1 then 'hidden' else 'pending' end::survey_text_state
		from survey_responses r join survey_questions q on q.survey_id = r.survey_id
		where r.survey_id in (${ids}) and q.kind = 'text' and ${h('q.id + 11')} < 100`);
	for (const id of surveyIds) await recountTallies(db, id);
	await db.execute(
		sql`analyze survey_households, survey_responses, survey_answers, survey_tallies, survey_results`,
	);
}

async function closeAndPublish(db: Db, admin: StaffActor, surveyId: number) {
	await closeSurvey(db, admin, surveyId, CONFIRMED);
	await publishSurveyResults(db, admin, { surveyId, note: '', confirm: true });
}

/** Seeds the bench's surveys unless the marker project exists. */
export async function seedBenchSurveys(db: Db, log: (line: string) => void): Promise<BenchSurveys> {
	const [found] = await queryRows<{ id: number }>(
		db,
		sql`select s.id from surveys s join projects p on p.id = s.project_id
		    where p.slug = ${LARGE_SURVEY_MARKER} order by s.id limit 1`,
	);
	if (found) {
		const c = await counts(db, Number(found.id));
		return {
			skipped: true,
			surveyId: Number(found.id),
			responses: c.responses,
			answers: c.answers,
			dashboardSurveys: c.dashboard,
		};
	}
	const admin = await benchAdmin(db);
	const cityProject = await createCityProject(db);
	const surveyId = await createSurveyFor(
		db,
		admin,
		cityProject,
		'全市改造后满意度调查（压测）',
		true,
	);
	log(`survey ${surveyId} open over the large set; writing responses and answers`);
	await insertAnswers(db, [surveyId], '1000', '0');
	await closeAndPublish(db, admin, surveyId);
	const projects = await queryRows<{ id: number }>(
		db,
		sql`select id from projects where slug like 'city-0%' order by id`,
	);
	log(`one published survey for each of the ${projects.length} projects of the large set`);
	const perProject: number[] = [];
	for (const p of projects) {
		perProject.push(await createSurveyFor(db, admin, Number(p.id), '改造后满意度调查', false));
	}
	// Participation 40–95 % and satisfaction shifted per survey (by its id).
	await insertAnswers(
		db,
		perProject,
		'400 + (sh.survey_id * 37) % 550',
		'((r.survey_id * 53) % 300)',
	);
	for (const id of perProject) await closeAndPublish(db, admin, id);
	const c = await counts(db, surveyId);
	return {
		skipped: false,
		surveyId,
		responses: c.responses,
		answers: c.answers,
		dashboardSurveys: c.dashboard,
	};
}

import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { translate } from '../../../src/i18n/index.ts';
import {
	districtOfProject,
	listDistrictExplainers,
	listProjectExplainers,
	saveExplainer,
} from '../../../src/lib/server/explainers/index.ts';
import { recordAcceptance } from '../../../src/lib/server/progress/acceptance.ts';
import { chinaToday } from '../../../src/lib/server/progress/rules.ts';
import {
	confirmMember,
	drawByLot,
	drawMembers,
	getSupervision,
	postInspectionNote,
	signAcceptance,
	volunteer,
} from '../../../src/lib/server/supervision/index.ts';
import { createResident, createStaffUser } from '../../factories/people.ts';
import { demoProject, xssBait } from '../../factories/plans.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { reject, residentIn } from '../opinions/helpers.ts';

describe.each(drivers)('监督小组 and 政策解读 on %s', (driver) => {
	let t: TestDatabase;
	let project: Awaited<ReturnType<typeof demoProject>>;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		project = await demoProject(t.db, 'hongyan');
	}, 120_000);
	afterAll(async () => t?.close());

	it('volunteers, a public draw anyone can re-run, a confirmed member, notes and signatures', async () => {
		const committee = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [project.communityId],
		});
		const people = [];
		for (let n = 0; n < 4; n += 1) {
			const person = await residentIn(t.db, project.compoundIds[0]!, n);
			await volunteer(t.db, person, {
				projectId: project.id,
				publicName: `${n}号 ${xssBait}`.slice(0, 40),
			});
			people.push(person);
		}
		const twice = await reject(
			volunteer(t.db, people[0]!, { projectId: project.id, publicName: 'x' }),
		);
		expect(translate('zh-CN', twice.messageKey)).toBe('您已经报过名了。');
		const outsider = await reject(
			volunteer(t.db, await createResident(t.db), { projectId: project.id, publicName: 'x' }),
		);
		expect(translate('zh-CN', outsider.messageKey)).toBe('绑定本项目范围内的房屋后才能报名。');

		const stranger = await createStaffUser(t.db, { roles: ['moderator'], communityIds: [] });
		const draw = { projectId: project.id, seats: 2, seed: 'public-seed-42' };
		expect((await reject(drawMembers(t.db, stranger, draw))).code).toBe('not_found');
		const tooMany = await reject(drawMembers(t.db, committee, { ...draw, seats: 5 }));
		expect(translate('zh-CN', tooMany.messageKey, tooMany.params)).toBe(
			'报名者只有 4 人，抽取人数不能更多。',
		);
		const { drawn } = await drawMembers(t.db, committee, draw);
		const view = await getSupervision(t.db, project.id, null);
		// Anyone re-runs the draw from what the page publishes: the seed and the candidates.
		const published = view.draws[0]!;
		expect(published.seed).toBe('public-seed-42');
		const rerun = drawByLot(
			published.seed,
			published.entries.map((e) => e.id),
			published.seats,
		);
		expect(
			rerun
				.filter((e) => e.drawn)
				.map((e) => e.id)
				.sort(),
		).toEqual([...drawn].sort());
		expect(view.members).toHaveLength(2);
		expect(view.volunteers).toHaveLength(2);

		const waiting = view.volunteers[0]!.id;
		await confirmMember(t.db, committee, { projectId: project.id, supervisorId: waiting });
		const again = await reject(
			confirmMember(t.db, committee, { projectId: project.id, supervisorId: waiting }),
		);
		expect(again.code).toBe('conflict');
		expect((await getSupervision(t.db, project.id, null)).members).toHaveLength(3);

		const [memberRow] = await t.db
			.select()
			.from(s.supervisors)
			.where(eq(s.supervisors.id, drawn[0]!));
		const member = people.find((p) => p.userId === memberRow!.userId)!;
		await postInspectionNote(t.db, member, {
			projectId: project.id,
			body: `屋面防水检查 ${xssBait}`,
		});
		expect((await getSupervision(t.db, project.id, null)).notes[0]!.body).toContain('屋面防水检查');
		// The one volunteer neither drawn nor confirmed may not post.
		const [left] = (await getSupervision(t.db, project.id, null)).volunteers;
		const [leftRow] = await t.db.select().from(s.supervisors).where(eq(s.supervisors.id, left!.id));
		const refusal = await reject(
			postInspectionNote(
				t.db,
				people.find((p) => p.userId === leftRow!.userId)!,
				{
					projectId: project.id,
					body: 'x',
				},
			),
		);
		expect(translate('en', refusal.messageKey)).toBe(
			'Only members of the supervision group can do this.',
		);

		const early = await reject(signAcceptance(t.db, member, { projectId: project.id }));
		expect(translate('zh-CN', early.messageKey)).toBe('还没有联合竣工验收记录。');
		const officer = await createStaffUser(t.db, { roles: ['officer'], projectIds: [project.id] });
		await recordAcceptance(t.db, officer, {
			projectId: project.id,
			heldOn: chinaToday(new Date(Date.now() - 86_400_000)),
			units: '区住建局',
			representatives: '监督小组',
			outcome: 'passed',
			notes: '',
			defects: '',
			scans: [],
		});
		await signAcceptance(t.db, member, { projectId: project.id });
		const twiceSigned = await reject(signAcceptance(t.db, member, { projectId: project.id }));
		expect(twiceSigned.code).toBe('conflict');
		const after = await getSupervision(t.db, project.id, member);
		expect(after.signatures).toHaveLength(1);
		expect(after.me).toEqual({ status: 'member', signed: true });
		const [audit] = await t.db
			.select({ n: sql<number>`count(*)::int` })
			.from(s.auditLog)
			.where(sql`${s.auditLog.action} like 'supervision.%'`);
		expect(audit!.n).toBe(4 + 1 + 1 + 1 + 1);
	});

	it('explainers: committee edits its project, admins the district; Markdown is rendered without raw HTML', async () => {
		const committee = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [project.communityId],
		});
		const entry = {
			kind: 'faq' as const,
			title: '要出钱吗？',
			titleEn: '',
			body: `**谁受益、谁出资** ${xssBait}`,
			bodyEn: '',
			sort: 0,
		};
		const { id } = await saveExplainer(t.db, committee, { ...entry, projectId: project.id });
		const [shown] = await listProjectExplainers(t.db, project.id);
		expect(shown!.bodyHtml).toContain('<strong>谁受益、谁出资</strong>');
		expect(shown!.bodyHtml).not.toContain('<script>');
		expect(shown!.bodyHtml).toContain('&lt;script&gt;');
		await saveExplainer(t.db, committee, { ...entry, id, projectId: project.id, title: '改了' });
		expect((await listProjectExplainers(t.db, project.id)).map((e) => e.title)).toEqual(['改了']);

		const other = await demoProject(t.db, 'jiangbin');
		expect(
			(await reject(saveExplainer(t.db, committee, { ...entry, projectId: other.id }))).code,
		).toBe('not_found');
		// Editing another project's entry through this project's scope finds nothing.
		const admin = await createStaffUser(t.db, { roles: ['admin'] });
		const { id: foreign } = await saveExplainer(t.db, admin, { ...entry, projectId: other.id });
		expect(
			(
				await reject(
					saveExplainer(t.db, committee, { ...entry, id: foreign, projectId: project.id }),
				)
			).code,
		).toBe('not_found');

		const district = (await districtOfProject(t.db, project.id))!;
		expect(
			(await reject(saveExplainer(t.db, committee, { ...entry, districtCode: district.code })))
				.code,
		).toBe('not_found');
		await saveExplainer(t.db, admin, { ...entry, districtCode: district.code, kind: 'explainer' });
		expect((await listDistrictExplainers(t.db, district.id)).map((e) => e.kind)).toEqual([
			'explainer',
		]);
	});
});

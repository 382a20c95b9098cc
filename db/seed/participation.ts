import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import * as s from '../schema/index.ts';
import { confirmAgreement } from '../../src/lib/server/agreements/index.ts';
import { saveExplainer } from '../../src/lib/server/explainers/index.ts';
import { loadActor } from '../../src/lib/server/policy/actor.ts';
import type { ResidentActor, StaffActor } from '../../src/lib/server/policy/types.ts';
import {
	confirmMember,
	drawMembers,
	postInspectionNote,
	volunteer,
} from '../../src/lib/server/supervision/index.ts';

/**
 * Issue 22 in the demo, through the commands: 江滨花园's final plan gets an elevator for its
 * building 1 that the building's households pay for in part, and two of them confirm the
 * 改造协议 online (the works-start gate waits for the rest); 红岩新村's residents volunteer for
 * the 监督小组, the 梅岭 committee draws two by lot (seed published) and confirms a third, and a
 * member posts an inspection note; 政策解读 and FAQ for 红岩新村 (by the committee) and, when
 * the demo has an admin, for the district.
 */
export async function seedDemoParticipation(tx: Tx, options: { committee: StaffActor }) {
	await seedAgreements(tx);
	await seedSupervision(tx, options.committee);
	await seedExplainers(tx, options.committee);
}

const projectId = async (tx: Tx, slug: string) =>
	(await tx.select({ id: s.projects.id }).from(s.projects).where(eq(s.projects.slug, slug)))[0]!.id;

/** Owners of the first households of a building (phones +86 158 0598 00nn from `first`). */
async function owners(tx: Tx, buildingId: number, count: number, first: number) {
	const homes = await tx
		.select({ id: s.households.id })
		.from(s.households)
		.where(eq(s.households.buildingId, buildingId))
		.orderBy(asc(s.households.id))
		.limit(count);
	const actors: ResidentActor[] = [];
	for (const [n, home] of homes.entries()) {
		const userId = randomUUID();
		await tx
			.insert(s.users)
			.values({ id: userId, kind: 'resident', phone: `+86158059800${first + n}` });
		await tx.insert(s.memberships).values({ userId, householdId: home.id, relation: 'owner' });
		actors.push((await loadActor(tx, userId, 'resident')) as ResidentActor);
	}
	return actors;
}

async function firstBuilding(tx: Tx, project: number) {
	const [building] = await tx
		.select({ id: s.buildings.id })
		.from(s.buildings)
		.innerJoin(s.projectCompounds, eq(s.projectCompounds.compoundId, s.buildings.compoundId))
		.where(eq(s.projectCompounds.projectId, project))
		.orderBy(asc(s.buildings.id))
		.limit(1);
	return building!.id;
}

async function seedAgreements(tx: Tx) {
	const project = await projectId(tx, 'jiangbin');
	const [final] = await tx
		.select({ id: s.planVersions.id })
		.from(s.planVersions)
		.where(and(eq(s.planVersions.projectId, project), eq(s.planVersions.status, 'final')));
	const [elevator] = await tx
		.select({ id: s.renovationItems.id })
		.from(s.renovationItems)
		.where(eq(s.renovationItems.name, '多层住宅楼房增设电梯'));
	const buildingId = await firstBuilding(tx, project);
	// Part of the final plan as published (the plan seed writes the other items the same way).
	await tx.insert(s.planItems).values({
		planVersionId: final!.id,
		itemId: elevator!.id,
		buildingId,
		description: '1号楼加装电梯 1 部，政府补助三分之一，其余由本楼住户按面积分摊',
		descriptionEn: 'One elevator for building 1; a third subsidised, the rest shared by area',
		costYuan: '600000.00',
		governmentYuan: '200000.00',
		residentYuan: '400000.00',
		split: 'area',
		sort: 20,
	});
	for (const owner of (await owners(tx, buildingId, 3, 81)).slice(0, 2)) {
		await confirmAgreement(tx, owner, {
			projectId: project,
			householdId: owner.memberships[0]!.householdId,
		});
	}
}

async function seedSupervision(tx: Tx, committee: StaffActor) {
	const project = await projectId(tx, 'hongyan');
	const names = ['1号楼 王阿姨', '1号楼 李师傅', '1号楼 陈老师', '1号楼 林大哥', '1号楼 黄阿姨'];
	const people = await owners(tx, await firstBuilding(tx, project), names.length, 84);
	for (const [n, person] of people.entries()) {
		await volunteer(tx, person, { projectId: project, publicName: names[n]! });
	}
	const { drawn } = await drawMembers(tx, committee, {
		projectId: project,
		seats: 2,
		seed: '2026-hongyan-supervision',
	});
	const [left] = await tx
		.select({ id: s.supervisors.id })
		.from(s.supervisors)
		.where(and(eq(s.supervisors.projectId, project), eq(s.supervisors.status, 'volunteer')))
		.orderBy(asc(s.supervisors.id))
		.limit(1);
	await confirmMember(tx, committee, { projectId: project, supervisorId: left!.id });
	const [author] = await tx
		.select({ userId: s.supervisors.userId })
		.from(s.supervisors)
		.where(eq(s.supervisors.id, drawn[0]!));
	const member = people.find((p) => p.userId === author!.userId)!;
	await postInspectionNote(tx, member, {
		projectId: project,
		body: '今天查看了2号楼屋面防水施工：卷材搭接宽度符合要求，但楼道口堆放材料影响老人通行，已请施工方当天清理。',
	});
}

async function seedExplainers(tx: Tx, committee: StaffActor) {
	const project = await projectId(tx, 'hongyan');
	const entries = [
		{
			kind: 'explainer' as const,
			title: '改造内容怎么定？',
			titleEn: 'How are the works decided?',
			body: '按照“**三入户、三公示**”：\n\n1. 入户问需：征集每户的改造需求；\n2. 入户问计：方案初稿征求意见；\n3. 入户问效：终版方案公示后签订改造协议。\n\n基础类项目应改尽改，完善类、提升类项目由居民议定。',
			bodyEn:
				'Through "three visits, three notices":\n\n1. needs are collected from every household;\n2. the draft plan is put to residents;\n3. the final plan is published and each household signs the agreement.\n\nBasic items are done wherever needed; improvement and upgrade items are decided by residents.',
		},
		{
			kind: 'faq' as const,
			title: '加装电梯要我出钱吗？',
			titleEn: 'Do I pay for a new elevator?',
			body: '谁受益、谁出资。政府补助以外的部分，由本楼住户按方案约定的方式（按面积或平均）分摊。本户金额写在改造协议里，确认前可以在项目页查看。',
			bodyEn:
				'Those who benefit pay. The part not covered by the subsidy is shared by the households of the building, by area or equally as the plan says. Your amount is in the agreement, which you can read on the project page before confirming.',
		},
		{
			kind: 'faq' as const,
			title: '不同意改造方案怎么办？',
			titleEn: 'What if I disagree with the plan?',
			body: '方案公示期间可以在方案页发表意见，也可以联系社区或居民监督小组。终版方案公示后，是否签订改造协议由每户自愿决定。',
			bodyEn:
				'During the notice period, comment on the plan page or contact the community or the supervision group. After the final plan, each household decides freely whether to sign the agreement.',
		},
	];
	for (const [sort, entry] of entries.entries()) {
		await saveExplainer(tx, committee, { ...entry, projectId: project, sort });
	}
	const [admin] = await tx
		.select({ id: s.users.id })
		.from(s.users)
		.where(and(eq(s.users.username, 'admin'), eq(s.users.kind, 'staff')));
	if (!admin) return;
	const actor = (await loadActor(tx, admin.id, 'staff')) as StaffActor;
	const [district] = await tx.select({ code: s.districts.code }).from(s.districts).limit(1);
	await saveExplainer(tx, actor, {
		districtCode: district!.code,
		kind: 'explainer',
		title: '老旧小区改造的资金从哪里来？',
		titleEn: 'Where does the money come from?',
		body: '按照“谁受益、谁出资”的原则，由**政府补助**、**专项维修资金**、**管线单位**、**原产权单位**和**居民出资**等共同承担。居民出资部分按方案约定分摊，写进每户的改造协议。',
		bodyEn:
			'Those who benefit pay: **government subsidies**, the **special maintenance fund**, **utilities**, **former owner units** and **residents** share the cost. The residents’ part is split as the plan says and written into each household’s agreement.',
		sort: 0,
	});
	await saveExplainer(tx, actor, {
		districtCode: district!.code,
		kind: 'faq',
		title: '居民监督小组是做什么的？',
		titleEn: 'What does the supervision group do?',
		body: '监督小组由居民自愿报名、社区确认或公开抽签产生，负责巡查施工质量和进度，参加联合竣工验收并签字。',
		bodyEn:
			'Residents volunteer; the committee confirms members or draws them by lot in public. They inspect the works and sign the joint acceptance record.',
		sort: 1,
	});
}

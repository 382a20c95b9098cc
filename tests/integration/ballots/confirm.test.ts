import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { translate } from '../../../src/i18n/index.ts';
import { castBallot } from '../../../src/lib/server/ballots/commands/cast.ts';
import { publishResults } from '../../../src/lib/server/ballots/commands/publish.ts';
import { closeRound } from '../../../src/lib/server/ballots/commands/rounds.ts';
import { loadRound } from '../../../src/lib/server/ballots/load.ts';
import { roundPhase } from '../../../src/lib/server/ballots/phase.ts';
import { getRoundStepView } from '../../../src/lib/server/ballots/steps.ts';
import type { StaffActor } from '../../../src/lib/server/policy/types.ts';
import { closeSurvey } from '../../../src/lib/server/surveys/commands/lifecycle.ts';
import { publishSurveyResults } from '../../../src/lib/server/surveys/commands/publish.ts';
import { loadSurvey } from '../../../src/lib/server/surveys/load.ts';
import { getSurveyStepView } from '../../../src/lib/server/surveys/steps.ts';
import {
	allChoices,
	createMember,
	createModerator,
	createOpenRound,
	menuItemIds,
	setUpDujuan,
	type Households,
} from '../../factories/ballots.ts';
import { createOpenSurvey, setUpChengguan } from '../../factories/surveys.ts';
import { reject } from '../../helpers/errors.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

/**
 * Closing and publishing cannot be undone: the commands refuse a request that did not come
 * through the confirmation page, and closing early below target needs a written reason that
 * is kept with the round or survey and in the audit log.
 */
describe.each(drivers)('confirming what cannot be undone on %s', (driver) => {
	let t: TestDatabase;
	let moderator: StaffActor;
	let dujuan: number;
	let households: Households;
	let items: number[];

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		({ moderator, dujuan, households } = await setUpDujuan(t.db));
		items = await menuItemIds(t.db, 2);
	});
	afterAll(async () => t?.close());

	const auditOf = (action: string, targetId: number) =>
		t.db
			.select({ details: s.auditLog.details })
			.from(s.auditLog)
			.where(and(eq(s.auditLog.action, action), eq(s.auditLog.targetId, String(targetId))));

	it('a round closes early only when confirmed, below target only with a reason', async () => {
		const roundId = await createOpenRound(t.db, moderator, { projectId: dujuan, itemIds: items });
		const round = (await loadRound(t.db, roundId))!;
		const member = await createMember(t.db, moderator, households[0]!.id, 'owner');
		await castBallot(t.db, member, {
			roundId,
			householdId: households[0]!.id,
			choices: allChoices(round.items.map((i) => i.id)),
			comment: '',
		});
		const view = (await getRoundStepView(t.db, moderator, roundId))!;
		expect(view.coverage).toMatchObject({ responded: 1, households: households.length });
		expect(view.coverage.met).toBe(false);
		expect(view.coverage.buildings.length).toBeGreaterThan(0);
		expect(await getRoundStepView(t.db, await createModerator(t.db, '江滨社区'), roundId)).toBe(
			null,
		);

		const unconfirmed = await reject(closeRound(t.db, moderator, roundId, { confirm: false }));
		expect(unconfirmed.code).toBe('invalid');
		expect(translate('zh-CN', unconfirmed.messageKey)).toContain('请在确认页面勾选确认');
		expect(translate('en', unconfirmed.messageKey)).toContain('tick the box');
		const noReason = await reject(
			closeRound(t.db, moderator, roundId, { confirm: true, reason: '  ' }),
		);
		expect(translate('zh-CN', noReason.messageKey)).toContain('提前截止须写明原因');
		expect(translate('en', noReason.messageKey)).toContain('needs a written reason');
		// Refused: still open, nothing audited.
		const still = (await loadRound(t.db, roundId))!;
		expect(roundPhase(still, new Date())).toBe('open');
		expect(await auditOf('round.closed', roundId)).toEqual([]);

		const reason = '施工队提前进场，居民议事会同意提前截止';
		const closed = await closeRound(t.db, moderator, roundId, { confirm: true, reason });
		expect(closed).toEqual({ responded: 1, households: households.length, belowTarget: true });
		expect((await loadRound(t.db, roundId))!.earlyCloseReason).toBe(reason);
		const [audit] = await auditOf('round.closed', roundId);
		expect(audit!.details).toMatchObject({ reason, belowTarget: true, responded: 1 });

		const notConfirmed = await reject(
			publishResults(t.db, moderator, { roundId, note: '', confirm: false }),
		);
		expect(translate('zh-CN', notConfirmed.messageKey)).toContain('这一步不能撤销');
		expect(await auditOf('round.results_published', roundId)).toEqual([]);
		const published = await publishResults(t.db, moderator, { roundId, note: '', confirm: true });
		expect(published).toMatchObject({ version: 1, notified: 1 });
	});

	it('a survey closes early only when confirmed, below target only with a reason', async () => {
		const { admin, project } = await setUpChengguan(t.db);
		const survey = await createOpenSurvey(t.db, admin, { projectId: project, title: '满意度调查' });
		const view = (await getSurveyStepView(t.db, admin, survey.id))!;
		expect(view.participation).toMatchObject({ responded: 0, met: false });
		expect(view.participation.households).toBeGreaterThan(0);
		expect(view.participation.compounds.length).toBeGreaterThan(0);
		expect(view.participation.buildings[0]!.name).toMatch(/号楼$/);
		expect(view.participation.buildings[0]!.nameEn).toMatch(/Bldg/);

		const unconfirmed = await reject(closeSurvey(t.db, admin, survey.id, { confirm: false }));
		expect(unconfirmed.messageKey).toBe('committee.confirmRequired');
		const noReason = await reject(closeSurvey(t.db, admin, survey.id, { confirm: true }));
		expect(translate('zh-CN', noReason.messageKey)).toContain('至少 4 个字');
		expect((await loadSurvey(t.db, survey.id))!.status).toBe('open');

		const reason = '问卷时间与社区活动冲突，议事会同意提前截止';
		await closeSurvey(t.db, admin, survey.id, { confirm: true, reason });
		const closed = (await loadSurvey(t.db, survey.id))!;
		expect(closed.status).toBe('closed');
		expect(closed.earlyCloseReason).toBe(reason);
		const [audit] = await auditOf('survey.closed', survey.id);
		expect(audit!.details).toMatchObject({ reason, belowTarget: true, responded: 0 });

		const refused = await reject(
			publishSurveyResults(t.db, admin, { surveyId: survey.id, note: '', confirm: false }),
		);
		expect(refused.messageKey).toBe('committee.confirmRequired');
		const published = await publishSurveyResults(t.db, admin, {
			surveyId: survey.id,
			note: '',
			confirm: true,
		});
		expect(published.version).toBe(1);
	});
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { toChinaLocalInput } from '../../../src/lib/china-time.ts';
import { listCompoundsForStaff } from '../../../src/lib/server/households/queries.ts';
import { dispatchProblem, reportProblem } from '../../../src/lib/server/problems/commands.ts';
import {
	getProblemForViewer,
	listProblemsForStaff,
} from '../../../src/lib/server/problems/queries.ts';
import { getStaffAlerts } from '../../../src/lib/server/staff/alerts.ts';
import { createOpenRound, setUpDujuan } from '../../factories/ballots.ts';
import { createResident, createStaffUser } from '../../factories/people.ts';
import { demoProject } from '../../factories/plans.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';

/**
 * Staff see what is theirs: an officer reads the problem reports of their projects (and no
 * other); overdue problems and rounds closing soon below target are flagged for the staff
 * member in scope; the households page counts each building's households.
 */
describe.each(drivers)('what is theirs on %s', (driver) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
	});
	afterAll(async () => t?.close());

	it("an officer sees their project's problems, flagged when overdue; others do not", async () => {
		const hongyan = await demoProject(t.db, 'hongyan');
		const officer = await createStaffUser(t.db, { roles: ['officer'], projectIds: [hongyan.id] });
		const otherOfficer = await createStaffUser(t.db, { roles: ['officer'], projectIds: [] });
		const resident = await createResident(t.db);
		const { id } = await reportProblem(t.db, resident, {
			projectId: hongyan.id,
			body: '楼道管线破损，雨天漏水',
			place: '2单元楼道',
			photos: [],
		});
		expect((await listProblemsForStaff(t.db, officer)).map((p) => p.id)).toContain(id);
		expect(await getProblemForViewer(t.db, officer, id)).toMatchObject({ id });
		expect(await listProblemsForStaff(t.db, otherOfficer)).toEqual([]);
		expect(await getProblemForViewer(t.db, otherOfficer, id)).toBe(null);

		expect((await getStaffAlerts(t.db, officer)).overdueProblems).toBe(0);
		const committee = await createStaffUser(t.db, {
			roles: ['moderator'],
			communityIds: [hongyan.communityId],
		});
		const dueOn = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
		await dispatchProblem(
			t.db,
			committee,
			{ reportId: id, unit: 'construction', dueOn },
			{ units: ['construction'] },
		);
		const alerts = await getStaffAlerts(t.db, officer, new Date(Date.now() + 5 * 86_400_000));
		expect(alerts.overdueProblems).toBeGreaterThanOrEqual(1);
		expect((await getStaffAlerts(t.db, otherOfficer)).overdueProblems).toBe(0);
	});

	it('flags a round of the committee closing within three days below target', async () => {
		const { moderator, dujuan } = await setUpDujuan(t.db);
		const soon = await createOpenRound(t.db, moderator, {
			projectId: dujuan,
			title: '即将截止的需求调查',
			closesAt: toChinaLocalInput(new Date(Date.now() + 36 * 3_600_000)),
		});
		const later = await createOpenRound(t.db, moderator, {
			projectId: dujuan,
			title: '下月截止的需求调查',
			closesAt: toChinaLocalInput(new Date(Date.now() + 20 * 86_400_000)),
		});
		const flagged = (await getStaffAlerts(t.db, moderator)).closingRounds.map((r) => r.id);
		expect(flagged).toContain(soon);
		expect(flagged).not.toContain(later);
		const outsider = await createStaffUser(t.db, { roles: ['moderator'], communityIds: [] });
		expect((await getStaffAlerts(t.db, outsider)).closingRounds).toEqual([]);
	});

	it("counts each building's households on the households page", async () => {
		const admin = await createStaffUser(t.db, { roles: ['admin'] });
		const compounds = await listCompoundsForStaff(t.db, admin);
		for (const c of compounds.slice(0, 3)) {
			for (const b of c.buildings) {
				const [row] = await t.db
					.select({ n: sql<number>`count(*)::int` })
					.from(s.households)
					.where(sql`${s.households.buildingId} = ${b.id} and ${s.households.retiredAt} is null`);
				expect(b.households).toBe(row!.n);
			}
			expect(c.buildings.reduce((n, b) => n + b.households, 0)).toBe(c.households);
			expect(c.buildings.every((b) => b.households > 1)).toBe(true);
		}
	});
});

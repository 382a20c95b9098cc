import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { reportOpinion, toggleMeToo } from '../../../src/lib/server/opinions/commands.ts';
import { exportMyOpinions } from '../../../src/lib/server/opinions/export.ts';
import { createResident } from '../../factories/people.ts';
import { createPlanVersion, demoProject, setCommentWindow } from '../../factories/plans.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { createOpinionRow, reject } from './helpers.ts';

const HOUR = 3_600_000;

describe.each(drivers)('"me too" and reports on %s', (driver) => {
	let t: TestDatabase;
	let projectId: number;
	let versionId: number;

	const stored = async (opinionId: number) => {
		const [opinion] = await t.db
			.select({ meToo: s.opinions.meTooCount })
			.from(s.opinions)
			.where(eq(s.opinions.id, opinionId));
		const [reactions] = await t.db
			.select({ n: count() })
			.from(s.opinionReactions)
			.where(eq(s.opinionReactions.opinionId, opinionId));
		return { meToo: opinion!.meToo, reactions: reactions!.n };
	};

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		projectId = (await demoProject(t.db, 'hongyan')).id;
		versionId = (await createPlanVersion(t.db, { projectId })).id;
	});
	afterAll(async () => t?.close());

	it('toggles one "me too" per resident, never on one\'s own opinion', async () => {
		const author = await createResident(t.db);
		const fan = await createResident(t.db);
		const opinion = await createOpinionRow(t.db, {
			planVersionId: versionId,
			authorId: author.userId,
		});
		expect(await toggleMeToo(t.db, fan, opinion.id)).toEqual({ active: true, count: 1 });
		expect(await toggleMeToo(t.db, fan, opinion.id)).toEqual({ active: false, count: 0 });
		expect(await toggleMeToo(t.db, fan, opinion.id)).toEqual({ active: true, count: 1 });
		const own = await reject(toggleMeToo(t.db, author, opinion.id));
		expect([own.code, own.messageKey]).toEqual(['invalid', 'opinions.meTooOwn']);
		expect((await reject(toggleMeToo(t.db, null, opinion.id))).code).toBe('unauthenticated');
		expect((await reject(toggleMeToo(t.db, fan, 987_654))).code).toBe('not_found');
		expect(await stored(opinion.id)).toEqual({ meToo: 1, reactions: 1 });
	});

	it('keeps the count exact under 50 concurrent toggles by different residents', async () => {
		const opinion = await createOpinionRow(t.db, { planVersionId: versionId });
		const residents = await Promise.all(Array.from({ length: 50 }, () => createResident(t.db)));
		const on = await Promise.all(residents.map((r) => toggleMeToo(t.db, r, opinion.id)));
		expect(on.every((r) => r.active)).toBe(true);
		// Every transaction saw a distinct count: each increment landed on the one before.
		expect(new Set(on.map((r) => r.count)).size).toBe(50);
		expect(await stored(opinion.id)).toEqual({ meToo: 50, reactions: 50 });
		// And all take it back at once.
		const off = await Promise.all(residents.map((r) => toggleMeToo(t.db, r, opinion.id)));
		expect(off.every((r) => !r.active)).toBe(true);
		expect(await stored(opinion.id)).toEqual({ meToo: 0, reactions: 0 });
	});

	it('stays consistent when one resident presses many times at once', async () => {
		const opinion = await createOpinionRow(t.db, { planVersionId: versionId });
		const fan = await createResident(t.db);
		const results = await Promise.allSettled(
			Array.from({ length: 9 }, () => toggleMeToo(t.db, fan, opinion.id)),
		);
		expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
		const { meToo, reactions } = await stored(opinion.id);
		expect(meToo).toBe(reactions);
		expect([0, 1]).toContain(reactions);
	});

	it('closes "me too" with the comment window', async () => {
		const version = await createPlanVersion(t.db, { projectId });
		const opinion = await createOpinionRow(t.db, { planVersionId: version.id });
		await setCommentWindow(t.db, version.id, {
			opensAt: new Date(Date.now() - 3 * HOUR),
			closesAt: new Date(Date.now() - HOUR),
		});
		const error = await reject(toggleMeToo(t.db, await createResident(t.db), opinion.id));
		expect([error.code, error.messageKey]).toEqual(['closed', 'opinions.closed']);
		expect(await stored(opinion.id)).toEqual({ meToo: 0, reactions: 0 });
	});

	it('records one report per resident per opinion, also after the window closed', async () => {
		const version = await createPlanVersion(t.db, { projectId });
		const author = await createResident(t.db);
		const opinion = await createOpinionRow(t.db, {
			planVersionId: version.id,
			authorId: author.userId,
		});
		await setCommentWindow(t.db, version.id, {
			opensAt: new Date(Date.now() - 3 * HOUR),
			closesAt: new Date(Date.now() - HOUR),
			status: 'closed',
		});
		const reporter = await createResident(t.db);
		const first = await reportOpinion(t.db, reporter, {
			opinionId: opinion.id,
			reason: 'personal_info',
			text: '  写了别人的\u200b门牌号 ',
		});
		const again = await reject(
			reportOpinion(t.db, reporter, { opinionId: opinion.id, reason: 'spam' }),
		);
		expect([again.code, again.messageKey]).toEqual(['conflict', 'opinions.alreadyReported']);
		const own = await reject(
			reportOpinion(t.db, author, { opinionId: opinion.id, reason: 'spam' }),
		);
		expect(own.messageKey).toBe('opinions.reportOwn');
		const bad = await reject(
			reportOpinion(t.db, reporter, { opinionId: opinion.id, reason: 'nonsense' as 'spam' }),
		);
		expect([bad.code, bad.messageKey]).toEqual(['invalid', 'opinions.reasonRequired']);
		await reportOpinion(t.db, await createResident(t.db), {
			opinionId: opinion.id,
			reason: 'other',
		});
		const rows = await t.db
			.select()
			.from(s.opinionReports)
			.where(eq(s.opinionReports.opinionId, opinion.id))
			.orderBy(s.opinionReports.id);
		expect(rows.map((r) => [r.reason, r.text])).toEqual([
			['personal_info', '写了别人的门牌号'],
			['other', ''],
		]);
		expect(rows[0]!.id).toBe(first.id);
	});

	it('exports what a resident wrote, backed and reported (PIPL)', async () => {
		const me = await createResident(t.db);
		const other = await createResident(t.db);
		const mine = await createOpinionRow(t.db, { planVersionId: versionId, authorId: me.userId });
		const theirs = await createOpinionRow(t.db, {
			planVersionId: versionId,
			authorId: other.userId,
		});
		await toggleMeToo(t.db, me, theirs.id);
		await reportOpinion(t.db, me, { opinionId: theirs.id, reason: 'abusive', text: '骂人' });
		const data = await exportMyOpinions(t.db, me.userId);
		expect(data.opinions.map((o) => [o.id, o.body])).toEqual([[mine.id, mine.body]]);
		expect(data.meToo.map((r) => r.opinionId)).toEqual([theirs.id]);
		expect(data.reports.map((r) => [r.opinionId, r.reason, r.text])).toEqual([
			[theirs.id, 'abusive', '骂人'],
		]);
		expect(JSON.stringify(await exportMyOpinions(t.db, other.userId))).not.toContain('骂人');
	});
});

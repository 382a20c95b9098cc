import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../../db/schema/index.ts';
import { answerOpinion } from '../../../src/lib/server/moderation/commands/answer.ts';
import { postOpinion } from '../../../src/lib/server/opinions/commands.ts';
import { countOpinions, listOpinions } from '../../../src/lib/server/opinions/queries.ts';
import { reviseOpinion, withdrawOpinion } from '../../../src/lib/server/opinions/revise.ts';
import { createStaffUser } from '../../factories/people.ts';
import { createPlanVersion, demoProject } from '../../factories/plans.ts';
import { createTestDatabase, drivers, type TestDatabase } from '../../helpers/test-db.ts';
import { reject, residentIn } from './helpers.ts';

/**
 * A resident edits or withdraws their own opinion until it is answered (issue 19): the earlier
 * text is kept, each change is audited, a withdrawn opinion leaves the public list and counts,
 * an answered one can no longer change, and someone else's opinion is "not found".
 */
describe.each(drivers)('editing and withdrawing opinions on %s', (driver) => {
	let t: TestDatabase;
	let hongyan: Awaited<ReturnType<typeof demoProject>>;
	let version: Awaited<ReturnType<typeof createPlanVersion>>;

	beforeAll(async () => {
		t = await createTestDatabase(driver, { seed: true });
		hongyan = await demoProject(t.db, 'hongyan');
		version = await createPlanVersion(t.db, { projectId: hongyan.id });
	});
	afterAll(async () => t?.close());

	const audits = (id: number) =>
		t.db
			.select({ action: s.auditLog.action })
			.from(s.auditLog)
			.where(and(eq(s.auditLog.targetType, 'opinion'), eq(s.auditLog.targetId, String(id))))
			.orderBy(asc(s.auditLog.id));

	it('edits keep the earlier text; withdrawal hides it from others and the counts', async () => {
		const author = await residentIn(t.db, hongyan.compoundIds[0]!);
		const other = await residentIn(t.db, hongyan.compoundIds[0]!, 1);
		const { id } = await postOpinion(t.db, author, {
			planVersionId: version.id,
			alignment: 'object',
			body: '反对拆除自行车棚',
		});
		expect((await reject(withdrawOpinion(t.db, other, { opinionId: id }))).code).toBe('not_found');
		expect(
			(
				await reject(
					reviseOpinion(t.db, author, {
						opinionId: id,
						alignment: 'object',
						body: '反对拆除自行车棚',
					}),
				)
			).code,
		).toBe('conflict');
		await reviseOpinion(t.db, author, {
			opinionId: id,
			alignment: 'support',
			body: '车棚换到东侧就支持',
		});
		const shown = (await listOpinions(t.db, null, { planVersionId: version.id })).items.find(
			(o) => o.id === id,
		)!;
		expect(shown).toMatchObject({ body: '车棚换到东侧就支持', alignment: 'support' });
		expect(shown.editedAt).toBeInstanceOf(Date);
		expect((await countOpinions(t.db, version.id)).all.support).toBe(1);

		await withdrawOpinion(t.db, author, { opinionId: id });
		const publicList = await listOpinions(t.db, null, { planVersionId: version.id });
		expect(publicList.items.map((o) => o.id)).not.toContain(id);
		expect((await countOpinions(t.db, version.id)).all.support).toBe(0);
		const own = (await listOpinions(t.db, author, { planVersionId: version.id })).items.find(
			(o) => o.id === id,
		)!;
		expect(own.withdrawn).toBe(true);
		const history = await t.db
			.select({ kind: s.opinionRevisions.kind, body: s.opinionRevisions.body })
			.from(s.opinionRevisions)
			.where(eq(s.opinionRevisions.opinionId, id))
			.orderBy(asc(s.opinionRevisions.id));
		expect(history).toEqual([
			{ kind: 'edit', body: '反对拆除自行车棚' },
			{ kind: 'withdraw', body: '车棚换到东侧就支持' },
		]);
		expect((await audits(id)).map((a) => a.action)).toEqual([
			'opinion.revised',
			'opinion.withdrawn',
		]);
		expect((await reject(withdrawOpinion(t.db, author, { opinionId: id }))).code).toBe('not_found');
	});

	it('an answered opinion can no longer be edited or withdrawn', async () => {
		const author = await residentIn(t.db, hongyan.compoundIds[0]!, 2);
		const { id } = await postOpinion(t.db, author, {
			planVersionId: version.id,
			alignment: 'neutral',
			body: '希望保留老槐树',
		});
		const admin = await createStaffUser(t.db, { roles: ['admin'] });
		await answerOpinion(t.db, admin, { opinionId: id, disposition: 'adopted', body: '保留。' });
		const edit = await reject(
			reviseOpinion(t.db, author, { opinionId: id, alignment: 'neutral', body: '改了' }),
		);
		expect([edit.code, edit.messageKey]).toEqual(['conflict', 'opinions.revise.answered']);
		expect((await reject(withdrawOpinion(t.db, author, { opinionId: id }))).code).toBe('conflict');
		const [row] = await t.db.select().from(s.opinions).where(eq(s.opinions.id, id));
		expect(row).toMatchObject({ body: '希望保留老槐树', withdrawnAt: null });
	});
});

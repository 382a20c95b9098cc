import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql as dsql } from 'drizzle-orm';
import { migrateDatabase, openDatabase, queryRows, type Db } from '../../db/client.ts';
import { seedDemo } from '../../db/seed/demo.ts';
import { projectRoot } from '../../src/build-if-needed.ts';
import { addQuestion, createSurvey } from '../../src/lib/server/surveys/commands/build.ts';
import { openSurvey } from '../../src/lib/server/surveys/commands/lifecycle.ts';
import type { Actor } from '../../src/lib/server/policy/types.ts';
import { ballotsAvailable } from './world.ts';

/** The demo, its staff, and an open consultation round when the ballots feature exists. */
export async function prepareDemoDatabase(url: string, say: (line: string) => void): Promise<void> {
	const handle = await openDatabase({ databaseUrl: url, poolMax: 4 });
	try {
		await migrateDatabase(handle);
		await seedDemo(handle.db, { staffPassword: 'demo-staff-password', images: true });
		const factory = path.join(projectRoot, 'tests', 'factories', 'ballots.ts');
		if (ballotsAvailable() && existsSync(factory)) {
			const { createOpenRound, projectId } = (await import(factory)) as {
				createOpenRound(db: Db, staff: unknown, o: { projectId: number }): Promise<number>;
				projectId(db: Db, slug: string): Promise<number>;
			};
			const { loadActor } = await import('../../src/lib/server/policy/actor.ts');
			const [admin] = await queryRows<{ id: string }>(
				handle.db,
				dsql`select id from users where username = 'admin'`,
			);
			const staff = await loadActor(handle.db, admin!.id, 'staff');
			const roundId = await createOpenRound(handle.db, staff, {
				projectId: await projectId(handle.db, 'dujuan'),
			});
			say(`opened consultation round ${roundId} for the ballot revisions`);
			const surveyId = await openRatingSurvey(
				handle.db,
				staff,
				await projectId(handle.db, 'dujuan'),
			);
			say(`opened survey ${surveyId} for the survey answers`);
		}
	} finally {
		await handle.close();
	}
}

/** A household survey of one rating question on the project, open for a day (staff commands). */
async function openRatingSurvey(db: Db, staff: unknown, projectId: number): Promise<number> {
	const actor = staff as Actor;
	const { surveyId } = await createSurvey(db, actor, {
		projectId,
		title: '负载测试问卷',
		titleEn: '',
		description: '',
		descriptionEn: '',
		mode: 'household',
		anonymous: true,
		template: false,
	});
	await addQuestion(db, actor, {
		surveyId,
		kind: 'rating',
		prompt: '您对楼道照明方案满意吗？',
		promptEn: '',
		required: true,
		options: '',
	} as Parameters<typeof addQuestion>[2]);
	const tomorrow = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 16);
	await openSurvey(db, actor, { surveyId, closesAt: tomorrow });
	return surveyId;
}

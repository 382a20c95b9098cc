import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql as dsql } from 'drizzle-orm';
import { migrateDatabase, openDatabase, queryRows, type Db } from '../../db/client.ts';
import { seedDemo } from '../../db/seed/demo.ts';
import { projectRoot } from '../../src/build-if-needed.ts';
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
		}
	} finally {
		await handle.close();
	}
}

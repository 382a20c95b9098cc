import { openDatabase } from '../../db/client.ts';
import { seedLargeOpinions } from '../../db/seed/large-opinions.ts';
import { createSession, SESSION_COOKIE } from '../../src/lib/server/auth/sessions.ts';

/**
 * The cookie of the moderator of the large opinions set (10,000 opinions in one community of the
 * large seed, generated here on first use), for rows with `as: 'moderator'`.
 */
export async function benchModeratorCookie(
	databaseUrl: string,
	log: (line: string) => void,
): Promise<string> {
	const handle = await openDatabase({ databaseUrl, poolMax: 2 });
	try {
		const started = performance.now();
		const set = await seedLargeOpinions(handle.db);
		if (!set.skipped) {
			const seconds = ((performance.now() - started) / 1000).toFixed(1);
			log(`seeded ${set.opinions} opinions in community ${set.communityId} (${seconds} s)`);
		}
		const { token } = await createSession(handle.db, set.moderatorId, 1);
		return `${SESSION_COOKIE}=${token}`;
	} finally {
		await handle.close();
	}
}

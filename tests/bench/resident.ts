import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows } from '../../db/client.ts';
import { createSession, SESSION_COOKIE } from '../../src/lib/server/auth/sessions.ts';

/**
 * A signed-in resident for the bench: a user bound (as owner) to a household of 杜鹃新村, whose
 * plan version 2 is open, with a real session — the cookie the authenticated rows send.
 */
export async function benchResidentCookie(databaseUrl: string): Promise<string> {
	const handle = await openDatabase({ databaseUrl, poolMax: 1 });
	try {
		const userId = randomUUID();
		const phone = `+86135${String(Date.now()).slice(-8)}`;
		const [household] = await queryRows<{ id: number }>(
			handle.db,
			sql`select h.id from households h join compounds c on c.id = h.compound_id where c.name = '杜鹃新村' order by h.id limit 1`,
		);
		await handle.db.execute(
			sql`insert into users (id, kind, phone) values (${userId}, 'resident', ${phone})`,
		);
		await handle.db.execute(
			sql`insert into memberships (user_id, household_id, relation) values (${userId}, ${household!.id}, 'owner')`,
		);
		const { token } = await createSession(handle.db, userId, 30);
		return `${SESSION_COOKIE}=${token}`;
	} finally {
		await handle.close();
	}
}

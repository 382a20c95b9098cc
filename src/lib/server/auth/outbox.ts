import { desc } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.ts';
import { smsOutbox } from '../../../../db/schema/index.ts';

/** The newest 50 messages of the development SMS outbox. */
export function listOutbox(db: Executor) {
	return db.select().from(smsOutbox).orderBy(desc(smsOutbox.id)).limit(50);
}

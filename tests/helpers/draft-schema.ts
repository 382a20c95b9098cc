import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import * as committed from '../../db/schema/index.ts';

/**
 * For work in progress only: creates the tables of a schema module that has no migration yet
 * (the lead generates migrations when integrating, so parallel work never clashes on numbering).
 * Diffs the committed schema against committed + draft with drizzle-kit's API and runs the SQL
 * after the project's migrations. Once the module's migration exists this does nothing.
 */
export async function applyDraftSchema(
	db: Executor,
	draft: Record<string, unknown>,
): Promise<void> {
	const { generateDrizzleJson, generateMigration } = await import('drizzle-kit/api');
	const before = generateDrizzleJson(committed);
	const after = generateDrizzleJson({ ...committed, ...draft }, before.id);
	for (const statement of await generateMigration(before, after)) {
		await db.execute(sql.raw(statement));
	}
}

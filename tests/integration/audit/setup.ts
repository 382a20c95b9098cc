import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Executor } from '../../../db/client.ts';

const ddlFile = new URL('../../../src/lib/server/audit/ddl.sql', import.meta.url);

/** The statements of src/lib/server/audit/ddl.sql, split as drizzle's migrator splits them. */
export function auditDdlStatements(): string[] {
	return readFileSync(ddlFile, 'utf8')
		.split('--> statement-breakpoint')
		.map((statement) => statement.trim())
		.filter(Boolean);
}

/**
 * Creates audit_log and its append-only trigger if a migration has not already done so
 * (IF NOT EXISTS / OR REPLACE: a no-op once the migration lands; then delete this helper).
 */
export async function ensureAuditTable(db: Executor): Promise<void> {
	for (const statement of auditDdlStatements()) await db.execute(sql.raw(statement));
}

import { readFileSync } from 'node:fs';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../../../db/schema/audit.ts';

const ddl = readFileSync(new URL('../../../src/lib/server/audit/ddl.sql', import.meta.url), 'utf8');
const statements = ddl
	.split('--> statement-breakpoint')
	.map((s) => s.trim())
	.filter(Boolean);

/** Without comment lines and blank space, as a comparison needs them. */
const bare = (statement: string) =>
	statement
		.split('\n')
		.filter((line) => !line.trimStart().startsWith('--'))
		.join('\n')
		.trim();

describe('audit ddl.sql', () => {
	it('creates exactly the table drizzle-kit generates from db/schema/audit.ts', async () => {
		const generated = await generateMigration(
			generateDrizzleJson({}),
			generateDrizzleJson({ auditLog }),
		);
		const tablePart = statements
			.filter((s) => /^CREATE (TABLE|INDEX)/m.test(bare(s)))
			.map((s) => bare(s).replace(/ IF NOT EXISTS/, ''));
		expect(tablePart).toEqual(generated.map((s) => s.trim()));
	});

	it('makes every table statement idempotent, so tests may run it after the migration', () => {
		const creates = statements.map(bare).filter((s) => s.startsWith('CREATE'));
		expect(creates.length).toBeGreaterThan(0);
		for (const statement of creates) {
			expect(statement).toMatch(/^CREATE (TABLE IF NOT EXISTS|INDEX IF NOT EXISTS|OR REPLACE)/);
		}
	});

	it('guards updates, deletes and truncation with one statement-level trigger', () => {
		expect(ddl).toMatch(
			/CREATE OR REPLACE TRIGGER audit_log_append_only\s+BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log\s+FOR EACH STATEMENT/,
		);
	});
});

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../../../db/client.ts';
import { projectRoot } from '../../../src/build-if-needed.ts';
import { appendAudit, sealAudit } from '../../../src/lib/server/audit/commands.ts';
import { verifyAuditChain } from '../../../src/lib/server/audit/verify.ts';
import { auditBypassProblem } from '../../../src/lib/server/db.ts';
import { pgErrorCode } from '../../../src/lib/server/shared/errors.ts';
import { serverUrl } from '../../helpers/test-db.ts';
import { staffEntry } from '../audit/helpers.ts';

/**
 * Least privilege on a PostgreSQL server (issue 20): migrations as the owner role, the app as a
 * role set up by db/app-role.sql, which can do what the app does and cannot touch the audit
 * log's guarantees (no DDL, no TRUNCATE, no trigger bypass, no UPDATE/DELETE of entries).
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('database roles', () => {
	const suffix = randomBytes(4).toString('hex');
	const owner = `gj_owner_${suffix}`;
	const app = `gj_app_${suffix}`;
	const name = `gj_roles_${suffix}`;
	const urlAs = (role: string) => {
		const url = new URL(serverUrl(name));
		url.username = role;
		return url.toString();
	};
	let admin: postgres.Sql;
	let ownerHandle: DatabaseHandle;
	let appHandle: DatabaseHandle;

	beforeAll(async () => {
		admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create role ${owner} login; create role ${app} login`);
		await admin.unsafe(`create database ${name} owner ${owner}`);
		ownerHandle = await openDatabase({ databaseUrl: urlAs(owner), poolMax: 2 });
		await migrateDatabase(ownerHandle);
		const grants = readFileSync(path.join(projectRoot, 'db', 'app-role.sql'), 'utf8')
			.replace(/^--.*$/gm, '')
			.replaceAll(':"app"', `"${app}"`);
		await ownerHandle.db.execute(sql.raw(grants));
		appHandle = await openDatabase({ databaseUrl: urlAs(app), poolMax: 2 });
	});
	afterAll(async () => {
		await appHandle?.close();
		await ownerHandle?.close();
		await admin.unsafe(`drop database if exists ${name} with (force)`);
		await admin.unsafe(`drop role if exists ${app}; drop role if exists ${owner}`);
		await admin.end();
	});

	const refused = async (statement: string) => {
		const error = await appHandle.db.execute(sql.raw(statement)).then(
			() => null,
			(e: unknown) => e,
		);
		return pgErrorCode(error);
	};

	it('lets the app role append, seal and verify the audit log', async () => {
		await appHandle.db.transaction(async (tx) => {
			for (let i = 0; i < 3; i++) await appendAudit(tx, staffEntry(i));
		});
		expect(await sealAudit(appHandle.db)).toBe(3);
		expect(await verifyAuditChain(appHandle.db)).toMatchObject({ ok: true, entries: 3 });
		expect(await auditBypassProblem(appHandle)).toBeNull();
	});

	it.each([
		'delete from audit_log',
		'truncate audit_log',
		"update audit_log set action = 'x.y'",
		'alter table audit_log disable trigger all',
		'set session_replication_role = replica',
		'create table gj_x (i int)',
		'drop table rate_limits',
	])('refuses the app role: %s', async (statement) => {
		expect(await refused(statement)).toBe('42501');
	});

	it('names the owner and a superuser as able to bypass the audit triggers', async () => {
		expect(await auditBypassProblem(ownerHandle)).toContain('owns the audit_log table');
		const superuser = await openDatabase({ databaseUrl: serverUrl(name), poolMax: 1 });
		try {
			expect(await auditBypassProblem(superuser)).toContain('is a superuser');
		} finally {
			await superuser.close();
		}
	});
});

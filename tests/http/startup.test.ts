import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToExit, startServer, tempDir } from '../helpers/server.ts';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { migrateDatabase, openDatabase } from '../../db/client.ts';
import { projectRoot } from '../../src/build-if-needed.ts';
import { createServerDatabase, serverUrl } from '../helpers/test-db.ts';

describe('start-up and shutdown', () => {
	it.each([
		[{ DATABASE_URL: 'nonsense' }, 'DATABASE_URL'],
		[{ PORT: 'abc' }, 'PORT'],
		[{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
	])('stops with one clear line on a bad value: %o', async (env, name) => {
		const { code, output } = await runToExit(env);
		expect(code).toBe(1);
		const lines = output.trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toContain(name);
		expect(output).not.toContain('    at ');
	});

	it('refuses a second server on the same embedded database, then stops gracefully on SIGTERM', async () => {
		const tmp = tempDir();
		const dir = path.join(tmp.dir, 'pglite');
		const first = await startServer({ PGLITE_DIR: dir, TRUST_PROXY: 'true' });
		try {
			const behindTls = await fetch(`${first.url}/`, { headers: { 'x-forwarded-proto': 'https' } });
			expect(behindTls.headers.get('strict-transport-security')).toContain('max-age');
			const second = await runToExit({ PGLITE_DIR: dir });
			expect(second.code).toBe(1);
			expect(second.output).toContain('is in use by process');
			expect(second.output.trim().split('\n')).toHaveLength(1);
		} finally {
			expect(await first.stop('SIGTERM')).toBe(0);
			expect(existsSync(`${dir}.lock`)).toBe(false);
			tmp.remove();
		}
	});

	it.runIf(process.env.TEST_DATABASE_URL)(
		'serves from a real PostgreSQL server with migrations and the demo seed applied there',
		async () => {
			const target = await createServerDatabase();
			try {
				const server = await startServer({ DATABASE_URL: target.url, SEED_DEMO: 'empty' });
				try {
					const html = await (await fetch(`${server.url}/p/dujuan`)).text();
					expect(html).toContain('杜鹃新村老旧小区改造');
				} finally {
					expect(await server.stop()).toBe(0);
				}
			} finally {
				await target.drop();
			}
		},
	);

	it.each([
		['a non-loopback HOST', { HOST: '0.0.0.0' }, 'SMS_SENDER=dev'],
		['TRUST_PROXY', { TRUST_PROXY: 'true' }, 'SMS_SENDER=dev'],
		['no sender at all', { HOST: '0.0.0.0', TRUST_PROXY: 'true', SMS_SENDER: '' }, 'AUTH_MODE=sms'],
	])(
		'refuses the development SMS sender with %s, in one line (NODE_ENV unset)',
		async (_, env, name) => {
			const { code, output } = await runToExit({ NODE_ENV: '', SMS_SENDER: 'dev', ...env });
			expect(code).toBe(1);
			const lines = output.trim().split('\n');
			expect(lines).toHaveLength(1);
			expect(lines[0]).toContain(name);
		},
	);

	it("starts with the README's production recipe, and /dev/outbox does not exist", async () => {
		const tmp = tempDir();
		const server = await startServer({
			NODE_ENV: 'production',
			HOST: '0.0.0.0',
			TRUST_PROXY: 'true',
			OWNER_KEY_SECRET: 'x'.repeat(40),
			SMS_SENDER: 'webhook',
			SMS_WEBHOOK_URL: 'http://127.0.0.1:9/send',
			SMS_WEBHOOK_TOKEN: 'a-token-of-16-chars',
			PGLITE_DIR: path.join(tmp.dir, 'pglite'),
		});
		try {
			const outbox = await fetch(`${server.url}/dev/outbox`);
			expect(outbox.status).toBe(404);
		} finally {
			await server.stop();
			tmp.remove();
		}
	});

	describe.skipIf(!process.env.TEST_DATABASE_URL)('production on a PostgreSQL server', () => {
		const production = {
			NODE_ENV: 'production',
			OWNER_KEY_SECRET: 'x'.repeat(40),
			SMS_SENDER: 'webhook',
			SMS_WEBHOOK_URL: 'http://127.0.0.1:9/send',
			SEED_DEMO: 'never',
		};

		it('refuses to serve as a role that could bypass the audit triggers, in one line', async () => {
			const created = await createServerDatabase();
			try {
				const { code, output } = await runToExit(
					{ ...production, DATABASE_URL: created.url },
					60_000,
				);
				expect(code).toBe(1);
				const lines = output.trim().split('\n');
				expect(lines.at(-1)).toContain('is a superuser');
				expect(lines.at(-1)).toContain('db/app-role.sql');
			} finally {
				await created.drop();
			}
		});

		it('serves as the app role, migrating as the owner (the README recipe)', async () => {
			const suffix = randomBytes(4).toString('hex');
			const [owner, app, name] = [`gj_o_${suffix}`, `gj_a_${suffix}`, `gj_r_${suffix}`];
			const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
			const as = (role: string) => {
				const url = new URL(serverUrl(name));
				url.username = role;
				return url.toString();
			};
			await admin.unsafe(`create role ${owner} login; create role ${app} login`);
			await admin.unsafe(`create database ${name} owner ${owner}`);
			let server: Awaited<ReturnType<typeof startServer>> | undefined;
			try {
				// npm run db:migrate as the owner, then db/app-role.sql as the owner.
				const ownerHandle = await openDatabase({ databaseUrl: as(owner), poolMax: 2 });
				await migrateDatabase(ownerHandle);
				const grants = readFileSync(path.join(projectRoot, 'db', 'app-role.sql'), 'utf8')
					.replace(/^--.*$/gm, '')
					.replaceAll(':"app"', `"${app}"`);
				await ownerHandle.db.execute(sql.raw(grants));
				await ownerHandle.close();
				server = await startServer({
					...production,
					DATABASE_URL: as(app),
					DATABASE_OWNER_URL: as(owner),
				});
				expect((await fetch(`${server.url}/`)).status).toBe(200);
			} finally {
				await server?.stop();
				await admin.unsafe(`drop database if exists ${name} with (force)`);
				await admin.unsafe(`drop role if exists ${app}; drop role if exists ${owner}`);
				await admin.end();
			}
		}, 120_000);
	});

	it('refuses to start with a clear line when the database server cannot be reached', async () => {
		const { code, output } = await runToExit({
			DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
		});
		expect(code).toBe(1);
		expect(output).toContain('cannot reach the database');
	});
});

import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToExit, startServer, tempDir } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';

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

	it('refuses to start with a clear line when the database server cannot be reached', async () => {
		const { code, output } = await runToExit({
			DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
		});
		expect(code).toBe(1);
		expect(output).toContain('cannot reach the database');
	});
});

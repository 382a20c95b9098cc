import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { startServer, tempDir, type RunningServer } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';

const STAFF_PASSWORD = 'demo-staff-password';

/** A tiny cookie-keeping client for form posts against the built server. */
function client(base: string) {
	const jar = new Map<string, string>();
	const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
	const remember = (response: Response) => {
		for (const line of response.headers.getSetCookie()) {
			const [pair] = line.split(';');
			const [name, ...rest] = pair!.split('=');
			const value = rest.join('=');
			if (/Max-Age=0/i.test(line) || value === '') jar.delete(name!);
			else jar.set(name!, value);
		}
		return response;
	};
	return {
		jar,
		async get(p: string) {
			return remember(
				await fetch(base + p, { redirect: 'manual', headers: { cookie: cookieHeader() } }),
			);
		},
		async post(p: string, form: Record<string, string>, headers: Record<string, string> = {}) {
			return remember(
				await fetch(base + p, {
					method: 'POST',
					redirect: 'manual',
					body: new URLSearchParams(form),
					headers: {
						origin: base,
						cookie: cookieHeader(),
						'content-type': 'application/x-www-form-urlencoded',
						...headers,
					},
				}),
			);
		},
	};
}

async function codeFromOutbox(base: string, phone: string): Promise<string> {
	const html = await (await fetch(`${base}/dev/outbox`)).text();
	const match = new RegExp(`data-phone="\\+86${phone}"[\\s\\S]*?<p>[^<]*?(\\d{6})`).exec(html);
	return match![1]!;
}

async function signIn(base: string, phone: string) {
	const c = client(base);
	const sent = await c.post('/login?_action=auth.requestCode', { phone });
	expect(sent.status).toBe(303);
	const verified = await c.post('/login/verify?_action=auth.verifyCode', {
		phone,
		code: await codeFromOutbox(base, phone),
	});
	expect(verified.status).toBe(303);
	return { c, verified };
}

describe('identity over HTTP', () => {
	let server: RunningServer;
	let tmp: ReturnType<typeof tempDir>;
	let dropDb: (() => Promise<void>) | undefined;
	let dbUrl: string | undefined;
	beforeAll(async () => {
		tmp = tempDir();
		const env: Record<string, string> = {
			DEMO_STAFF_PASSWORD: STAFF_PASSWORD,
			TRUST_PROXY: 'true',
		};
		if (process.env.TEST_DATABASE_URL) {
			const created = await createServerDatabase();
			dbUrl = created.url;
			dropDb = created.drop;
			Object.assign(env, { DATABASE_URL: created.url, SEED_DEMO: 'empty' });
		} else {
			env.PGLITE_DIR = path.join(tmp.dir, 'pglite');
		}
		server = await startServer(env);
	});
	afterAll(async () => {
		await server?.stop();
		await dropDb?.();
		tmp?.remove();
	});

	it('issues an HttpOnly, SameSite=Lax session cookie, a new one at every sign-in (no fixation)', async () => {
		const c = client(server.url);
		c.jar.set('gj_session', 'attacker-chosen-session-token-aaaaaaaaaaaaaaaa');
		await c.post('/login?_action=auth.requestCode', { phone: '13700000001' });
		const verified = await c.post('/login/verify?_action=auth.verifyCode', {
			phone: '13700000001',
			code: await codeFromOutbox(server.url, '13700000001'),
		});
		const cookie = verified.headers.getSetCookie().find((line) => line.startsWith('gj_session='))!;
		expect(cookie).toContain('HttpOnly');
		expect(cookie).toContain('SameSite=Lax');
		expect(cookie).not.toContain('Secure');
		const token = c.jar.get('gj_session')!;
		expect(token).not.toContain('attacker');
		const attacker = await fetch(`${server.url}/account`, {
			redirect: 'manual',
			headers: { cookie: 'gj_session=attacker-chosen-session-token-aaaaaaaaaaaaaaaa' },
		});
		expect(attacker.status).toBe(303);
		const staffTokens = [];
		for (let i = 0; i < 2; i++) {
			const staff = client(server.url);
			await staff.post('/staff/login?_action=auth.staffSignIn', {
				username: 'admin',
				password: STAFF_PASSWORD,
			});
			staffTokens.push(staff.jar.get('gj_session'));
		}
		expect(staffTokens[0]).toBeTruthy();
		expect(staffTokens[0]).not.toBe(staffTokens[1]);
		expect((await c.get('/account')).status).toBe(200);
	});

	it('marks the session cookie Secure behind a TLS proxy', async () => {
		const c = client(server.url);
		const tls = { 'x-forwarded-proto': 'https', origin: server.url.replace('http:', 'https:') };
		const sent = await c.post('/login?_action=auth.requestCode', { phone: '13700000002' }, tls);
		expect(sent.status).toBe(303);
		expect(sent.headers.getSetCookie().join()).toContain('Secure');
		const verified = await c.post(
			'/login/verify?_action=auth.verifyCode',
			{ phone: '13700000002', code: await codeFromOutbox(server.url, '13700000002') },
			tls,
		);
		const cookie = verified.headers.getSetCookie().find((l) => l.startsWith('gj_session='));
		expect(cookie).toContain('Secure');
		expect(verified.headers.get('strict-transport-security')).toContain('max-age');
	});

	it.runIf(process.env.TEST_DATABASE_URL)(
		'answers a known and an unknown number identically',
		async () => {
			const sql = postgres(dbUrl!, { max: 1 });
			await sql`insert into users (id, kind, phone) values (gen_random_uuid()::text, 'resident', '+8613700000003')`;
			await sql.end();
			const known = await client(server.url).post('/login?_action=auth.requestCode', {
				phone: '13700000003',
			});
			const unknown = await client(server.url).post('/login?_action=auth.requestCode', {
				phone: '13700000004',
			});
			expect(known.status).toBe(unknown.status);
			expect(known.headers.get('location')).toBe(unknown.headers.get('location'));
		},
	);

	it('refuses a cross-origin sign-in or binding post (CSRF) and changes nothing', async () => {
		const { c } = await signIn(server.url, '13700000005');
		const forged = await c.post(
			'/bind?_action=households.join',
			{ code: 'ABCD-EFGH-JKLM' },
			{ origin: 'https://evil.example' },
		);
		expect(forged.status).toBe(403);
		const rpc = await fetch(`${server.url}/_actions/households.join`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				origin: 'https://evil.example',
				cookie: `gj_session=${c.jar.get('gj_session')}`,
			},
			body: '{"code":"ABCD-EFGH-JKLM"}',
		});
		expect(rpc.status).toBe(403);
	});

	it('ends the session at sign-out and ignores a forged or expired cookie', async () => {
		const { c } = await signIn(server.url, '13700000006');
		const token = c.jar.get('gj_session')!;
		await c.post('/logout?_action=auth.signOut', {});
		const replay = await fetch(`${server.url}/account`, {
			redirect: 'manual',
			headers: { cookie: `gj_session=${token}` },
		});
		expect(replay.status).toBe(303);
		expect(replay.headers.get('location')).toContain('/login');
		const forged = await fetch(`${server.url}/account`, {
			redirect: 'manual',
			headers: { cookie: 'gj_session=x' },
		});
		expect(forged.status).toBe(303);
	});

	it("gives a moderator 404 for another community's building, over pages and the action API, changing nothing", async () => {
		const staff = client(server.url);
		const signedIn = await staff.post('/staff/login?_action=auth.staffSignIn', {
			username: 'jiangbin',
			password: STAFF_PASSWORD,
		});
		expect(signedIn.status).toBe(303);
		expect((await staff.get('/staff/households/building/1')).status).toBe(404);
		const issued = await staff.post('/staff/households/slips?_action=households.issueCodes', {
			buildingId: '1',
			relation: 'owner',
			maxMembers: '3',
		});
		const html = await issued.text();
		expect(html).not.toContain('data-bind-url');
		expect(html).toContain('没有找到相关内容');
		const api = await fetch(`${server.url}/_actions/households.revokeCodes`, {
			method: 'POST',
			headers: {
				origin: server.url,
				cookie: `gj_session=${staff.jar.get('gj_session')}`,
				'content-type': 'application/x-www-form-urlencoded',
			},
			body: 'householdId=1',
		});
		expect(api.status).toBe(404);
	});

	it('answers 429 with Retry-After on the action API when over a limit', async () => {
		const c = client(server.url);
		const first = await fetch(`${server.url}/_actions/auth.requestCode`, {
			method: 'POST',
			headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
			body: 'phone=13700000007',
		});
		expect(first.status).toBe(200);
		const second = await fetch(`${server.url}/_actions/auth.requestCode`, {
			method: 'POST',
			headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
			body: 'phone=13700000007',
		});
		expect(second.status).toBe(429);
		expect(await second.text()).toContain('分钟后再试');
		void c;
	});

	it.runIf(process.env.TEST_DATABASE_URL)(
		'shares rate limits across two server processes on one database',
		async () => {
			const other = await startServer({
				DATABASE_URL: dbUrl!,
				DEMO_STAFF_PASSWORD: STAFF_PASSWORD,
			});
			try {
				const a = await client(server.url).post('/login?_action=auth.requestCode', {
					phone: '13700000008',
				});
				expect(a.status).toBe(303);
				const b = await client(other.url).post('/login?_action=auth.requestCode', {
					phone: '13700000008',
				});
				expect(b.status).toBe(429);
				expect(await b.text()).toContain('操作太频繁');
				const sql = postgres(dbUrl!, { max: 1 });
				const rows =
					await sql`select count(*)::int as n from login_codes where phone = '+8613700000008'`;
				await sql.end();
				expect(rows[0]!.n).toBe(1);
			} finally {
				await other.stop();
			}
		},
	);
});

import { readFileSync } from 'node:fs';
import http from 'node:http';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { impostors } from '../factories/images.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';

/**
 * Issue 20 over HTTP, on the built server with its job worker running (the worker loads the
 * image pipeline from src/, which made refused images 500s): sessions that end, bad input that
 * gets a 4xx, bodies capped before they are read. Needs TEST_DATABASE_URL: the test moves
 * session expiries and reads the database while the server runs.
 */
const STAFF_PASSWORD = 'demo-staff-password';
const DAY = 24 * 60 * 60 * 1000;

function client(base: string) {
	const jar = new Map<string, string>();
	const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
	const remember = (response: Response) => {
		for (const line of response.headers.getSetCookie()) {
			const [pair] = line.split(';');
			const [name, ...rest] = pair!.split('=');
			if (/Max-Age=0/i.test(line) || rest.join('=') === '') jar.delete(name!);
			else jar.set(name!, rest.join('='));
		}
		return response;
	};
	return {
		jar,
		get: async (p: string) =>
			remember(await fetch(base + p, { redirect: 'manual', headers: { cookie: cookie() } })),
		post: async (p: string, body: URLSearchParams | FormData) =>
			remember(
				await fetch(base + p, {
					method: 'POST',
					redirect: 'manual',
					body,
					headers: { origin: base, cookie: cookie() },
				}),
			),
	};
}

const sessionCookie = (response: Response) =>
	response.headers.getSetCookie().find((line) => line.startsWith('gj_session='));
const expiresIn = (line: string) =>
	new Date(/Expires=([^;]+)/i.exec(line)![1]!).getTime() - Date.now();

describe.skipIf(!process.env.TEST_DATABASE_URL)('failing closed over HTTP', () => {
	let server: RunningServer;
	let sql: postgres.Sql;
	let drop: () => Promise<void>;

	beforeAll(async () => {
		const created = await createServerDatabase();
		drop = created.drop;
		sql = postgres(created.url, { max: 2, onnotice: () => {} });
		server = await startServer(
			{ DATABASE_URL: created.url, SEED_DEMO: 'empty', DEMO_STAFF_PASSWORD: STAFF_PASSWORD },
			120_000,
		);
	});
	afterAll(async () => {
		await server?.stop();
		await sql?.end();
		await drop?.();
	});

	async function signInResident(phone: string, next = '/account') {
		const c = client(server.url);
		await c.post('/login?_action=auth.requestCode', new URLSearchParams({ phone }));
		const html = await (await fetch(`${server.url}/dev/outbox`)).text();
		const code = new RegExp(`data-phone="\\+86${phone}"[\\s\\S]*?<p>[^<]*?(\\d{6})`).exec(
			html,
		)![1]!;
		const verified = await c.post(
			`/login/verify?_action=auth.verifyCode&next=${encodeURIComponent(next)}`,
			new URLSearchParams({ phone, code }),
		);
		return { c, verified };
	}

	async function signInStaff(username: string) {
		const c = client(server.url);
		const signedIn = await c.post(
			'/staff/login?_action=auth.staffSignIn',
			new URLSearchParams({ username, password: STAFF_PASSWORD }),
		);
		return { c, signedIn };
	}

	it('gives staff one day from sign-in, never extended; residents 30 days, extended when used late', async () => {
		const staff = await signInStaff('meiling');
		const staffCookie = sessionCookie(staff.signedIn)!;
		expect(expiresIn(staffCookie)).toBeLessThanOrEqual(DAY);
		const [row] = await sql`select expires_at from sessions order by created_at desc limit 1`;
		for (const page of ['/staff', '/staff', '/en/staff']) {
			const response = await staff.c.get(page);
			expect(response.status).toBe(200);
			expect(sessionCookie(response)).toBeUndefined();
		}
		const [after] =
			await sql`select expires_at from sessions where expires_at = ${row!.expires_at}`;
		expect(after).toBeDefined();
		// A day after sign-in the staff session is over, whatever its row says.
		await sql`update sessions set created_at = now() - interval '25 hours', expires_at = now() + interval '29 days'
		          where user_id = (select id from users where username = 'meiling')`;
		const expired = await staff.c.get('/staff');
		expect(expired.status).toBe(303);
		expect(expired.headers.get('location')).toContain('/staff/login');

		const resident = await signInResident('13700002001');
		expect(expiresIn(sessionCookie(resident.verified)!)).toBeGreaterThan(29 * DAY);
		expect(sessionCookie(await resident.c.get('/account'))).toBeUndefined();
		await sql`update sessions set expires_at = now() + interval '10 days'
		          where user_id = (select id from users where phone = '+8613700002001')`;
		const renewed = sessionCookie(await resident.c.get('/account'));
		expect(expiresIn(renewed!)).toBeGreaterThan(29 * DAY);
	});

	it('signs in with a non-ASCII next= and sends the resident there, percent-encoded', async () => {
		expect((await fetch(`${server.url}/login?next=%2F%E8%B4%A6%E6%88%B7`)).status).toBe(200);
		const { verified } = await signInResident('13700002002', '/账户');
		expect(verified.status).toBe(303);
		expect(verified.headers.get('location')).toBe('/%E8%B4%A6%E6%88%B7');
		const [row] =
			await sql`select count(*)::int as n from sessions where user_id = (select id from users where phone = '+8613700002002')`;
		expect(row!.n).toBe(1);
	});

	it('answers ids past int4 with 400 (forms) and 404 (routes), not a database error', async () => {
		const { c } = await signInResident('13700002003');
		const follow = await c.post(
			'/_actions/notifications.follow',
			new URLSearchParams({ projectId: '99999999999' }),
		);
		expect(follow.status).toBe(400);
		for (const route of [
			'/rounds/99999999999',
			'/en/surveys/2147483648',
			'/p/dujuan/v/99999999999',
		])
			expect((await fetch(server.url + route)).status, route).toBe(404);
	});

	it('refuses a hostile image with a translated 400 once the job worker has loaded the pipeline', async () => {
		// The worker renders AVIF for the seeded images: its (source) copy creates the pipeline.
		for (let i = 0; i < 300; i++) {
			const [pending] =
				await sql`select count(*)::int as n from jobs where state in ('queued', 'running')`;
			if (pending!.n === 0) break;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		const [done] = await sql`select count(*)::int as n from jobs where state = 'done'`;
		expect(done!.n).toBeGreaterThan(0);
		const { c } = await signInStaff('admin');
		let [draft] = await sql`select id from plan_versions where status = 'draft' limit 1`;
		// A draft to add renderings to: the first project whose plan is not final yet.
		for (const project of await sql`select id from projects order by id`) {
			if (draft) break;
			await c.post(
				'/_actions/plans.createVersion',
				new URLSearchParams({ projectId: String(project.id) }),
			);
			[draft] = await sql`select id from plan_versions where status = 'draft' limit 1`;
		}
		const form = new FormData();
		form.append('versionId', String(draft!.id));
		for (const name of ['before', 'after'])
			form.append(
				name,
				new File([impostors.html as Uint8Array<ArrayBuffer>], 'x.jpg', { type: 'image/jpeg' }),
			);
		form.append('caption', '效果图');
		const response = await c.post('/_actions/plans.addRendering', form);
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('只接受 JPEG');
	});

	it('reads no 50 MB body: four at once leave the server within 50 MB of its idle memory', async () => {
		const pid = server.process.pid!;
		const rss = () =>
			Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
		const idle = rss();
		let peak = idle;
		const timer = setInterval(() => (peak = Math.max(peak, rss())), 20);
		const send = (path: string, type: string, chunked: boolean) =>
			new Promise<number>((resolve) => {
				const url = new URL(path, server.url);
				const size = 50 * 1024 * 1024;
				const headers: Record<string, string> = { origin: server.url, 'content-type': type };
				if (!chunked) headers['content-length'] = String(size);
				const request = http.request(
					{
						host: url.hostname,
						port: url.port,
						path: url.pathname + url.search,
						method: 'POST',
						headers,
					},
					(res) => {
						res.resume();
						res.on('end', () => resolve(res.statusCode ?? 0));
					},
				);
				request.on('error', () => resolve(0));
				const chunk = Buffer.alloc(1024 * 1024, 0x78);
				let sent = 0;
				const write = () => {
					while (sent < size) {
						sent += chunk.length;
						if (!request.write(chunk)) return void request.once('drain', write);
					}
					request.end();
				};
				write();
			});
		const statuses = [];
		for (const [path, type, chunked] of [
			['/_actions/opinions.post', 'application/json', false],
			['/_actions/opinions.post', 'application/json', true],
			['/p/dujuan/v/2', 'application/x-www-form-urlencoded', false],
			['/p/dujuan/v/2', 'application/x-www-form-urlencoded', true],
		] as const)
			statuses.push(...(await Promise.all([0, 1, 2, 3].map(() => send(path, type, chunked)))));
		clearInterval(timer);
		console.log(
			`fail-closed: 16 × 50 MB bodies, RSS idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB`,
		);
		expect(statuses.every((s) => s === 413 || s === 0)).toBe(true);
		expect(statuses.filter((s) => s === 413).length).toBeGreaterThan(8);
		expect(peak - idle).toBeLessThan(50);
	});
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';

/** A cookie-keeping client for form posts against the built server (as in identity.test.ts). */
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
		async get(p: string) {
			return remember(
				await fetch(base + p, { redirect: 'manual', headers: { cookie: cookieHeader() } }),
			);
		},
		async post(p: string, form: Record<string, string>) {
			return remember(
				await fetch(base + p, {
					method: 'POST',
					redirect: 'manual',
					body: new URLSearchParams(form),
					headers: {
						origin: base,
						cookie: cookieHeader(),
						'content-type': 'application/x-www-form-urlencoded',
					},
				}),
			);
		},
	};
}

async function signIn(base: string, phone: string) {
	const c = client(base);
	expect((await c.post('/login?_action=auth.requestCode', { phone })).status).toBe(303);
	const html = await (await fetch(`${base}/dev/outbox`)).text();
	const code = new RegExp(`data-phone="\\+86${phone}"[\\s\\S]*?<p>[^<]*?(\\d{6})`).exec(html)![1]!;
	expect((await c.post('/login/verify?_action=auth.verifyCode', { phone, code })).status).toBe(303);
	return c;
}

const HOUR = 3_600_000;

// The test writes plan versions straight into the server's database: it needs PostgreSQL (an
// embedded database is locked by the server process).
describe.runIf(process.env.TEST_DATABASE_URL)('opinions over HTTP', () => {
	let server: RunningServer;
	let drop: (() => Promise<void>) | undefined;
	let sql: postgres.Sql;
	let closed: { id: number; number: number };
	let open: { id: number; number: number };
	const countOn = async (versionId: number) =>
		(
			await sql<
				{ n: number }[]
			>`select count(*)::int as n from opinions where plan_version_id = ${versionId}`
		)[0]!.n;

	beforeAll(async () => {
		const created = await createServerDatabase();
		drop = created.drop;
		server = await startServer({ DATABASE_URL: created.url, SEED_DEMO: 'empty' });
		sql = postgres(created.url, { max: 2, onnotice: () => {} });
		const [project] = await sql<{ id: number }[]>`select id from projects where slug = 'hongyan'`;
		const insert = async (opensAt: Date, closesAt: Date) => {
			const [row] = await sql<{ id: number; number: number }[]>`
				insert into plan_versions (project_id, number, title, status, comment_opens_at, comment_closes_at, published_at)
				values (${project!.id}, (select coalesce(max(number), 0) + 1 from plan_versions where project_id = ${project!.id}),
				        '测试方案', 'open', ${opensAt}, ${closesAt}, ${opensAt})
				returning id, number`;
			return row!;
		};
		closed = await insert(new Date(Date.now() - 3 * HOUR), new Date(Date.now() - HOUR));
		open = await insert(new Date(Date.now() - HOUR), new Date(Date.now() + 24 * HOUR));
	});
	afterAll(async () => {
		await sql?.end();
		await server?.stop();
		await drop?.();
	});

	it('refuses a POST after the window closed, with a translated message, and stores nothing', async () => {
		const c = await signIn(server.url, '13700000101');
		const form = {
			planVersionId: String(closed.id),
			alignment: 'object',
			body: '截止后还想提意见',
		};
		const zh = await c.post('/_actions/opinions.post', form);
		expect(zh.status).toBe(409);
		expect(await zh.text()).toContain('这个方案的意见征集已经截止，不能再提交。');
		// The plan page's own form route, as the page's form (or a hand-made one) posts it.
		const page = `/p/hongyan/v/${closed.number}`;
		for (const [prefix, message] of [
			['', '这个方案的意见征集已经截止，不能再提交。'],
			['/en', 'Comments on this plan have closed; nothing more can be submitted.'],
		] as const) {
			const viaPage = await c.post(`${prefix}${page}?_action=opinions.post`, form);
			expect(viaPage.status).not.toBe(303);
			const html = await viaPage.text();
			// Once the plan page includes the Opinions component, it shows the message and no form.
			if (html.includes('id="opinions"')) {
				expect(html).toContain(message);
				expect(await (await c.get(`${prefix}${page}`)).text()).not.toContain('name="body"');
			}
		}
		expect(await countOn(closed.id)).toBe(0);
		// The same resident's identical POST inside an open window is accepted: the refusal above
		// was the window, not the session, the origin or the input.
		const accepted = await c.post('/_actions/opinions.post', {
			...form,
			planVersionId: String(open.id),
		});
		expect(accepted.status).toBe(200);
		expect(await countOn(open.id)).toBe(1);
	});

	it('refuses visitors and bad input with translated messages', async () => {
		const anonymous = client(server.url);
		const form = { planVersionId: String(open.id), alignment: 'support', body: '匿名' };
		const refused = await anonymous.post('/_actions/opinions.post', form);
		expect(refused.status).toBe(401);
		expect(await refused.text()).toContain('请先登录。');
		const c = await signIn(server.url, '13700000102');
		const empty = await c.post('/_actions/opinions.post', { ...form, body: ' \u3000 ' });
		expect(empty.status).toBe(400);
		expect(await empty.text()).toContain('opinions.bodyRequired');
		expect(await countOn(open.id)).toBe(1);
	});
});

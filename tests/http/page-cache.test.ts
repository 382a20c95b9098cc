import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, signInResident, type Client } from '../helpers/http-client.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';

/**
 * The page cache over HTTP (src/lib/server/http/page-cache.ts, fast-path.ts): hits are served
 * before Astro's pipeline with the same headers, signed-in residents get their own pages, and
 * every write that changes what a page shows — public or private to the viewer — moves it at
 * once. The test writes straight into the server's database, so it needs PostgreSQL.
 */
describe.runIf(process.env.TEST_DATABASE_URL)('page cache over HTTP', () => {
	let server: RunningServer;
	let drop: (() => Promise<void>) | undefined;
	let sql: postgres.Sql;
	const PAGE = '/p/dujuan/v/2';

	beforeAll(async () => {
		const created = await createServerDatabase();
		drop = created.drop;
		// No worker: an AVIF job finishing would move the content version between two reads.
		server = await startServer({
			DATABASE_URL: created.url,
			SEED_DEMO: 'empty',
			GONGJIAN_WORKER: 'off',
		});
		sql = postgres(created.url, { max: 2, onnotice: () => {} });
	});

	afterAll(async () => {
		await sql?.end();
		await server?.stop();
		await drop?.();
	});

	const userId = async (phone: string) =>
		(await sql<{ id: string }[]>`select id from users where phone = ${`+86${phone}`}`)[0]!.id;

	async function bindToDujuan(phone: string): Promise<string> {
		const id = await userId(phone);
		await sql`insert into memberships (user_id, household_id, relation)
			select ${id}, h.id, 'owner' from households h join compounds c on c.id = h.compound_id
			where c.name = '杜鹃新村' order by h.id limit 1`;
		return id;
	}

	/** Two reads: the second must be a hit; returns its body. */
	async function cachedPage(c: Client, path = PAGE): Promise<string> {
		const first = await c.get(path);
		expect(first.status).toBe(200);
		await first.arrayBuffer();
		const second = await c.get(path);
		expect(second.headers.get('x-cache')).toBe('hit');
		return second.text();
	}

	it('hits carry the same status, type and security headers as the rendered page', async () => {
		const miss = await fetch(`${server.url}/p/dujuan`);
		const missBody = await miss.text();
		expect(miss.headers.get('x-cache')).toBe('miss');
		const hit = await fetch(`${server.url}/p/dujuan`, { headers: { 'x-request-id': 'req-42' } });
		expect(hit.headers.get('x-cache')).toBe('hit');
		expect(await hit.text()).toBe(missBody);
		expect(hit.headers.get('x-request-id')).toBe('req-42');
		for (const name of [
			'content-type',
			'content-security-policy',
			'x-content-type-options',
			'x-frame-options',
			'referrer-policy',
			'permissions-policy',
			'cross-origin-opener-policy',
		]) {
			expect(hit.headers.get(name), name).toBe(miss.headers.get(name));
		}
		expect(hit.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(hit.headers.get('content-security-policy')).toMatch(/script-src/);
		const head = await fetch(`${server.url}/p/dujuan`, { method: 'HEAD' });
		expect(head.status).toBe(200);
		expect(head.headers.get('x-cache')).toBe('hit');
		// The English page and the large-text page are other entries.
		expect((await fetch(`${server.url}/en/p/dujuan`)).headers.get('x-cache')).toBe('miss');
		const large = await fetch(`${server.url}/p/dujuan`, { headers: { cookie: 'gj_text=large' } });
		expect(large.headers.get('x-cache')).toBe('miss');
		expect(await large.text()).not.toBe(missBody);
	});

	it("a resident's page is theirs alone, and moves at once with their own data", async () => {
		const alice = await signInResident(server.url, '13900000101');
		const bob = await signInResident(server.url, '13900000102');
		const aliceId = await bindToDujuan('13900000101');
		const mine = await cachedPage(alice);
		expect(mine).toContain('您家预计共分摊');
		const page = await alice.get(PAGE);
		expect(page.headers.get('cache-control')).toBe('private, no-cache');
		// Bob (not bound) never gets Alice's page, nor does a visitor.
		const bobs = await bob.get(PAGE);
		expect(bobs.headers.get('x-cache')).toBe('miss');
		expect(await bobs.text()).not.toContain('您家预计共分摊');
		expect(await (await fetch(server.url + PAGE)).text()).not.toContain('您家预计共分摊');

		// A notification moves her badge at once.
		await sql`insert into notifications (user_id, kind, link) values (${aliceId}, 'test', '/')`;
		const notified = await alice.get(PAGE);
		expect(notified.headers.get('x-cache')).toBe('miss');
		expect(await notified.text()).toContain('通知，1 条未读');
		expect((await alice.get(PAGE)).headers.get('x-cache')).toBe('hit');

		// Her binding ends: the cost share goes at once.
		await sql`update memberships set ended_at = now() where user_id = ${aliceId}`;
		const unbound = await alice.get(PAGE);
		expect(unbound.headers.get('x-cache')).toBe('miss');
		expect(await unbound.text()).not.toContain('您家预计共分摊');
	});

	it('a signed-out, expired or forged session never gets a cached personal page', async () => {
		const carol = await signInResident(server.url, '13900000103');
		await bindToDujuan('13900000103');
		expect(await cachedPage(carol)).toContain('您家预计共分摊');
		const cookie = `gj_session=${carol.jar.get('gj_session')}`;

		// Expired: the full pipeline answers, clears the cookie, shows the public page.
		const carolId = await userId('13900000103');
		await sql`update sessions set expires_at = now() - interval '1 minute' where user_id = ${carolId}`;
		const expired = await fetch(server.url + PAGE, { headers: { cookie } });
		expect(expired.headers.get('x-cache')).not.toBe('hit');
		expect(await expired.text()).not.toContain('您家预计共分摊');
		expect(expired.headers.getSetCookie().join()).toMatch(/gj_session=;/);

		// Deleted (signed out elsewhere) and forged tokens: same.
		await sql`delete from sessions where user_id = ${carolId}`;
		for (const token of [carol.jar.get('gj_session')!, 'x'.repeat(43), 'not-a-token']) {
			const response = await fetch(server.url + PAGE, {
				headers: { cookie: `gj_session=${token}` },
			});
			expect(response.status).toBe(200);
			expect(response.headers.get('x-cache')).not.toBe('hit');
			expect(await response.text()).not.toContain('您家预计共分摊');
		}
	});

	it('a cookie the page may read (a login in progress) bypasses the cache', async () => {
		const c = client(server.url);
		c.jar.set('gj_login_phone', '13900000104');
		await (await c.get('/p/dujuan')).arrayBuffer();
		expect((await c.get('/p/dujuan')).headers.get('x-cache')).toBeNull();
	});

	it('a round opened on the project shows on the cached project page at once', async () => {
		const before = await cachedPage(client(server.url), '/p/dujuan');
		expect(before).not.toContain('加装电梯意见征询（缓存测试）');
		const [project] = await sql<{ id: number }[]>`select id from projects where slug = 'dujuan'`;
		await sql`insert into rounds (project_id, kind, title, consent, opens_at, closes_at, opened_at)
			values (${project!.id}, 'special', '加装电梯意见征询（缓存测试）', true,
			        now() - interval '1 hour', now() + interval '7 days', now() - interval '1 hour')`;
		const after = await fetch(`${server.url}/p/dujuan`);
		expect(after.headers.get('x-cache')).toBe('miss');
		expect(await after.text()).toContain('加装电梯意见征询（缓存测试）');
	});

	it('a cached project page does not outlive the moment a round opens', async () => {
		const [project] = await sql<{ id: number }[]>`select id from projects where slug = 'dujuan'`;
		await sql`insert into rounds (project_id, kind, title, consent, opens_at, closes_at, opened_at)
			values (${project!.id}, 'needs', '需求征询（定时开启）', false,
			        now() + interval '1500 milliseconds', now() + interval '7 days', now())`;
		const c = client(server.url);
		const upcoming = await cachedPage(c, '/p/dujuan');
		expect(upcoming).toContain('需求征询（定时开启）');
		await new Promise((resolve) => setTimeout(resolve, 1600));
		const opened = await c.get('/p/dujuan');
		expect(opened.headers.get('x-cache')).toBe('miss');
		expect(await opened.text()).not.toBe(upcoming);
	});
});

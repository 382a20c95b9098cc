import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInStaff, STAFF_PASSWORD, type Client } from '../helpers/http-client.ts';
import { startServer, tempDir, type RunningServer } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';

/**
 * Door visits (入户) on the built server: the visit form sent twice records once, bad input is
 * refused with a translated message and changes nothing, hostile text comes back escaped, and
 * staff of another community do not find the page.
 */
describe('door visits over HTTP', () => {
	let server: RunningServer;
	let tmp: ReturnType<typeof tempDir>;
	let dropDb: (() => Promise<void>) | undefined;
	let meiling: Client;
	let jiangbin: Client;

	beforeAll(async () => {
		tmp = tempDir();
		const env: Record<string, string> = { DEMO_STAFF_PASSWORD: STAFF_PASSWORD };
		if (process.env.TEST_DATABASE_URL) {
			const created = await createServerDatabase();
			dropDb = created.drop;
			Object.assign(env, { DATABASE_URL: created.url, SEED_DEMO: 'empty' });
		} else {
			env.PGLITE_DIR = path.join(tmp.dir, 'pglite');
		}
		server = await startServer(env);
		meiling = await signInStaff(server.url, 'meiling');
		jiangbin = await signInStaff(server.url, 'jiangbin');
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
		await dropDb?.();
		tmp?.remove();
	});

	it('records a visit once when the form is sent twice; refuses bad input; hides it from other communities', async () => {
		const list = await (await meiling.get('/staff/rounds')).text();
		const roundId = /href="\/staff\/rounds\/(\d+)"[^>]*>杜鹃新村改造方案（修改稿）征求意见/.exec(
			list,
		)![1]!;
		const visits = await (await meiling.get(`/staff/rounds/${roundId}/visits`)).text();
		const household = /<tr id="h-(\d+)"/.exec(visits)![1]!;
		const page = `/staff/rounds/${roundId}/visits/${household}`;
		const form = await (await meiling.get(page)).text();
		expect(form).toContain('本轮还没有入户记录。');
		const key = /name="key" value="([^"]+)"/.exec(form)![1]!;
		const send = (fields: Record<string, string>) =>
			meiling.post(`${page}?_action=visits.record`, {
				roundId,
				householdId: household,
				note: '',
				key,
				...fields,
			});
		const history = async () =>
			[...(await (await meiling.get(page)).text()).matchAll(/<li>\s*\d{4}年/g)].length;

		// Bad input: a translated 4xx, nothing recorded.
		const bogus = await send({ outcome: 'bogus' });
		expect(bogus.status).toBe(400);
		expect(await bogus.text()).toContain('请选择入户结果。');
		const noDate = await send({ outcome: 'come_back' });
		expect(noDate.status).toBe(400);
		expect(await noDate.text()).toContain('选“约定改日再访”时请填写再访日期。');
		const badKey = await send({ outcome: 'not_home', key: 'short' });
		expect(badKey.status).toBe(400);
		expect(await history()).toBe(0);

		const first = await send({ outcome: 'not_home', note: '<script>alert(1)</script>敲门无人' });
		expect(first.status).toBe(303);
		expect(first.headers.get('location')).toContain(`recorded=${household}&outcome=not_home`);
		const again = await send({ outcome: 'not_home', note: '<script>alert(1)</script>敲门无人' });
		expect(again.status).toBe(303);
		expect(again.headers.get('location')).toContain('repeated=1');
		const listed = await (await meiling.get(again.headers.get('location')!)).text();
		expect(listed).toContain('这份记录之前已经保存过，没有重复记录。');
		expect(listed).toMatch(new RegExp(`id="h-${household}"[\\s\\S]*?不在家（`));
		expect(await history()).toBe(1);
		const shown = await (await meiling.get(page)).text();
		expect(shown).toContain('&lt;script&gt;alert(1)&lt;/script&gt;敲门无人');
		expect(shown).not.toContain('<script>alert(1)</script>');

		// Another community's committee: not found, and its request records nothing.
		expect((await jiangbin.get(page)).status).toBe(404);
		expect((await jiangbin.get(`/staff/rounds/${roundId}/planner`)).status).toBe(404);
		const other = await jiangbin.post(`${page}?_action=visits.record`, {
			roundId,
			householdId: household,
			outcome: 'refused',
			note: '',
			key: 'another-key-0123456789',
		});
		expect(other.status).toBe(404);
		expect(await history()).toBe(1);

		// Visited, opinion taken: on to the household's paper entry.
		const taken = await send({ outcome: 'opinion_taken', key: 'fresh-key-0123456789' });
		expect(taken.status).toBe(303);
		expect(taken.headers.get('location')).toBe(
			`/staff/rounds/${roundId}/paper?household=${household}`,
		);
	});
});

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRosterFile } from '../../src/lib/server/roster/parse.ts';
import { rosterLimits } from '../../src/lib/server/roster/limits.ts';
import { templateHeaders } from '../../src/lib/server/roster/template.ts';
import { craftedZip, generatedRoster, utf8Csv } from '../factories/roster.ts';
import { startServer, tempDir, type RunningServer } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';

const STAFF_PASSWORD = 'demo-staff-password';

/** A cookie-keeping client for form posts (urlencoded or multipart) against the built server. */
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
	const send = async (p: string, body: BodyInit, headers: Record<string, string> = {}) =>
		remember(
			await fetch(base + p, {
				method: 'POST',
				redirect: 'manual',
				body,
				headers: { origin: base, cookie: cookieHeader(), ...headers },
			}),
		);
	return {
		jar,
		get: async (p: string) =>
			remember(await fetch(base + p, { redirect: 'manual', headers: { cookie: cookieHeader() } })),
		post: (p: string, form: Record<string, string>) =>
			send(p, new URLSearchParams(form), { 'content-type': 'application/x-www-form-urlencoded' }),
		upload: (p: string, bytes: Uint8Array, name = 'roster.csv') => {
			const form = new FormData();
			form.set('file', new Blob([new Uint8Array(bytes)]), name);
			return send(p, form);
		},
	};
}

const hidden = (html: string, name: string) =>
	new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]?.replace(/&amp;/g, '&') ?? '';
/** The household figure of a project page, read as soon as it has streamed in. */
const households = async (base: string, slug: string) => {
	const response = await fetch(`${base}/p/${slug}`);
	const reader = response.body!.getReader();
	const decoder = new TextDecoder();
	let html = '';
	for (;;) {
		const match = /<dd>([\d,]+) 户<\/dd>/.exec(html);
		if (match) {
			await reader.cancel().catch(() => {});
			return Number(match[1]!.replace(/,/g, ''));
		}
		const { done, value } = await reader.read();
		if (done) throw new Error(`no household figure on /p/${slug}`);
		html += decoder.decode(value, { stream: true });
	}
};

describe('household rosters over HTTP', () => {
	let server: RunningServer;
	let tmp: ReturnType<typeof tempDir>;
	let dropDb: (() => Promise<void>) | undefined;
	let meiling: ReturnType<typeof client>;
	const place = { community: '梅岭社区', compound: '杜鹃新村' };

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
		meiling = client(server.url);
		const signedIn = await meiling.post('/staff/login?_action=auth.staffSignIn', {
			username: 'meiling',
			password: STAFF_PASSWORD,
		});
		expect(signedIn.status).toBe(303);
	});
	afterAll(async () => {
		await server?.stop();
		await dropDb?.();
		tmp?.remove();
	});

	it('sends visitors to the staff sign-in and answers 404 to staff without a community', async () => {
		const visitor = client(server.url);
		for (const p of [
			'/staff/roster',
			'/staff/roster/template?format=csv',
			'/staff/roster/export',
		]) {
			const response = await visitor.get(p);
			expect(response.status, p).toBe(303);
			expect(response.headers.get('location')).toContain('/staff/login');
		}
		const officer = client(server.url);
		await officer.post('/staff/login?_action=auth.staffSignIn', {
			username: 'officer',
			password: STAFF_PASSWORD,
		});
		expect((await officer.get('/staff/roster')).status).toBe(404);
		expect((await officer.get('/staff/roster/export')).status).toBe(404);
	});

	it('serves the template in both formats and languages, as uncached attachments', async () => {
		for (const format of ['csv', 'xlsx'] as const) {
			for (const lang of ['zh-CN', 'en'] as const) {
				const response = await meiling.get(`/staff/roster/template?format=${format}&lang=${lang}`);
				expect(response.status).toBe(200);
				expect(response.headers.get('content-disposition')).toBe(
					`attachment; filename="roster-template-${lang}.${format}"`,
				);
				expect(response.headers.get('cache-control')).toBe('no-store');
				const rows = parseRosterFile(new Uint8Array(await response.arrayBuffer())).rows;
				expect(rows[0]!.cells).toEqual(templateHeaders(lang));
			}
		}
	});

	it('checks a roster with bad rows, lists them translated, and changes nothing', async () => {
		const before = await households(server.url, 'dujuan');
		const lines = generatedRoster(5, place, { firstBuilding: 30 });
		lines[1] = { ...lines[1]!, area: '不知道' };
		lines[3] = { ...lines[3]!, community: '江滨社区' };
		const response = await meiling.upload('/staff/roster?_action=roster.check', utf8Csv(lines));
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain('有 2 处错误');
		expect(html).toMatch(
			/<tr data-row="3">\s*<td>3<\/td>\s*<td>建筑面积<\/td>\s*<td>面积不是数字<\/td>/,
		);
		expect(html).toContain('社区不存在或不在您的工作范围内');
		expect(html).not.toContain('name="payload"');
		expect(await households(server.url, 'dujuan')).toBe(before);
	});

	it('applies a clean roster after a check, once; the project page counts the new households', async () => {
		const before = await households(server.url, 'dujuan');
		const exported = await meiling.get('/staff/roster/export?format=csv&compound=2');
		expect(exported.status).toBe(200);
		const current = new Uint8Array(await exported.arrayBuffer());
		const extra = utf8Csv(generatedRoster(4, place, { firstBuilding: 31 }));
		// The export plus four new rows (the extra file's header line dropped).
		const added = new TextDecoder().decode(extra).split('\r\n').slice(1).join('\r\n');
		const file = new TextEncoder().encode(`${new TextDecoder().decode(current)}${added}\r\n`);
		const checked = await meiling.upload('/staff/roster?_action=roster.check', file);
		const html = await checked.text();
		expect(html).toContain('没有错误，可以导入');
		const form = {
			payload: hidden(html, 'payload'),
			planHash: hidden(html, 'planHash'),
			fileHash: hidden(html, 'fileHash'),
		};
		expect(form.payload).not.toContain('CERT'); // owner identifiers travel hashed only
		const applied = await meiling.post('/staff/roster?_action=roster.apply', form);
		expect(applied.status).toBe(303);
		expect(applied.headers.get('location')).toContain('applied=1&created=4');
		expect(await households(server.url, 'dujuan')).toBe(before + 4);
		// The same form again is refused: the data it was checked against has changed.
		const again = await meiling.post('/staff/roster?_action=roster.apply', form);
		expect(again.status).toBe(409);
		expect(await again.text()).toContain('检查之后数据有了变化');
		expect(await households(server.url, 'dujuan')).toBe(before + 4);
	});

	it('refuses oversized and hostile files with a clear message, changing nothing', async () => {
		const before = await households(server.url, 'dujuan');
		const big = await meiling.upload(
			'/staff/roster?_action=roster.check',
			new Uint8Array(rosterLimits.fileBytes + 1024).fill(0x41),
		);
		expect(await big.text()).toMatch(/文件太大/);
		const bomb = craftedZip([
			{
				name: 'xl/workbook.xml',
				data: new Uint8Array(20 * 1024 * 1024).fill(0x20),
				declaredSize: 100,
			},
		]);
		const refused = await meiling.upload('/staff/roster?_action=roster.check', bomb, 'roster.xlsx');
		expect(refused.status).toBe(400);
		expect(await refused.text()).toContain('解压后超过');
		expect(await households(server.url, 'dujuan')).toBe(before);
	});

	it('keeps scopes: another committee cannot export, view or edit 梅岭社区 households', async () => {
		const jiangbin = client(server.url);
		await jiangbin.post('/staff/login?_action=auth.staffSignIn', {
			username: 'jiangbin',
			password: STAFF_PASSWORD,
		});
		expect((await jiangbin.get('/staff/roster/export?compound=1')).status).toBe(404);
		expect((await jiangbin.get('/staff/roster/household/1')).status).toBe(404);
		const edit = await jiangbin.post('/staff/roster/household/1?_action=roster.editHousehold', {
			householdId: '1',
			floor: '1',
			area: '1.00',
			occupancy: 'vacant',
		});
		expect(edit.status).toBe(404);
		const own = await jiangbin.get('/staff/roster/export?format=csv');
		const text = new TextDecoder().decode(await own.arrayBuffer());
		expect(text).toContain('江滨社区');
		expect(text).not.toContain('梅岭社区');
	});
});

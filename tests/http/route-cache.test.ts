/**
 * Astro's route cache over HTTP (src/lib/server/pages): visitors share cached public pages; no
 * one signed in (or in large text) gets or leaves one; a command drops the pages of the project
 * it changed — not another project's — at once on the instance that ran it, and on a second
 * instance of the same PostgreSQL database as soon as the NOTIFY arrives.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPhoneJpeg } from '../factories/images.ts';
import { signInStaff, STAFF_PASSWORD, type Client } from '../helpers/http-client.ts';
import { startServer, tempDir, type RunningServer } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';

const blob = (bytes: Uint8Array, type: string) =>
	new Blob([bytes as Uint8Array<ArrayBuffer>], { type });

/** The cache's verdict and the page, as a visitor gets them. */
async function visit(base: string, p: string, headers: Record<string, string> = {}) {
	const response = await fetch(`${base}${p}`, { headers });
	return { cache: response.headers.get('x-astro-cache'), html: await response.text() };
}

/** A weekly update of the hongyan officer, its first item done; the project page shows `body`. */
async function postUpdate(officer: Client, body: string) {
	const page = await (await officer.get('/staff/progress/hongyan')).text();
	const keys = [...page.matchAll(/name="item" value="(\d+:\d+)"/g)].map((m) => m[1]!);
	const form = new FormData();
	form.set('projectId', /name="projectId" value="(\d+)"/.exec(page)![1]!);
	form.set('body', body);
	form.append(
		'photos',
		blob(await buildPhoneJpeg({ width: 800, height: 600 }), 'image/jpeg'),
		'a.jpg',
	);
	for (const [i, key] of keys.entries()) {
		form.append('item', key);
		form.append('status', i === 0 ? 'done' : 'not_started');
		form.append('percent', i === 0 ? '100' : '0');
		form.append('reason', '');
	}
	return officer.post('/staff/progress/hongyan?_action=progress.postUpdate', form);
}

describe('the route cache over HTTP', () => {
	let a: RunningServer;
	let b: RunningServer | undefined;
	let tmp: ReturnType<typeof tempDir>;
	let dropDb: (() => Promise<void>) | undefined;

	beforeAll(async () => {
		tmp = tempDir();
		const env: Record<string, string> = {
			GONGJIAN_WORKER: 'off',
			DEMO_STAFF_PASSWORD: STAFF_PASSWORD,
		};
		if (process.env.TEST_DATABASE_URL) {
			const created = await createServerDatabase();
			dropDb = created.drop;
			Object.assign(env, { DATABASE_URL: created.url, SEED_DEMO: 'empty' });
			a = await startServer(env);
			b = await startServer(env);
		} else {
			a = await startServer({ ...env, PGLITE_DIR: path.join(tmp.dir, 'pglite') });
		}
	});
	afterAll(async () => {
		await b?.stop();
		await a?.stop();
		await dropDb?.();
		tmp?.remove();
	});

	it('shares a public page among visitors, never with anyone signed in or in large text', async () => {
		await visit(a.url, '/p/dujuan/v/2');
		const hit = await visit(a.url, '/p/dujuan/v/2');
		expect(hit.cache).toBe('HIT');
		expect(hit.html).toContain('杜鹃新村');
		const signedIn = await visit(a.url, '/p/dujuan/v/2', { cookie: 'gj_session=whatever' });
		expect(signedIn.cache).toBeNull();
		const large = await visit(a.url, '/p/dujuan/v/2', { cookie: 'gj_text=large' });
		expect(large.cache).toBeNull();
		expect(large.html).toContain('class="large-text"');
		expect(hit.html).not.toContain('class="large-text"');
		const english = await visit(a.url, '/en/p/dujuan/v/2');
		expect(english.html).toContain('<html lang="en"');
	});

	it('an update to one project shows at once and leaves another project’s pages cached', async () => {
		for (const p of ['/p/hongyan', '/p/dujuan', '/']) await visit(a.url, p);
		const before = await visit(a.url, '/p/hongyan');
		expect(before.cache).toBe('HIT');
		expect(before.html).not.toContain('外墙保温完成');
		const officer = await signInStaff(a.url, 'officer');
		expect((await postUpdate(officer, '外墙保温完成')).status).toBe(303);
		const after = await visit(a.url, '/p/hongyan');
		expect(after.cache).toBe('MISS');
		expect(after.html).toContain('外墙保温完成');
		expect((await visit(a.url, '/p/dujuan')).cache).toBe('HIT');
		expect((await visit(a.url, '/')).cache).toBe('MISS');
	});

	it.runIf(process.env.TEST_DATABASE_URL)(
		'a second instance drops its copy when the first one commits (NOTIFY), within a second',
		async () => {
			const other = b!;
			await visit(other.url, '/p/hongyan');
			const cached = await visit(other.url, '/p/hongyan');
			expect(cached.cache).toBe('HIT');
			expect(cached.html).not.toContain('屋面返工');
			const officer = await signInStaff(a.url, 'officer');
			expect((await postUpdate(officer, '屋面返工')).status).toBe(303);
			const committed = performance.now();
			let seen = cached;
			while (!seen.html.includes('屋面返工') && performance.now() - committed < 5_000) {
				seen = await visit(other.url, '/p/hongyan');
			}
			const ms = performance.now() - committed;
			process.stdout.write(
				`route cache: the second instance served the change after ${ms.toFixed(0)} ms\n`,
			);
			expect(seen.html).toContain('屋面返工');
			expect(ms).toBeLessThan(1_000);
		},
	);
});

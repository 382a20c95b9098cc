import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { startServer, tempDir, type RunningServer } from '../helpers/server.ts';
import { createServerDatabase } from '../helpers/test-db.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

type Run = { code: number; stdout: string; stderr: string };

/** `npm run audit:verify -- …` (node db/audit-verify.ts) against the server's database. */
function runVerify(env: Record<string, string>, args: string[]): Promise<Run> {
	const { DATABASE_URL: _url, PGLITE_DIR: _dir, ...inherited } = process.env;
	return new Promise((resolve) => {
		execFile(
			process.execPath,
			['db/audit-verify.ts', ...args],
			{ cwd: root, env: { ...inherited, ...env }, timeout: 60_000 },
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
				resolve({ code, stdout, stderr });
			},
		);
	});
}

/** What a person copies off the page: the text of the printed anchor, and the line around it. */
function readAnchor(html: string): { anchor: string; line: string } | null {
	const match = /<p class="audit-anchor-line[^"]*"[^>]*>([\s\S]*?)<\/p>/.exec(html);
	if (!match) return null;
	const line = match[1]!
		.replace(/<[^>]+>/g, '')
		.replace(/\s+/g, ' ')
		.trim();
	const code = /<code class="audit-anchor[^"]*"[^>]*>\s*([^<]*?)\s*<\/code>/.exec(match[1]!);
	return code ? { anchor: code[1]!, line } : null;
}

/**
 * The audit chain's head is anchored outside the table (issue 20, item 8): published in full on
 * the public audit page and printed on every notice and result, in exactly the form
 * `npm run audit:verify -- --anchor` accepts; cutting the log back to before it is then caught.
 */
describe('the audit anchor on the public pages (built server)', () => {
	let server: RunningServer;
	let tmp: ReturnType<typeof tempDir>;
	let env: Record<string, string>;
	let dropDb: (() => Promise<void>) | undefined;

	beforeAll(async () => {
		tmp = tempDir();
		env = { GONGJIAN_WORKER: 'off' };
		if (process.env.TEST_DATABASE_URL) {
			const created = await createServerDatabase();
			dropDb = created.drop;
			Object.assign(env, { DATABASE_URL: created.url, SEED_DEMO: 'empty' });
		} else {
			env.PGLITE_DIR = path.join(tmp.dir, 'pglite');
		}
		server = await startServer(env, 120_000);
	}, 150_000);
	afterAll(async () => {
		await server?.stop();
		await dropDb?.();
		tmp?.remove();
	});

	const get = async (p: string) => {
		const response = await fetch(`${server.url}${p}`, { redirect: 'manual' });
		return { status: response.status, html: await response.text() };
	};

	it('prints the head on the audit page and on every notice and result; the CLI accepts it and catches a cut', async () => {
		// The seed's entries are sealed within a second of the server starting.
		let page = await get('/audit');
		for (let i = 0; i < 40 && !page.html.includes('<code class="audit-anchor'); i++) {
			await new Promise((resolve) => setTimeout(resolve, 250));
			page = await get('/audit');
		}
		expect(page.status).toBe(200);
		expect(page.html).toContain('操作记录公示');
		const published = /<code class="audit-anchor[^"]*"[^>]*>\s*([^<]*?)\s*<\/code>/.exec(
			page.html,
		)?.[1];
		expect(published).toMatch(/^[0-9a-f]{64}@\d+$/);
		const seq = Number(published!.split('@')[1]);
		expect(page.html).toContain(`npm run audit:verify -- --anchor ${published}`);
		// Its time, in China time, next to the seq.
		expect(page.html).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[^"]+"[^>]*>\d{4}年/);
		const en = await get('/en/audit');
		expect(en.html).toContain('Current anchor (hash@sequence)');
		expect(en.html).toContain(published);

		// The printable notices and results carry an anchor too, with seq and China time.
		const printed: string[] = [];
		const plan = await get('/p/dujuan/v/2/notice');
		expect(plan.status).toBe(200);
		printed.push(plan.html);
		const seen = { roundNotice: 0, roundResults: 0, call: 0, survey: 0 };
		for (let id = 1; id <= 12; id++) {
			const notice = await get(`/rounds/${id}/notice`);
			if (notice.status === 200) {
				printed.push(notice.html);
				if (notice.html.includes('class="round-notice')) seen.roundNotice++;
				else seen.call++;
			}
			const results = await get(`/rounds/${id}/results`);
			if (results.status === 200 && results.html.includes('class="audit-anchor-line')) {
				printed.push(results.html);
				seen.roundResults++;
			}
			const survey = await get(`/surveys/${id}/results`);
			if (survey.status === 200) {
				printed.push(survey.html);
				seen.survey++;
			}
		}
		expect(seen.roundNotice).toBeGreaterThan(0);
		expect(seen.roundResults).toBeGreaterThan(0);
		expect(seen.call).toBeGreaterThan(0);
		expect(seen.survey).toBeGreaterThan(0);
		const anchors = printed.map((html) => readAnchor(html));
		for (const found of anchors) {
			expect(found?.anchor).toMatch(/^[0-9a-f]{64}@\d+$/);
			expect(found!.line).toMatch(
				/^审计链锚点： [0-9a-f]{64}@(\d+) （第 \1 条，\d{4}年\d+月\d+日 \d\d:\d\d）/,
			);
		}
		const planEn = readAnchor((await get('/en/p/dujuan/v/2/notice')).html);
		expect(planEn?.line).toMatch(/^Audit chain anchor: [0-9a-f]{64}@(\d+) \(entry \1, /);

		// The CLI reads its own database: stop the server (a PGlite folder has one owner).
		expect(await server.stop()).toBe(0);
		const printedAnchor = anchors[0]!.anchor;
		for (const anchor of [published!, printedAnchor]) {
			const run = await runVerify(env, ['--anchor', anchor]);
			expect(run.stdout).toContain(`anchor seq ${anchor.split('@')[1]} holds`);
			expect(run.code).toBe(0);
		}

		// The database owner cuts the log back to before the published head, triggers off: the
		// chain alone still verifies; the anchor copied off the page does not.
		const handle = await openDatabase(
			env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { pgliteDir: env.PGLITE_DIR! },
		);
		try {
			await handle.db.transaction(async (tx) => {
				await tx.execute(sql`alter table audit_log
					disable trigger audit_log_append_only, disable trigger audit_log_seal_only`);
				await tx.execute(sql`delete from audit_log where seq >= ${seq}`);
				await tx.execute(sql`alter table audit_log
					enable trigger audit_log_append_only, enable trigger audit_log_seal_only`);
			});
		} finally {
			await handle.close();
		}
		const plain = await runVerify(env, []);
		expect(plain.stdout).toContain('chain intact');
		expect(plain.code).toBe(0);
		const anchored = await runVerify(env, ['--anchor', published!]);
		expect(anchored.stdout).toMatch(/chain broken at entry #\d+ \(anchor_missing\)/);
		expect(anchored.code).toBe(1);
	}, 180_000);
});

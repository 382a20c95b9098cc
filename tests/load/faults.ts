/**
 * `npm run test:faults`: the app under the load mix while things break, on a PostgreSQL cluster
 * of its own (port 5499, created and dropped here, so nobody else's database restarts):
 * 1. kill -9 of the server mid-load, restarted on the same port: no acknowledged opinion,
 *    reaction or ballot lost; no half-written row (counters, ballot revisions, tallies against
 *    a recount, the audit chain).
 * 2. PostgreSQL stopped for some seconds mid-load: meanwhile the app answers 503 with
 *    Retry-After (never another 5xx), and serves again by itself once the database is back.
 * 3. A failed image write (the disk is full when the rendering row is written, or when the
 *    image variants are): the upload fails and leaves no orphan image or variant row.
 * Writes tests/.output/faults.md (and faults.json, its checks, for `npm test`). Needs root
 * (pg_createcluster), as here and in CI. LOAD_PROFILE=ci (as `npm test` runs it) shortens each
 * scenario (fewer connections and residents, PostgreSQL down for 3 s) and asserts the same.
 */
import postgres from 'postgres';
import { openDatabase } from '../../db/client.ts';
import { createSession } from '../../src/lib/server/auth/sessions.ts';
import { buildIfNeeded } from '../../src/build-if-needed.ts';
import { buildImage } from '../factories/images.ts';
import { createPlanVersion } from '../factories/plans.ts';
import { freePort, type RunningServer } from '../helpers/server.ts';
import { runLoad, summarise, type LoadStats } from './driver.ts';
import { loadProfile, log, runScript, startApp, writeReport, type Check } from './harness.ts';
import { activeMix, type Ack, type MixState } from './mix.ts';
import { ensureCluster, type Cluster } from './pg-cluster.ts';
import { prepareDemoDatabase } from './prepare.ts';
import { verifyRun, type Verification } from './verify.ts';
import { prepareWorld, type LoadWorld } from './world.ts';

const say = log('faults');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ci = loadProfile() === 'ci';
const CONNECTIONS = Number(process.env.FAULT_CONNECTIONS ?? (ci ? 8 : 16));
/** Seconds of each scenario: the whole run, when the fault starts, how long PostgreSQL is down. */
const timing = ci
	? { killRun: 9, killAt: 3, dbRun: 12, downAt: 3, down: 3 }
	: { killRun: 16, killAt: 5, dbRun: 20, downAt: 5, down: 4 };
/** One mix state and every acknowledgement across the scenarios (they share a world). */
const shared: { state: MixState; acks: Ack[] } = {
	state: { seq: 0, reacted: new Set() },
	acks: [],
};

type Outcome = { checks: Check[]; section: string[] };

function verificationLine(v: Verification): string {
	return (
		`acknowledged ${v.acknowledged.opinion} opinions, ${v.acknowledged.meToo} reactions, ${v.acknowledged.ballot} ballot revisions, ${v.acknowledged.survey} survey answers; ` +
		`lost ${v.lost.length}${v.lost.length ? ` (${v.lost.slice(0, 3).join('; ')})` : ''}; ` +
		`${v.unacknowledged} stored without an answer; ` +
		`${v.problems.length ? `PROBLEMS: ${v.problems.slice(0, 5).join('; ')}` : 'no half-written row (counters, revisions, tallies, audit chain)'}`
	);
}

/** Per-second answers during a run: ok / 4xx / 503 (with Retry-After) / other 5xx / dropped. */
function timeline(stats: LoadStats, marks: Record<number, string>): string {
	const seconds = Math.ceil(stats.seconds);
	const lines = [
		'| second | 2xx/3xx | 4xx | 503 (Retry-After) | other 5xx | dropped | event |',
		'| ---: | ---: | ---: | ---: | ---: | ---: | --- |',
	];
	for (let s = 0; s < seconds; s++) {
		const in_ = stats.samples.filter((x) => x.second === s);
		const c = (f: (x: (typeof in_)[number]) => boolean) => in_.filter(f).length;
		const s503 = c((x) => x.status === 503);
		const retry = c((x) => x.status === 503 && x.retryAfter);
		lines.push(
			`| ${s} | ${c((x) => x.status >= 200 && x.status < 400)} | ${c((x) => x.status >= 400 && x.status < 500)} | ${s503}${s503 ? ` (${retry})` : ''} | ${c((x) => x.status >= 500 && x.status !== 503)} | ${c((x) => x.status === 0)} | ${marks[s] ?? ''} |`,
		);
	}
	return lines.join('\n');
}

async function killDuringLoad(
	url: string,
	world: LoadWorld,
	sql: postgres.Sql,
	stops: (() => Promise<unknown>)[],
): Promise<Outcome> {
	const { rows, inactive } = activeMix(world);
	const port = await freePort();
	let app: RunningServer = await startApp(url, { PORT: String(port) });
	stops.push(() => app.stop());
	const started = performance.now();
	const load = runLoad([app.url], world, rows, inactive, {
		connections: CONNECTIONS,
		seconds: timing.killRun,
		state: shared.state,
	});
	await sleep(timing.killAt * 1000);
	const killedAt = Math.floor((performance.now() - started) / 1000);
	app.process.kill('SIGKILL');
	await sleep(500);
	const t = performance.now();
	app = await startApp(url, { PORT: String(port) });
	const restartMs = Math.round(performance.now() - t);
	const backAt = Math.floor((performance.now() - started) / 1000);
	const stats = await load;
	shared.acks.push(...stats.acks);
	const v = await verifyRun(sql, url, world, shared.acks);
	const all = summarise(stats).at(-1)!;
	const checks: Check[] = [
		{
			name: 'kill -9 under load: no acknowledged write lost',
			ok: v.lost.length === 0,
			detail: `${v.lost.length} lost of ${stats.acks.length} acknowledged in this run`,
		},
		{
			name: 'kill -9 under load: no half-written row',
			ok: v.problems.length === 0,
			detail: v.problems.slice(0, 3).join('; ') || 'counters, revisions, tallies, audit chain',
		},
		{
			name: 'kill -9 under load: no 5xx before or after the restart',
			ok: all.serverErrors === 0,
			detail: `${all.serverErrors} 5xx; restarted in ${restartMs} ms`,
		},
	];
	const ok = checks.every((c) => c.ok);
	return {
		checks,
		section: [
			'## 1. kill -9 of the server under load',
			'',
			`Killed at ${killedAt} s with ${CONNECTIONS} connections busy; restarted on the same port, ready after ${restartMs} ms (at ${backAt} s).`,
			'',
			timeline(stats, { [killedAt]: 'SIGKILL', [backAt]: 'ready again' }),
			'',
			`Result: ${verificationLine(v)}; ${all.serverErrors} 5xx. ${ok ? 'passed' : 'FAILED'}.`,
		],
	};
}

async function restartDatabaseDuringLoad(
	url: string,
	world: LoadWorld,
	sql: postgres.Sql,
	cluster: Cluster,
	stops: (() => Promise<unknown>)[],
): Promise<Outcome> {
	const { rows, inactive } = activeMix(world);
	const app = await startApp(url);
	stops.push(() => app.stop());
	const pid = app.process.pid;
	const started = performance.now();
	const load = runLoad([app.url], world, rows, inactive, {
		connections: CONNECTIONS,
		seconds: timing.dbRun,
		state: shared.state,
	});
	await sleep(timing.downAt * 1000);
	const downAt = Math.floor((performance.now() - started) / 1000);
	cluster.stop('fast');
	await sleep(timing.down * 1000);
	const readyDuring = await fetch(`${app.url}/readyz`)
		.then((r) => `${r.status} Retry-After ${r.headers.get('retry-after')}`)
		.catch(
			(error: Error) =>
				`no answer (${error.message}; server ${app.process.exitCode === null ? 'running' : `exited ${app.process.exitCode}`})`,
		);
	cluster.start();
	const upAtMs = performance.now() - started;
	const upAt = Math.floor(upAtMs / 1000);
	const stats = await load;
	// Recovery without a restart: the same process serves the home page again.
	let recoveredMs: number | null = null;
	for (let i = 0; i < 60 && recoveredMs === null; i++) {
		const status = await fetch(`${app.url}/p/hongyan`, {
			headers: { cookie: world.residents[0]!.cookie },
		})
			.then((r) => r.status)
			.catch(() => 0);
		if (status === 200) recoveredMs = performance.now() - started - upAtMs;
		else await sleep(500);
	}
	await sql`select 1`.catch(() => {});
	shared.acks.push(...stats.acks);
	const v = await verifyRun(sql, url, world, shared.acks);
	const other5xx = stats.samples.filter((s) => s.status >= 500 && s.status !== 503).length;
	const unavailable = stats.samples.filter((s) => s.status === 503);
	const withoutRetry = unavailable.filter((s) => !s.retryAfter).length;
	const recovered = stats.samples.filter((s) => s.at > upAtMs && s.status >= 200 && s.status < 400);
	const firstOk = recovered.length ? Math.min(...recovered.map((s) => s.at)) - upAtMs : recoveredMs;
	const sameProcess = app.process.pid === pid && app.process.exitCode === null;
	const checks: Check[] = [
		{
			name: 'PostgreSQL down: 503 with Retry-After meanwhile',
			ok: unavailable.length > 0 && withoutRetry === 0,
			detail: `${unavailable.length} answers 503, ${withoutRetry} without Retry-After; /readyz ${readyDuring}`,
		},
		{
			name: 'PostgreSQL down: no other 5xx',
			ok: other5xx === 0,
			detail: `${other5xx} other 5xx`,
		},
		{
			name: 'PostgreSQL back: serves again by itself, without a restart',
			ok: recoveredMs !== null && sameProcess,
			detail: `recovered: ${recoveredMs === null ? 'never' : `${(recoveredMs / 1000).toFixed(1)} s after`}; same process: ${sameProcess}`,
		},
		{
			name: 'PostgreSQL restart: nothing acknowledged lost, no half-written row',
			ok: v.lost.length === 0 && v.problems.length === 0,
			detail: `${v.lost.length} lost; ${v.problems.slice(0, 3).join('; ') || 'consistent'}`,
		},
	];
	const ok = checks.every((c) => c.ok);
	return {
		checks,
		section: [
			'## 2. PostgreSQL stopped under load',
			'',
			`Stopped (fast) at ${downAt} s, started again at ${upAt} s (down ${upAt - downAt} s); /readyz meanwhile: ${readyDuring}.`,
			'',
			timeline(stats, { [downAt]: 'PostgreSQL stopped', [upAt]: 'PostgreSQL started' }),
			'',
			`503 answers: ${unavailable.length} (${withoutRetry} without Retry-After); other 5xx: ${other5xx}; ` +
				`first success ${firstOk === null ? 'never' : `${(firstOk / 1000).toFixed(1)} s`} after PostgreSQL was back (postgres.js's reconnect back-off); ` +
				`serving again without a restart: ${recoveredMs === null ? 'NO' : 'yes'}; same process throughout: ${app.process.pid === pid && app.process.exitCode === null ? 'yes' : 'NO'}.`,
			`Writes: ${verificationLine(v)}. ${ok ? 'passed' : 'FAILED'}.`,
			...(app.process.exitCode === null
				? []
				: ['', 'The server exited; its last output:', '```', app.output().slice(-3000), '```']),
		],
	};
}

async function failedImageWrite(url: string, sql: postgres.Sql): Promise<Outcome> {
	const handle = await openDatabase({ databaseUrl: url, poolMax: 2 });
	const app = await startApp(url);
	try {
		const [officer] = await sql<{ id: string }[]>`select id from users where username = 'officer'`;
		const [hongyan] = await sql<{ id: number }[]>`select id from projects where slug = 'hongyan'`;
		const { token } = await createSession(handle.db, officer!.id, 1);
		const draft = await createPlanVersion(handle.db, { projectId: hongyan!.id, status: 'draft' });
		const images = [
			await buildImage('jpeg', { width: 800, height: 600 }),
			await buildImage('jpeg', { width: 640, height: 480, noise: true }),
		];
		const counts = async () => {
			const [row] = await sql<{ images: number; variants: number; renderings: number }[]>`
				select (select count(*)::int from images) as images,
				       (select count(*)::int from image_variants) as variants,
				       (select count(*)::int from renderings) as renderings`;
			return row!;
		};
		const upload = async () => {
			const form = new FormData();
			form.append('versionId', String(draft.id));
			form.append('caption', '磁盘已满时的效果图');
			for (const [i, name] of ['before', 'after'].entries())
				form.append(
					name,
					new File([new Uint8Array(images[i]!)], `${name}.jpg`, { type: 'image/jpeg' }),
				);
			const response = await fetch(`${app.url}/_actions/plans.addRendering`, {
				method: 'POST',
				body: form,
				headers: { origin: app.url, cookie: `gj_session=${token}` },
			});
			return response.status;
		};
		// A disk-full error opens the app's one-second breaker (503 at once, no database work):
		// each upload waits until a page is served again, so that it really reaches the write.
		// Signed in, so the page is rendered, not served from the visitors' route cache.
		const serving = async () => {
			for (let i = 0; i < 40; i++) {
				const status = await fetch(`${app.url}/p/hongyan`, {
					headers: { cookie: `gj_session=${token}` },
				})
					.then((r) => r.status)
					.catch(() => 0);
				if (status === 200) return;
				await sleep(250);
			}
			throw new Error('faults: the app did not serve again after a disk-full error');
		};
		// The trigger counts its firings in a sequence (nextval survives the rollback), so each
		// case shows that the write was attempted and refused, not skipped.
		await sql.unsafe('create sequence if not exists gj_test_disk_full_hits');
		await sql.unsafe(`create or replace function gj_test_disk_full() returns trigger language plpgsql as $$
			begin
				perform nextval('gj_test_disk_full_hits');
				raise exception using errcode = '53100', message = 'could not extend file: No space left on device';
			end $$`);
		const hits = async () => {
			const [row] = await sql<{ n: string; called: boolean }[]>`
				select last_value::text as n, is_called as called from gj_test_disk_full_hits`;
			return row!.called ? Number(row!.n) : 0;
		};
		const lines: string[] = [];
		const checks: Check[] = [];
		for (const table of ['renderings', 'image_variants', 'images']) {
			await serving();
			const before = await counts();
			const fired = await hits();
			await sql.unsafe(
				`create trigger gj_test_disk_full before insert on ${table} for each row execute function gj_test_disk_full()`,
			);
			const status = await upload().finally(() =>
				sql.unsafe(`drop trigger if exists gj_test_disk_full on ${table}`),
			);
			const after = await counts();
			const reached = (await hits()) > fired;
			const clean = JSON.stringify(before) === JSON.stringify(after) && status >= 400;
			checks.push({
				name: `disk full while writing ${table}: upload refused, no orphan row`,
				ok: clean && reached,
				detail: `HTTP ${status}; the write ${reached ? 'reached' : 'did NOT reach'} ${table}; rows before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`,
			});
			lines.push(
				`| disk full while writing \`${table}\` | ${status} | ${after.images - before.images} | ${after.variants - before.variants} | ${after.renderings - before.renderings} | ${!reached ? 'NOT REACHED' : clean ? 'clean' : 'ORPHANS'} |`,
			);
		}
		await serving();
		const before = await counts();
		const status = await upload();
		const after = await counts();
		const stored =
			status === 200 &&
			after.renderings === before.renderings + 1 &&
			after.images === before.images + 2;
		checks.push({
			name: 'the same upload with room on disk is stored',
			ok: stored,
			detail: `HTTP ${status}; ${after.renderings - before.renderings} rendering, ${after.images - before.images} images`,
		});
		const ok = checks.every((c) => c.ok);
		lines.push(
			`| the same upload with room on disk | ${status} | ${after.images - before.images} | ${after.variants - before.variants} | ${after.renderings - before.renderings} | ${stored ? 'stored' : 'NOT STORED'} |`,
		);
		await sql.unsafe('drop function if exists gj_test_disk_full()');
		await sql.unsafe('drop sequence if exists gj_test_disk_full_hits');
		return {
			checks,
			section: [
				'## 3. A failed image write',
				'',
				'A trigger raises SQLSTATE 53100 (disk full) on one table while an officer uploads a before/after pair (each upload waits until the app serves again, so it reaches the write; the trigger counts that it fired).',
				'',
				'| case | HTTP | images Δ | variants Δ | renderings Δ | outcome |',
				'| --- | ---: | ---: | ---: | ---: | --- |',
				...lines,
				'',
				ok ? 'Result: passed (a failed write leaves no row behind).' : 'Result: FAILED.',
			],
		};
	} finally {
		await app.stop();
		await handle.close();
	}
}

await runScript('faults', async (stops) => {
	if (!buildIfNeeded(say)) throw new Error('faults: astro build failed');
	const cluster = ensureCluster('gjfaults', 5499);
	stops.push(async () => cluster.drop());
	const admin = postgres(cluster.url('postgres'), { max: 1, onnotice: () => {} });
	await admin.unsafe('drop database if exists gj_faults with (force)');
	await admin.unsafe('create database gj_faults');
	await admin.end();
	const url = cluster.url('gj_faults');
	await prepareDemoDatabase(url, say);
	const sql = postgres(url, { max: 2, onnotice: () => {} });
	stops.push(() => sql.end());
	const world = await prepareWorld(sql, Number(process.env.LOAD_RESIDENTS ?? (ci ? 200 : 500)));
	say(
		`${world.residents.length} residents; ballot hook ${world.ballot ? `active (round ${world.ballot.roundId})` : 'inactive'}`,
	);

	const results = [];
	say('1. kill -9 under load');
	results.push(await killDuringLoad(url, world, sql, stops));
	say('2. PostgreSQL restart under load');
	results.push(await restartDatabaseDuringLoad(url, world, sql, cluster, stops));
	say('3. failed image write');
	results.push(await failedImageWrite(url, sql));
	writeReport('faults', 'Faults', [
		`Mix as test:load with ${CONNECTIONS} connections, ${world.residents.length} residents, PostgreSQL ${cluster.version} cluster "${cluster.name}" on port ${cluster.port}.`,
		'',
		...results.flatMap((r) => [...r.section, '']),
	]);
	return results.flatMap((r) => r.checks);
});

/**
 * `npm run test:scale`: two app instances on two ports behind nginx on one PostgreSQL, as the
 * production layout (README, Production). Checks that what must be shared is shared — a session
 * signed in on one instance works on the other, rate limits count across both, notifications
 * and their read state are the same on both, image URLs answer the same bytes on both — then
 * measures the load mix (tests/load/mix.ts) against a bare Node baseline, one instance, one
 * instance behind nginx and two behind nginx, with CPU seconds per component to name the
 * bottleneck. SCALE_SECONDS (20) per run. Writes tests/.output/scale.md (and scale.json, its
 * checks, for `npm test`). Loopback only. Needs Debian's nginx (`apt-get install nginx`; .ci/run
 * installs it): without it the script skips with one line, except under CI=true where that fails.
 * LOAD_PROFILE=ci (as `npm test` runs it): the same checks, 4 s per throughput run, on a small
 * city set in a throwaway database.
 */
import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { openDatabase } from '../../db/client.ts';
import { hashPassword } from '../../src/lib/server/auth/passwords.ts';
import { prepareImage, savePreparedImage } from '../../src/lib/server/images/store.ts';
import { buildImage } from '../factories/images.ts';
import { startBareServer } from '../bench/servers.ts';
import { freePort, type RunningServer } from '../helpers/server.ts';
import { measureCpu, postgresPids } from './cpu.ts';
import { runLoad, summarise, type Summary } from './driver.ts';
import {
	loadProfile,
	log,
	prepareDataSet,
	runScript,
	settings,
	skipScript,
	startApp,
	writeReport,
	type Check,
} from './harness.ts';
import { activeMix, type Ack, type MixState } from './mix.ts';
import { hasNginx, NGINX, startProxy, type Proxy } from './nginx.ts';
import { verifyRun } from './verify.ts';
import { prepareWorld, type LoadWorld } from './world.ts';

const say = log('scale');
const ci = loadProfile() === 'ci';
const SECONDS = Number(process.env.SCALE_SECONDS ?? (ci ? 4 : 20));
const WARMUP_SECONDS = ci ? 1 : 3;

function form(
	base: string,
	path: string,
	fields: Record<string, string>,
	headers: Record<string, string> = {},
) {
	return fetch(base + path, {
		method: 'POST',
		redirect: 'manual',
		body: new URLSearchParams(fields),
		headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', ...headers },
	});
}
const sessionOf = (r: Response) =>
	r.headers
		.getSetCookie()
		.find((l) => l.startsWith('gj_session='))
		?.split(';')[0] ?? null;

/** The URL of a stored image variant, storing one first if the data set has none. */
async function anyImageUrl(sql: postgres.Sql, databaseUrl: string): Promise<string> {
	const find = () =>
		sql<{ hash: string; format: string }[]>`select hash, format::text from image_variants limit 1`;
	let [variant] = await find();
	if (!variant) {
		const handle = await openDatabase({ databaseUrl, poolMax: 1 });
		try {
			const prepared = await prepareImage(
				new Uint8Array(await buildImage('jpeg', { width: 640, height: 480 })),
			);
			await handle.db.transaction((tx) => savePreparedImage(tx, null, prepared));
		} finally {
			await handle.close();
		}
		[variant] = await find();
	}
	return `/images/${variant!.hash}.${variant!.format === 'jpeg' ? 'jpg' : variant!.format}`;
}

/** What must not live in one process: sessions, rate limits, notifications, image URLs. */
async function sharedStateChecks(
	sql: postgres.Sql,
	databaseUrl: string,
	a: RunningServer,
	b: RunningServer,
	world: LoadWorld,
): Promise<Check[]> {
	const checks: Check[] = [];
	// A resident with a password (AUTH_MODE=password) signs in on A and browses on B.
	const phone = `139${String(Date.now()).slice(-8)}`;
	const userId = randomUUID();
	await sql`insert into users (id, kind, phone, password_hash)
		values (${userId}, 'resident', ${`+86${phone}`}, ${await hashPassword('scale test password')})`;
	const signIn = await form(a.url, '/login?_action=auth.passwordSignIn', {
		phone,
		password: 'scale test password',
	});
	const cookie = sessionOf(signIn);
	const onB = cookie
		? await fetch(`${b.url}/account`, { redirect: 'manual', headers: { cookie } })
		: null;
	checks.push({
		name: 'a session signed in on A is valid on B',
		ok: onB?.status === 200,
		detail: `sign-in on A ${signIn.status}, /account on B ${onB?.status ?? 'no cookie'}`,
	});
	if (cookie) await form(b.url, '/logout?_action=auth.signOut', {}, { cookie });
	const afterOut = cookie
		? await fetch(`${a.url}/account`, { redirect: 'manual', headers: { cookie } })
		: null;
	checks.push({
		name: 'signing out on B ends the session on A',
		ok: afterOut?.status === 303,
		detail: `/account on A after sign-out on B: ${afterOut?.status}`,
	});
	// Wrong passwords for one account, alternating instances: the limit (10 per 15 min) is shared.
	let limitedAt = 0;
	for (let i = 1; i <= 14 && !limitedAt; i++) {
		const target = i % 2 ? a : b;
		const r = await form(
			target.url,
			'/_actions/auth.passwordSignIn',
			{ phone, password: `wrong ${i}` },
			{
				'x-forwarded-for': `10.88.0.${i}`,
			},
		);
		if (r.status === 429) limitedAt = i;
	}
	checks.push({
		name: 'rate limits count across both instances',
		// The sign-in above counts too; per-instance limits would first refuse at attempt 21.
		ok: limitedAt > 0 && limitedAt <= 11,
		detail: `10 attempts per account and 15 min, alternating A/B after one sign-in: refused at attempt ${limitedAt || 'never (14 tried)'}`,
	});
	// A notification (as the app writes it) shows on both; marking it read on A shows on B.
	const resident = world.residents[0]!;
	await sql`insert into notifications (user_id, kind, params, link) values (${resident.userId}, 'scale.test', '{}', '/')`;
	const unread = async (server: RunningServer) =>
		(
			await (
				await fetch(`${server.url}/account/notifications`, { headers: { cookie: resident.cookie } })
			).text()
		).match(/<li class="[^"]*\bunread\b/g)?.length ?? 0;
	const [ua, ub] = [await unread(a), await unread(b)];
	await form(
		a.url,
		'/account/notifications?_action=notifications.markAllRead',
		{},
		{ cookie: resident.cookie },
	);
	const [ra, rb] = [await unread(a), await unread(b)];
	checks.push({
		name: 'notifications and their read state are the same on both',
		ok: ua > 0 && ua === ub && ra === 0 && rb === 0,
		detail: `unread on A/B ${ua}/${ub}; after "mark all read" on A: ${ra}/${rb}`,
	});
	// Image variant URLs are content hashes served from PostgreSQL: same bytes on both.
	const image = await anyImageUrl(sql, databaseUrl);
	const bytes = async (server: RunningServer) => {
		const response = await fetch(server.url + image);
		return response.ok ? Buffer.from(await response.arrayBuffer()) : Buffer.alloc(0);
	};
	const [ia, ib] = [await bytes(a), await bytes(b)];
	checks.push({
		name: 'image URLs answer the same bytes on both',
		ok: ia.length > 0 && ia.equals(ib),
		detail: `${image.slice(0, 20)}…: ${ia.length} B on A, ${ib.length} B on B, identical: ${ia.equals(ib)}`,
	});
	return checks;
}

/** Acknowledged writes of every app run (the bare baseline acknowledges nothing real). */
const acks: Ack[] = [];

type Measured = Summary & { label: string; cpu: ReturnType<ReturnType<typeof measureCpu>['stop']> };

async function measure(
	label: string,
	targets: string[],
	world: LoadWorld,
	state: MixState,
	cpuGroups: Record<string, () => number[]>,
	connections: number,
): Promise<Measured> {
	const { rows, inactive } = activeMix(world);
	await runLoad(targets, world, rows, inactive, { connections, seconds: WARMUP_SECONDS, state });
	const cpu = measureCpu(cpuGroups);
	const stats = await runLoad(targets, world, rows, inactive, {
		connections,
		seconds: SECONDS,
		state,
	});
	if (!label.startsWith('bare')) acks.push(...stats.acks);
	const all = summarise(stats).at(-1)!;
	say(
		`${label}: ${Math.round(all.rps)} req/s, p95 ${all.p95.toFixed(0)} ms, ${all.serverErrors} 5xx`,
	);
	return { ...all, label, cpu: cpu.stop() };
}

if (!hasNginx() && process.env.CI !== 'true') {
	skipScript('scale', `no nginx at ${NGINX} (apt-get install nginx, or set NGINX_PATH)`);
	process.exit(0);
}

await runScript('scale', async (stops) => {
	if (!hasNginx()) throw new Error(`no nginx at ${NGINX}, and CI=true requires the scale test`);
	const options = settings();
	const data = await prepareDataSet(say);
	stops.push(() => data.close());
	const world = await prepareWorld(data.sql, options.residents);
	const state: MixState = { seq: 0, reacted: new Set() };
	const env = { TRUST_PROXY: 'true' };
	const a = await startApp(data.url, env);
	stops.push(() => a.stop());
	const b = await startApp(data.url, env);
	stops.push(() => b.stop());
	const checks = await sharedStateChecks(data.sql, data.url, a, b, world);
	for (const c of checks) say(`${c.ok ? 'ok' : 'FAILED'}: ${c.name} (${c.detail})`);

	const homeHtml = await (await fetch(`${a.url}/`)).text();
	const { writeFileSync } = await import('node:fs');
	const htmlFile = `${process.env.TMPDIR ?? '/tmp'}/gj-scale-home-${process.pid}.html`;
	writeFileSync(htmlFile, homeHtml);
	const bare = await startBareServer('static', { BENCH_HTML_FILE: htmlFile });
	stops.push(bare.stop);
	const one: Proxy = await startProxy(await freePort(), [a.url]);
	stops.push(() => one.stop());
	const two: Proxy = await startProxy(await freePort(), [a.url, b.url]);
	stops.push(() => two.stop());
	const groups = (proxy: Proxy | null) => ({
		'app A': () => [a.process.pid!],
		'app B': () => [b.process.pid!],
		nginx: () => (proxy ? proxy.pid() : []),
		PostgreSQL: postgresPids,
	});
	const c = options.connections;
	const runs: Measured[] = [];
	runs.push(
		await measure('bare Node http (static home page)', [bare.url], world, state, groups(null), c),
	);
	runs.push(await measure('1 instance, direct', [a.url], world, state, groups(null), c));
	runs.push(await measure('1 instance behind nginx', [one.url], world, state, groups(one), c));
	runs.push(await measure('2 instances behind nginx', [two.url], world, state, groups(two), c));
	const base = runs[1]!.rps;
	const ratio = runs[3]!.rps / base;
	// Everything the app acknowledged in all runs is in the database.
	const verification = await verifyRun(data.sql, data.url, world, acks);
	const cpuCols = ['app A', 'app B', 'nginx', 'PostgreSQL'];
	const table = [
		`| setup | req/s | vs 1 instance | p50 ms | p95 ms | p99 ms | 5xx | dropped | CPU s: ${cpuCols.join(' / ')} / load driver | machine busy |`,
		'| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
		...runs.map(
			(r) =>
				`| ${r.label} | ${Math.round(r.rps)} | ${(r.rps / base).toFixed(2)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.serverErrors} | ${r.dropped} | ${cpuCols.map((k) => r.cpu.groups[k]!.toFixed(1)).join(' / ')} / ${r.cpu.driver.toFixed(1)} | ${Math.round(r.cpu.machineBusy * 100)} % |`,
		),
	].join('\n');
	if (runs.some((r) => r.serverErrors > 0)) {
		const { writeFileSync } = await import('node:fs');
		writeFileSync('tests/.output/scale-server-a.log', a.output());
		writeFileSync('tests/.output/scale-server-b.log', b.output());
	}
	const appRuns = runs.slice(1);
	const no5xx = appRuns.every((r) => r.serverErrors === 0 && r.dropped === 0);
	const busy = runs[3]!.cpu.machineBusy;
	// CPU per request of one instance (app + proxy + PostgreSQL + driver): the ceiling two cores allow.
	const single = runs[1]!;
	const cpuMs =
		((Object.values(single.cpu.groups).reduce((x, y) => x + y, 0) + single.cpu.driver) * 1000) /
		Math.max(1, single.requests);
	const cores = (await import('node:os')).cpus().length;
	const ceiling = (cores * 1000) / cpuMs / Math.max(1, single.rps);
	writeReport('scale', 'Scale-out', [
		`Mix as test:load (${activeMix(world)
			.rows.map((r) => r.name)
			.join(
				', ',
			)}), ${c} connections, ${SECONDS} s per run after a ${WARMUP_SECONDS} s warm-up, ${world.residents.length} residents, on the ${ci ? 'small city set of the ci profile' : 'city-scale data set'}; nginx ${'1 worker'}, upstream keep-alive.`,
		'',
		'## Shared state across instances',
		'',
		'| check | result | detail |',
		'| --- | --- | --- |',
		...checks.map((ch) => `| ${ch.name} | ${ch.ok ? 'ok' : 'FAILED'} | ${ch.detail} |`),
		'',
		'## Throughput',
		'',
		table,
		'',
		`Two instances reach ${ratio.toFixed(2)}× one instance (target 1.6×). ` +
			(ratio >= 1.6
				? 'Target met.'
				: `Target not met, and the measurement says why: a request of this mix costs ${cpuMs.toFixed(1)} ms of CPU in total ` +
					`(app ${((single.cpu.groups['app A']! * 1000) / Math.max(1, single.requests)).toFixed(1)} ms, PostgreSQL ${((single.cpu.groups.PostgreSQL! * 1000) / Math.max(1, single.requests)).toFixed(1)} ms), ` +
					`so one instance already keeps ${((single.cpu.groups['app A']! + single.cpu.groups.PostgreSQL!) / SECONDS).toFixed(2)} of the ${cores} cores busy and the most any number of instances could reach here is ` +
					`${ceiling.toFixed(2)}× one instance; the machine was ${Math.round(busy * 100)} % busy during the two-instance run (other processes on it included). ` +
					'App instances share nothing but PostgreSQL, so on separate hosts (the production layout) throughput grows with instances until PostgreSQL saturates.'),
		'',
		`Writes: ${verification.lost.length === 0 ? 'nothing acknowledged was lost' : `${verification.lost.length} LOST`}; ${verification.problems.length ? verification.problems.join('; ') : 'no half-written row'}.`,
	]);
	return [
		...checks,
		{
			name: 'no 5xx or dropped connection, direct or through nginx',
			ok: no5xx,
			detail: appRuns
				.map((r) => `${r.label}: ${r.serverErrors} 5xx, ${r.dropped} dropped`)
				.join('; '),
		},
		{
			name: 'every acknowledged write is stored, no half-written row',
			ok: verification.lost.length === 0 && verification.problems.length === 0,
			detail: `${verification.lost.length} lost of ${acks.length}; ${verification.problems.slice(0, 3).join('; ') || 'consistent'}`,
		},
	];
});

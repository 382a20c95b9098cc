/**
 * `npm run test:failover`: the app survives losing its database server (issue 25).
 *
 * Two PostgreSQL clusters of our own (created and dropped here; the machine's 5432 server is
 * never touched): a primary with a synchronous standby (`synchronous_commit = on`,
 * `synchronous_standby_names`) and WAL archiving to a folder, and the standby made from a base
 * backup (`pg_basebackup -R`). The app connects with one URL naming both hosts and
 * `target_session_attrs=primary`, so it finds whichever is not a standby. (postgres.js 3.4.9's
 * `read-write` looks only at `default_transaction_read_only`, which a hot standby reports as
 * off: it would settle on the standby before the promotion.)
 *
 * 1. Failover: under the load mix (ballots, opinions, reactions, page reads) the primary is
 *    killed with `kill -9`; after a pause the standby is promoted (`pg_ctlcluster … promote`,
 *    standing in for the orchestrator, which also drops the synchronous-standby requirement of
 *    the promoted server: it has no standby of its own). Checked: every write the app
 *    acknowledged is on the new primary, tallies equal a recount, the audit chain verifies;
 *    meanwhile writes get 503 with Retry-After and no other 5xx; writes resume within 15 s of
 *    the promotion, by themselves, in the same server process.
 * 2. Point-in-time recovery: from the base backup and the archived WAL, a third cluster is
 *    recovered to the moment just before a destructive staff action (closing the open round
 *    early) taken on the new primary; the round is open there, and every ballot and audit entry
 *    made before that moment is present, the audit chain intact.
 *
 * Writes tests/.output/failover.md and failover.json. Needs root (pg_createcluster, runuser).
 * LOAD_PROFILE=ci (as `npm test` runs it) shortens the load.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { openDatabase } from '../../db/client.ts';
import { closeRound } from '../../src/lib/server/ballots/commands/rounds.ts';
import { loadActor } from '../../src/lib/server/policy/actor.ts';
import { buildIfNeeded } from '../../src/build-if-needed.ts';
import { runLoad, summarise } from './driver.ts';
import { loadProfile, log, runScript, startApp, writeReport, type Check } from './harness.ts';
import { activeMix, type Ack } from './mix.ts';
import { ensureCluster, type Cluster } from './pg-cluster.ts';
import { prepareDemoDatabase } from './prepare.ts';
import { verifyRun } from './verify.ts';
import { prepareWorld } from './world.ts';

const say = log('failover');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ci = loadProfile() === 'ci';
const CONNECTIONS = ci ? 8 : 16;
/** Seconds: the whole load, when the primary dies, how long until the standby is promoted. */
const timing = ci
	? { run: 16, killAt: 3, promoteAfter: 3 }
	: { run: 30, killAt: 6, promoteAfter: 5 };
const DATABASE = 'gj_failover';
const work = '/var/lib/postgresql/gj-failover';
const archive = path.join(work, 'archive');
const base = path.join(work, 'base');

function run(command: string, args: string[], asPostgres = false): string {
	const [cmd, argv] = asPostgres
		? ['runuser', ['-u', 'postgres', '--', command, ...args]]
		: [command, args];
	const result = spawnSync(cmd, argv, { encoding: 'utf8' });
	if (result.status !== 0)
		throw new Error(
			`${command} ${args.join(' ')}: ${(result.stderr || result.stdout || result.error?.message || '').trim()}`,
		);
	return result.stdout;
}

const bin = (version: string, name: string) => `/usr/lib/postgresql/${version}/bin/${name}`;
const dataDir = (c: Cluster) => `/var/lib/postgresql/${c.version}/${c.name}`;
const confDir = (c: Cluster) => `/etc/postgresql/${c.version}/${c.name}`;

/** Replication connections from loopback, trusted like the others in these throwaway clusters. */
function allowReplication(c: Cluster): void {
	const hba = path.join(confDir(c), 'pg_hba.conf');
	if (!/^host\s+replication\s+all\s+127\.0\.0\.1\/32\s+trust/m.test(readFileSync(hba, 'utf8')))
		appendFileSync(hba, '\nhost replication all 127.0.0.1/32 trust\n');
}

async function scalar<T>(url: string, query: string): Promise<T> {
	const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
	try {
		const [row] = await sql.unsafe(query);
		return (row ? Object.values(row)[0] : undefined) as T;
	} finally {
		await sql.end({ timeout: 2 });
	}
}

async function waitFor(what: string, check: () => Promise<boolean>, seconds = 60): Promise<void> {
	for (let i = 0; i < seconds * 4; i++) {
		if (await check().catch(() => false)) return;
		await sleep(250);
	}
	throw new Error(`failover: timed out waiting for ${what}`);
}

/** A primary with WAL archiving (its synchronous standby is named once that exists). */
async function makePrimary(stops: (() => Promise<unknown>)[]): Promise<Cluster> {
	const primary = ensureCluster('gjprimary', 5496);
	if (!process.env.KEEP_CLUSTERS) stops.push(async () => primary.drop());
	allowReplication(primary);
	const url = primary.url('postgres');
	for (const setting of [
		`archive_mode = 'on'`,
		`archive_command = 'test ! -f ${archive}/%f && cp %p ${archive}/%f'`,
		`synchronous_commit = 'on'`,
		`wal_level = 'replica'`,
	])
		await scalar(url, `alter system set ${setting}`);
	primary.stop('fast');
	primary.start();
	return primary;
}

/**
 * A cluster whose data directory is the primary's base backup: a streaming standby
 * (`standby.signal`, primary_conninfo with its application_name) or, for point-in-time
 * recovery, a server replaying archived WAL up to `recoverTo` and then promoting itself.
 */
function fromBaseBackup(
	name: string,
	port: number,
	primary: Cluster,
	mode: { standby: true } | { recoverTo: string },
): Cluster {
	const cluster = ensureCluster(name, port);
	cluster.stop('fast');
	const dir = dataDir(cluster);
	rmSync(dir, { recursive: true, force: true });
	run('cp', ['-a', base, dir]);
	const auto = path.join(dir, 'postgresql.auto.conf');
	// The base backup carries the primary's settings: a promoted or recovered server has no
	// synchronous standby of its own, and must not archive into the primary's folder.
	const lines = [`synchronous_standby_names = ''`, `archive_mode = 'off'`];
	if ('standby' in mode) {
		lines.push(
			`primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres application_name=${name}'`,
		);
		run('touch', [path.join(dir, 'standby.signal')], true);
	} else {
		lines.push(
			`restore_command = 'cp ${archive}/%f %p'`,
			`recovery_target_time = '${mode.recoverTo}'`,
			`recovery_target_action = 'promote'`,
		);
		rmSync(path.join(dir, 'standby.signal'), { force: true });
		run('touch', [path.join(dir, 'recovery.signal')], true);
	}
	appendFileSync(auto, `\n${lines.join('\n')}\n`);
	run('chown', ['-R', 'postgres:postgres', dir]);
	cluster.start();
	return cluster;
}

function killCluster(c: Cluster): void {
	// The postmaster and every backend (their titles carry the cluster's name).
	spawnSync('pkill', ['-9', '-f', `${c.version}/${c.name}`]);
	spawnSync('sleep', ['0.3']);
	rmSync(path.join(dataDir(c), 'postmaster.pid'), { force: true });
}

await runScript('failover', async (stops) => {
	if (!buildIfNeeded(say)) throw new Error('failover: astro build failed');
	rmSync(work, { recursive: true, force: true });
	mkdirSync(archive, { recursive: true });
	run('chown', ['-R', 'postgres:postgres', work]);
	chmodSync(work, 0o700);

	const primary = await makePrimary(stops);
	const admin = postgres(primary.url('postgres'), { max: 1, onnotice: () => {} });
	await admin.unsafe(`drop database if exists ${DATABASE} with (force)`);
	await admin.unsafe(`create database ${DATABASE}`);
	await admin.end();
	// The base backup, kept for the standby and for point-in-time recovery.
	run(
		bin(primary.version, 'pg_basebackup'),
		[
			'-h',
			'127.0.0.1',
			'-p',
			String(primary.port),
			'-U',
			'postgres',
			'-D',
			base,
			'-X',
			'stream',
			'-c',
			'fast',
		],
		true,
	);
	const standby = fromBaseBackup('gjstandby', 5497, primary, { standby: true });
	if (!process.env.KEEP_CLUSTERS) stops.push(async () => standby.drop());
	// Named only now: with a synchronous standby named but absent, every commit would wait.
	await scalar(primary.url('postgres'), `alter system set synchronous_standby_names = 'gjstandby'`);
	await scalar(primary.url('postgres'), 'select pg_reload_conf()');
	await waitFor(
		'the synchronous standby',
		async () =>
			(await scalar<string>(
				primary.url('postgres'),
				`select coalesce(max(sync_state), 'none') from pg_stat_replication where application_name = 'gjstandby'`,
			)) === 'sync',
	);
	say(`primary :${primary.port}, synchronous standby :${standby.port}, WAL archived to ${archive}`);

	await prepareDemoDatabase(primary.url(DATABASE), say);
	const both = `postgres://postgres@127.0.0.1:${primary.port},127.0.0.1:${standby.port}/${DATABASE}?target_session_attrs=primary`;
	const setup = postgres(both, { max: 2, onnotice: () => {} });
	const world = await prepareWorld(setup, ci ? 150 : 400);
	await setup.end();
	if (!world.ballot) throw new Error('failover: the demo has no open round to cast ballots in');

	// 1. kill -9 of the primary under load, then promotion of the standby.
	const app = await startApp(both, { DB_POOL_MAX: '6' });
	stops.push(() => app.stop());
	const pid = app.process.pid;
	const { rows, inactive } = activeMix(world);
	const acks: Ack[] = [];
	const state = { seq: 0, reacted: new Set<string>() };
	const started = performance.now();
	const load = runLoad([app.url], world, rows, inactive, {
		connections: CONNECTIONS,
		seconds: timing.run,
		state,
		timeoutMs: 10_000,
	});
	await sleep(timing.killAt * 1000);
	const killedMs = performance.now() - started;
	killCluster(primary);
	say(`primary killed at ${(killedMs / 1000).toFixed(1)} s`);
	await sleep(timing.promoteAfter * 1000);
	run('pg_ctlcluster', ['--skip-systemctl-redirect', standby.version, standby.name, 'promote']);
	const promotedMs = performance.now() - started;
	say(`standby promoted at ${(promotedMs / 1000).toFixed(1)} s`);
	const stats = await load;
	acks.push(...stats.acks);

	const newPrimary = standby.url(DATABASE);
	const sql = postgres(newPrimary, { max: 2, onnotice: () => {} });
	stops.push(() => sql.end());
	const v = await verifyRun(sql, newPrimary, world, acks);
	const writes = stats.samples.filter(
		(s) => s.row !== 'home' && s.row !== 'project' && s.row !== 'plan' && s.row !== 'results',
	);
	const during = (s: { at: number }) => s.at > killedMs + 200 && s.at < promotedMs;
	const writesAfter = writes.filter((s) => s.at > promotedMs && s.status >= 200 && s.status < 400);
	const resumedS = writesAfter.length
		? (Math.min(...writesAfter.map((s) => s.at)) - promotedMs) / 1000
		: null;
	const unavailable = stats.samples.filter((s) => s.status === 503);
	const withoutRetry = unavailable.filter((s) => !s.retryAfter).length;
	const other5xx = stats.samples.filter((s) => s.status >= 500 && s.status !== 503).length;
	const readsDuring = stats.samples.filter((s) => during(s) && !writes.includes(s));
	const readsServed = readsDuring.filter((s) => s.status === 200).length;
	const all = summarise(stats).at(-1)!;
	if (other5xx) {
		const statuses = [
			...new Set(stats.samples.filter((x) => x.status >= 500).map((x) => `${x.row} ${x.status}`)),
		];
		say(
			`other 5xx: ${statuses.join(', ')}; the server's errors:\n${app
				.output()
				.split('\n')
				.filter((line) => /"level":50/.test(line) && !/"status":503/.test(line))
				.slice(0, 8)
				.join('\n')}`,
		);
	}
	const sameProcess = app.process.pid === pid && app.process.exitCode === null;
	const checks: Check[] = [
		{
			name: 'failover: no acknowledged write lost',
			ok: v.lost.length === 0 && acks.length > 0,
			detail: `${acks.length} acknowledged (${v.acknowledged.ballot} ballots, ${v.acknowledged.survey} survey answers, ${v.acknowledged.opinion} opinions, ${v.acknowledged.meToo} reactions), ${v.lost.length} lost`,
		},
		{
			name: 'failover: tallies equal a recount and the audit chain verifies on the new primary',
			ok: v.problems.length === 0 && v.auditEntries > 0,
			detail: v.problems.slice(0, 3).join('; ') || `${v.auditEntries} audit entries verified`,
		},
		{
			name: 'failover: meanwhile 503 with Retry-After, no other 5xx',
			ok: withoutRetry === 0 && other5xx === 0,
			detail: `${unavailable.length} answers 503 (${withoutRetry} without Retry-After), ${other5xx} other 5xx`,
		},
		{
			name: "failover: visitors' pages keep being served between the kill and the promotion",
			ok: readsServed > 0,
			detail: `${readsServed} of ${readsDuring.length} reads answered 200 (visitors' pages from the route cache; signed-in pages need the database)`,
		},
		{
			name: 'failover: writes resume within 15 s of the promotion, same server process',
			ok: resumedS !== null && resumedS <= 15 && sameProcess,
			detail: `first acknowledged write ${resumedS === null ? 'never' : `${resumedS.toFixed(1)} s`} after the promotion; same process: ${sameProcess}`,
		},
	];
	const section1 = [
		'## 1. kill -9 of the primary under load, then promotion of the synchronous standby',
		'',
		`Primary killed at ${(killedMs / 1000).toFixed(1)} s, standby promoted at ${(promotedMs / 1000).toFixed(1)} s, ${CONNECTIONS} connections, ${world.residents.length} residents.`,
		'',
		'| writes acknowledged | found on the new primary | lost | stored without an answer | seconds to resume after promotion | 503 answers | other 5xx | reads answered 200 between kill and promotion |',
		'| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
		`| ${acks.length} | ${acks.length - v.lost.length} | ${v.lost.length} | ${v.unacknowledged} | ${resumedS === null ? 'never' : resumedS.toFixed(1)} | ${unavailable.length} | ${other5xx} | ${readsServed} of ${readsDuring.length} |`,
		'',
		`Whole run: ${all.requests} requests, p99 ${all.p99} ms. Between the kill and the promotion visitors' pages come from the route cache; a signed-in page or a page not cached gets 503 (the app reads only from the primary: no DATABASE_READ_URL).`,
	];

	// 2. Point-in-time recovery to just before a destructive staff action.
	await app.stop(); // nothing else writes meanwhile (no jobs of its own)
	const [before] = await sql<
		{ at: string; ballots: number; revisions: number; audit: number; head: string }[]
	>`
		select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US+00') as at,
		       (select count(*)::int from ballots where round_id = ${world.ballot.roundId}) as ballots,
		       (select count(*)::int from ballot_revisions where round_id = ${world.ballot.roundId}) as revisions,
		       (select count(*)::int from audit_log) as audit,
		       (select max(seq)::text from audit_log) as head`;
	await sleep(1100);
	// The destructive action: the committee closes the round early, through the staff command.
	const handle = await openDatabase({ databaseUrl: newPrimary, poolMax: 2 });
	try {
		const [adminUser] = await sql<{ id: string }[]>`select id from users where username = 'admin'`;
		const staff = await loadActor(handle.db, adminUser!.id, 'staff');
		await closeRound(handle.db, staff, world.ballot.roundId, {
			confirm: true,
			reason: '演练：误点了提前截止',
		});
	} finally {
		await handle.close();
	}
	await sql`select pg_switch_wal()`;
	const wal = await sql<{ name: string }[]>`select pg_walfile_name(pg_current_wal_lsn()) as name`;
	say(`destructive action after ${before!.at}; waiting for WAL ${wal[0]!.name} to be archived`);
	// The new primary does not archive (archive_mode off): its WAL reaches the recovering server
	// through the archive folder as the orchestrator's archiver would put it there.
	const pgWal = path.join(dataDir(standby), 'pg_wal');
	for (const f of (spawnSync('ls', [pgWal], { encoding: 'utf8' }).stdout ?? '').split('\n'))
		if (/^[0-9A-F]{24}(\.partial)?$|\.history$/.test(f) && !existsSync(path.join(archive, f)))
			run('cp', [path.join(pgWal, f), path.join(archive, f)], true);
	const pitr = fromBaseBackup('gjpitr', 5498, primary, { recoverTo: before!.at });
	if (!process.env.KEEP_CLUSTERS) stops.push(async () => pitr.drop());
	await waitFor(
		'recovery to finish',
		async () => !(await scalar<boolean>(pitr.url('postgres'), 'select pg_is_in_recovery()')),
		120,
	);
	const restored = postgres(pitr.url(DATABASE), { max: 1, onnotice: () => {} });
	stops.push(() => restored.end());
	const [after] = await restored<
		{ open: boolean; ballots: number; revisions: number; audit: number; head: string }[]
	>`
		select (select closes_at > now() from rounds where id = ${world.ballot.roundId}) as open,
		       (select count(*)::int from ballots where round_id = ${world.ballot.roundId}) as ballots,
		       (select count(*)::int from ballot_revisions where round_id = ${world.ballot.roundId}) as revisions,
		       (select count(*)::int from audit_log) as audit,
		       (select max(seq)::text from audit_log) as head`;
	const restoredCheck = await verifyRun(restored, pitr.url(DATABASE), world, []);
	checks.push(
		{
			name: 'PITR: restored to just before the destructive action (the round is open again)',
			ok: after!.open,
			detail: `round ${world.ballot.roundId} ${after!.open ? 'open' : 'closed'} after recovery to ${before!.at}`,
		},
		{
			name: 'PITR: every ballot and audit entry up to that moment is there, the chain intact',
			ok:
				after!.ballots === before!.ballots &&
				after!.revisions === before!.revisions &&
				after!.audit === before!.audit &&
				after!.head === before!.head &&
				restoredCheck.problems.length === 0,
			detail: `ballots ${after!.ballots}/${before!.ballots}, revisions ${after!.revisions}/${before!.revisions}, audit entries ${after!.audit}/${before!.audit} (head ${after!.head}/${before!.head}); ${restoredCheck.problems.slice(0, 2).join('; ') || 'chain verified'}`,
		},
	);
	writeReport('failover', 'Failover and point-in-time recovery', [
		...section1,
		'',
		'## 2. Point-in-time recovery',
		'',
		`Base backup + archived WAL recovered to ${before!.at}, just before round ${world.ballot.roundId} was closed early.`,
		'',
		'| | before the action | restored |',
		'| --- | ---: | ---: |',
		`| round open | yes | ${after!.open ? 'yes' : 'NO'} |`,
		`| ballots | ${before!.ballots} | ${after!.ballots} |`,
		`| ballot revisions | ${before!.revisions} | ${after!.revisions} |`,
		`| audit entries (head seq) | ${before!.audit} (${before!.head}) | ${after!.audit} (${after!.head}) |`,
		'',
		...checks.map((c) => `- ${c.ok ? 'passed' : 'FAILED'}: ${c.name} — ${c.detail}`),
	]);
	return checks;
});

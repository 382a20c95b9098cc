import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	migrateDatabase,
	openDatabase,
	queryRows,
	type DatabaseHandle,
} from '../../../db/client.ts';
import { seedDemo } from '../../../db/seed/demo.ts';
import { castBallot } from '../../../src/lib/server/ballots/commands/cast.ts';
import { publishResults } from '../../../src/lib/server/ballots/commands/publish.ts';
import { closeRound } from '../../../src/lib/server/ballots/commands/rounds.ts';
import { loadRound } from '../../../src/lib/server/ballots/load.ts';
import {
	allChoices,
	compoundHouseholds,
	createMember,
	createOpenRound,
	projectId,
} from '../../factories/ballots.ts';
import { createStaffUser } from '../../factories/people.ts';
import { createServerDatabase } from '../../helpers/test-db.ts';
import { CONFIRMED } from '../../helpers/confirm.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
type Run = { code: number; stdout: string; stderr: string };

/** Runs `node db/tally.ts` (what `npm run tally --` runs) against the database. */
function runTally(url: string, args: string[]): Promise<Run> {
	const { DATABASE_URL: _url, PGLITE_DIR: _dir, ...inherited } = process.env;
	return new Promise((resolve) => {
		execFile(
			process.execPath,
			['db/tally.ts', ...args],
			{ cwd: root, env: { ...inherited, DATABASE_URL: url }, timeout: 60_000 },
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
				resolve({ code, stdout, stderr });
			},
		);
	});
}

/** On the real server (the CLI opens its own connection; a PGlite folder cannot be shared). */
describe.runIf(process.env.TEST_DATABASE_URL)('npm run tally', () => {
	let url: string;
	let drop = async () => {};
	let handle: DatabaseHandle;
	let roundId: number;

	beforeAll(async () => {
		const created = await createServerDatabase();
		url = created.url;
		drop = created.drop;
		handle = await openDatabase({ databaseUrl: url });
		await migrateDatabase(handle);
		await seedDemo(handle.db);
		const db = handle.db;
		const admin = await createStaffUser(db, { roles: ['admin'] });
		const project = await projectId(db, 'chonggui');
		roundId = await createOpenRound(db, admin, { projectId: project, decisionScope: 'building' });
		const round = (await loadRound(db, roundId))!;
		const [place] = await queryRows<{ compound_id: number }>(
			db,
			sql`select compound_id from project_compounds where project_id = ${project}`,
		);
		const households = await compoundHouseholds(db, Number(place!.compound_id));
		for (const [n, h] of households.slice(0, 8).entries()) {
			const member = await createMember(db, admin, h.id, 'owner');
			await castBallot(db, member, {
				roundId,
				householdId: h.id,
				choices: allChoices(
					round.items.map((i) => i.id),
					n % 3 === 0 ? 'disagree' : 'agree',
				),
				comment: '',
			});
		}
		await closeRound(db, admin, roundId, CONFIRMED);
		await publishResults(db, admin, { roundId, note: '', confirm: true });
	});
	afterAll(async () => {
		await handle?.close();
		await drop();
	});

	it('reproduces the published result from the stored ballots (exit 0)', async () => {
		const run = await runTally(url, [String(roundId)]);
		expect(run.stderr).toBe('');
		expect(run.stdout).toMatch(new RegExp(`round ${roundId}: 8 ballots over \\d+ households`));
		expect(run.stdout).toContain('published v1 reproduced');
		expect(run.code).toBe(0);
	});

	it('fails with the differences when an aggregate or a ballot was altered (exit 1)', async () => {
		await handle.db.execute(
			sql`update ballots set choices = (select jsonb_object_agg(key, 'abstain') from jsonb_each(choices))
			    where id = (select min(id) from ballots where round_id = ${roundId})`,
		);
		const run = await runTally(url, [String(roundId)]);
		expect(run.code).toBe(1);
		expect(run.stdout).toContain('MISMATCH');
		expect(run.stdout).toContain('published v1 DIFFERS');
		expect((await runTally(url, [])).code).toBe(1);
		expect((await runTally(url, ['999999'])).stdout).toContain('not found');
	});
});

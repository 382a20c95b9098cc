import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../db/client.ts';
import { DatabaseLockedError } from '../../../db/lock.ts';
import { projectRoot } from '../../../src/build-if-needed.ts';
import { tempDir } from '../../helpers/server.ts';

/** PGlite takes no lock: ours must refuse a second opener with a message that says what to do. */
describe('embedded database folder lock', () => {
	const cleanups: (() => Promise<void> | void)[] = [];
	afterEach(async () => {
		for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
	});

	async function open(dir: string): Promise<DatabaseHandle> {
		const handle = await openDatabase({ pgliteDir: dir });
		cleanups.push(() => handle.close());
		return handle;
	}

	it('refuses a second opener in the same process and lets it in after close', async () => {
		const tmp = tempDir();
		cleanups.push(tmp.remove);
		const dir = path.join(tmp.dir, 'pglite');
		const first = await openDatabase({ pgliteDir: dir });
		await expect(openDatabase({ pgliteDir: dir })).rejects.toThrow(DatabaseLockedError);
		await first.close();
		await open(dir);
	});

	it('refuses another process with one clear line while the folder is open', async () => {
		const tmp = tempDir();
		cleanups.push(tmp.remove);
		const dir = path.join(tmp.dir, 'pglite');
		await open(dir);
		const child = spawnSync(process.execPath, ['db/seed/run-demo.ts'], {
			cwd: projectRoot,
			env: { PATH: process.env.PATH ?? '', PGLITE_DIR: dir },
			encoding: 'utf8',
		});
		expect(child.status).toBe(1);
		expect(child.stderr).toContain(`is in use by process ${process.pid}`);
		expect(child.stderr.trim().split('\n')).toHaveLength(1);
	});

	it('takes over a lock left by a process that no longer exists', async () => {
		const tmp = tempDir();
		cleanups.push(tmp.remove);
		const dir = path.join(tmp.dir, 'pglite');
		writeFileSync(
			`${dir}.lock`,
			JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname() }),
		);
		const handle = await open(dir);
		expect(handle.kind).toBe('pglite');
	});
});

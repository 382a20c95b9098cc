import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';

export type DirLock = { path: string; release(): void };

export class DatabaseLockedError extends Error {
	override name = 'DatabaseLockedError';
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Takes `<dir>.lock` for this process. PGlite takes no lock of its own: a second process on
 * the same folder (a second server, `db:seed` while the server runs) would corrupt it silently,
 * so it is refused here with a message that says what to do. A lock left by a dead process
 * is taken over.
 */
export function acquireDirLock(dir: string): DirLock {
	const lockPath = `${dir}.lock`;
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			const fd = openSync(lockPath, 'wx');
			writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname(), at: new Date() }));
			closeSync(fd);
			let released = false;
			const release = () => {
				if (released) return;
				released = true;
				process.off('exit', release);
				try {
					unlinkSync(lockPath);
				} catch {
					// already gone
				}
			};
			process.on('exit', release);
			return { path: lockPath, release };
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		let owner: { pid?: number; host?: string } = {};
		try {
			owner = JSON.parse(readFileSync(lockPath, 'utf8')) as typeof owner;
		} catch {
			// unreadable or half-written: treat as stale below only if old enough to matter
		}
		const sameHost = !owner.host || owner.host === os.hostname();
		if (owner.pid && sameHost && isAlive(owner.pid)) {
			throw new DatabaseLockedError(
				`The embedded database at ${dir} is in use by process ${owner.pid}. ` +
					'Stop that process first (only one process may open an embedded database), ' +
					'or set DATABASE_URL to use a PostgreSQL server.',
			);
		}
		if (!sameHost) {
			throw new DatabaseLockedError(
				`The embedded database at ${dir} is locked by ${owner.host} (pid ${owner.pid}). ` +
					`If that machine no longer uses it, delete ${lockPath}.`,
			);
		}
		try {
			unlinkSync(lockPath);
		} catch {
			// someone else removed it first; try again
		}
	}
	throw new DatabaseLockedError(`Could not lock ${dir}: delete ${lockPath} if no process uses it.`);
}

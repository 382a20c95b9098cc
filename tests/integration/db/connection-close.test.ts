/**
 * postgres.js 3.4.9 throws from a write it scheduled with setImmediate when the connection closed
 * meanwhile — an uncaught exception that ended the server when PostgreSQL restarted under load
 * (the faults test saw it). patches/postgres+3.4.9.patch settles the queries instead. The
 * reproduction of porsager/postgres#1208: a reserved connection (the pool cannot rotate it away)
 * whose backend is terminated, then a query on it.
 */
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';

// The real server only: PGlite has no connections to close. CI always sets TEST_DATABASE_URL.
describe.runIf(process.env.TEST_DATABASE_URL)('a connection closed under postgres.js', () => {
	it('a query on a connection whose backend went away fails at once; the process carries on', async () => {
		const url = process.env.TEST_DATABASE_URL!;
		const sql = postgres(url, { max: 1, onnotice: () => {} });
		const admin = postgres(url, { max: 1, onnotice: () => {} });
		const uncaught: unknown[] = [];
		const onUncaught = (error: unknown) => uncaught.push(error);
		process.on('uncaughtException', onUncaught);
		try {
			const reserved = await sql.reserve();
			const [row] = await reserved<{ pid: number }[]>`select pg_backend_pid() as pid`;
			await admin`select pg_terminate_backend(${row!.pid})`;
			await new Promise((resolve) => setTimeout(resolve, 200));
			// Unpatched, this query waits forever (or the process dies, when the write was
			// scheduled before the close was seen).
			await expect(reserved`select 1`).rejects.toThrow(/CONNECTION_CLOSED|terminat/i);
			await new Promise((resolve) => setTimeout(resolve, 50));
		} finally {
			process.off('uncaughtException', onUncaught);
			await Promise.all([sql.end({ timeout: 1 }), admin.end({ timeout: 1 })]);
		}
		expect(uncaught.map(String)).toEqual([]);
	});
});

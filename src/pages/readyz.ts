import type { APIRoute } from 'astro';
import { sql } from 'drizzle-orm';
import { getDb } from '../lib/server/db.ts';
import { logger } from '../lib/server/shared/index.ts';

/** Readiness: the database answers within two seconds; otherwise 503 with Retry-After. */
export const GET: APIRoute = async () => {
	const headers = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' };
	try {
		const db = await getDb();
		await Promise.race([
			db.execute(sql`select 1`),
			new Promise((_, reject) =>
				setTimeout(() => reject(new Error('database timeout')), 2000).unref(),
			),
		]);
		return new Response('ready\n', { headers });
	} catch (error) {
		logger.warn({ err: error }, 'readiness check failed');
		return new Response('database unavailable\n', {
			status: 503,
			headers: { ...headers, 'Retry-After': '5' },
		});
	}
};

import type { APIRoute } from 'astro';
import { exportName, getPublishedResults, resultsRows } from '../../../lib/server/ballots/index.ts';
import { toCsv } from '../../../lib/server/shared/index.ts';
import { getDb } from '../../../lib/server/db.ts';

/**
 * Open data: a published result as CSV (UTF-8 with BOM) at a stable URL, the latest version or
 * `?version=N`. 404 until the round's results are published.
 */
export const GET: APIRoute = async ({ params, url, locals }) => {
	const id = Number.parseInt(params.id ?? '', 10);
	const version = Number.parseInt(url.searchParams.get('version') ?? '', 10);
	const release = Number.isSafeInteger(id)
		? await getPublishedResults(
				await getDb(),
				id,
				Number.isSafeInteger(version) ? version : undefined,
			)
		: null;
	if (!release) return new Response('Not found', { status: 404 });
	return new Response(toCsv(resultsRows(release.view, locals.locale)), {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `inline; filename="${exportName(id, release.version, 'csv')}"`,
			'Cache-Control': 'public, max-age=60',
			'Access-Control-Allow-Origin': '*',
		},
	});
};

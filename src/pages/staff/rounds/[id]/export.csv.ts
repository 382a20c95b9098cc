import type { APIRoute } from 'astro';
import {
	exportName,
	getLiveResults,
	getRoundForViewer,
	resultsRows,
} from '../../../../lib/server/ballots/index.ts';
import { getDb } from '../../../../lib/server/db.ts';
import { intParam, toCsv } from '../../../../lib/server/shared/index.ts';

/** The committee's live results as CSV (UTF-8 with BOM); 404 for anyone else. */
export const GET: APIRoute = async ({ params, locals }) => {
	const id = intParam(params.id);
	const db = await getDb();
	const view = Number.isSafeInteger(id) ? await getRoundForViewer(db, locals.actor, id) : null;
	if (!view?.committee || !view.round.openedAt) return new Response('Not found', { status: 404 });
	const results = await getLiveResults(db, view.round);
	const provisional = view.phase !== 'closed';
	return new Response(toCsv(resultsRows(results, locals.locale, provisional)), {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="${exportName(id, null, 'csv')}"`,
			'Cache-Control': 'no-store',
		},
	});
};

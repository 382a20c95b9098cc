import type { APIRoute } from 'astro';
import { getDb } from '../../../lib/server/db.ts';
import {
	getPublishedResults,
	getSurveyForViewer,
	resultsCsv,
} from '../../../lib/server/surveys/index.ts';
import { intParam } from '../../../lib/server/shared/index.ts';

/** A published result as CSV (UTF-8 with BOM, so Excel reads Chinese); 404 before publication. */
export const GET: APIRoute = async ({ params, url, locals }) => {
	const id = intParam(params.id);
	const v = intParam(url.searchParams.get('v'));
	const db = await getDb();
	const found = Number.isSafeInteger(id) ? await getSurveyForViewer(db, locals.actor, id) : null;
	const published = found
		? await getPublishedResults(db, id, Number.isSafeInteger(v) ? v : undefined)
		: null;
	if (!published) return new Response('Not found', { status: 404 });
	return new Response(resultsCsv(published.view, locals.locale, published.version), {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="survey-${id}-v${published.version}.csv"`,
		},
	});
};

import type { APIRoute } from 'astro';
import { getDb } from '../../../lib/server/db.ts';
import {
	getPublishedResults,
	getSurveyForViewer,
	resultsXlsx,
} from '../../../lib/server/surveys/index.ts';
import { intParam } from '../../../lib/server/shared/index.ts';

/** A published result as an XLSX workbook; 404 before publication. */
export const GET: APIRoute = async ({ params, url, locals }) => {
	const id = intParam(params.id);
	const v = intParam(url.searchParams.get('v'));
	const db = await getDb();
	const found = Number.isSafeInteger(id) ? await getSurveyForViewer(db, locals.actor, id) : null;
	const published = found
		? await getPublishedResults(db, id, Number.isSafeInteger(v) ? v : undefined)
		: null;
	if (!published) return new Response('Not found', { status: 404 });
	return new Response(new Uint8Array(resultsXlsx(published.view, locals.locale)), {
		headers: {
			'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'Content-Disposition': `attachment; filename="survey-${id}-v${published.version}.xlsx"`,
		},
	});
};

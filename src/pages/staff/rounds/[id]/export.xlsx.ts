import type { APIRoute } from 'astro';
import {
	exportName,
	getLiveResults,
	getRoundForViewer,
	toXlsx,
} from '../../../../lib/server/ballots/index.ts';
import { getDb } from '../../../../lib/server/db.ts';
import { intParam } from '../../../../lib/server/shared/index.ts';

/** The committee's live results and coverage as an XLSX workbook; 404 for anyone else. */
export const GET: APIRoute = async ({ params, locals }) => {
	const id = intParam(params.id);
	const db = await getDb();
	const view = Number.isSafeInteger(id) ? await getRoundForViewer(db, locals.actor, id) : null;
	if (!view?.committee || !view.round.openedAt) return new Response('Not found', { status: 404 });
	const provisional = view.phase !== 'closed';
	const bytes = toXlsx(await getLiveResults(db, view.round), locals.locale, provisional);
	return new Response(new Uint8Array(bytes), {
		headers: {
			'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'Content-Disposition': `attachment; filename="${exportName(id, null, 'xlsx')}"`,
			'Cache-Control': 'no-store',
		},
	});
};

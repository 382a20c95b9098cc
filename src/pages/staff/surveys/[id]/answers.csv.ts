import type { APIRoute } from 'astro';
import { localizePath, translate } from '../../../../i18n/index.ts';
import { getDb } from '../../../../lib/server/db.ts';
import { can } from '../../../../lib/server/policy/index.ts';
import {
	getSurveyForViewer,
	listNamedAnswers,
	namedAnswersCsv,
} from '../../../../lib/server/surveys/index.ts';
import { intParam } from '../../../../lib/server/shared/index.ts';

/**
 * Every response of a named (实名) survey as CSV (UTF-8 with BOM), for its committee. An
 * anonymous survey answers 403 with the translated refusal; another community's survey, or
 * none, 404; a visitor is sent to the staff sign-in.
 */
export const GET: APIRoute = async ({ params, locals, url, redirect, rewrite }) => {
	const { actor, locale } = locals;
	if (actor?.kind !== 'staff') {
		const next = encodeURIComponent(localizePath(locale, locals.path) + url.search);
		return redirect(localizePath(locale, `/staff/login?next=${next}`), 303);
	}
	const id = intParam(params.id);
	const db = await getDb();
	const found = Number.isSafeInteger(id) ? await getSurveyForViewer(db, actor, id) : null;
	if (!found || !can(actor, 'survey.read_answers', { communityId: found.survey.communityId })) {
		return rewrite(localizePath(locale, '/404'));
	}
	const headers = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
	if (found.survey.anonymous) {
		return new Response(translate(locale, 'surveys.anonymousRefused'), {
			status: 403,
			headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' },
		});
	}
	const { responses } = await listNamedAnswers(db, actor, found.survey, { all: true });
	return new Response(namedAnswersCsv(found.survey, responses, locale), {
		headers: {
			...headers,
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="survey-${id}-answers.csv"`,
		},
	});
};

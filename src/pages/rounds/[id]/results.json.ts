import type { APIRoute } from 'astro';
import { getPublishedResults } from '../../../lib/server/ballots/index.ts';
import { getDb } from '../../../lib/server/db.ts';
import { translate } from '../../../i18n/index.ts';

const verdicts = ['approved', 'rejected', 'not_quorate'] as const;

/**
 * Open data: a published result as JSON at a stable URL, the latest version or `?version=N`,
 * with its digest (SHA-256 of the canonical JSON of `results`). 404 until published.
 */
export const GET: APIRoute = async ({ params, url }) => {
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
	const body = {
		version: release.version,
		publishedAt: release.publishedAt,
		note: release.note,
		digest: release.digest,
		// What each verdict means, for readers of the data: not_quorate is 参与不足，结果不成立.
		verdicts: Object.fromEntries(
			verdicts.map((v) => [
				v,
				{
					'zh-CN': translate('zh-CN', `ballots.verdict.${v}`),
					en: translate('en', `ballots.verdict.${v}`),
				},
			]),
		),
		results: release.view,
	};
	return new Response(JSON.stringify(body), {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Cache-Control': 'public, max-age=60',
			'Access-Control-Allow-Origin': '*',
		},
	});
};

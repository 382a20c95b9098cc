import type { APIRoute } from 'astro';
import { localizePath } from '../../../i18n/index.ts';
import { getDb } from '../../../lib/server/db.ts';
import { exportQuery, exportRoster, mayUseRoster } from '../../../lib/server/roster/index.ts';
import { isDomainError } from '../../../lib/server/shared/index.ts';
import { fileResponse } from './_download.ts';

/**
 * GET ?format=xlsx|csv&lang=zh-CN|en[&compound=ID|&community=ID] — the current households in the
 * template (re-importable unchanged). Out-of-scope or unknown ids answer 404.
 */
export const GET: APIRoute = async ({ locals, url, redirect, rewrite }) => {
	if (locals.actor?.kind !== 'staff') {
		const next = encodeURIComponent(localizePath(locals.locale, locals.path) + url.search);
		return redirect(localizePath(locals.locale, `/staff/login?next=${next}`), 303);
	}
	const notFound = () => rewrite(localizePath(locals.locale, '/404'));
	if (!mayUseRoster(locals.actor)) return notFound();
	const entries = Object.fromEntries([...url.searchParams].filter(([, value]) => value !== ''));
	const query = exportQuery.safeParse(entries);
	if (!query.success) return notFound();
	try {
		const file = await exportRoster(await getDb(), locals.actor, {
			format: query.data.format,
			language: query.data.lang ?? locals.locale,
			compoundId: query.data.compound,
			communityId: query.data.community,
		});
		return fileResponse(file);
	} catch (error) {
		if (isDomainError(error)) return notFound();
		throw error;
	}
};

import type { APIRoute } from 'astro';
import { localizePath } from '../../../i18n/index.ts';
import { exportQuery, mayUseRoster, templateFile } from '../../../lib/server/roster/index.ts';
import { fileResponse } from './_download.ts';

/** GET ?format=xlsx|csv&lang=zh-CN|en — the blank roster template (staff with a roster scope). */
export const GET: APIRoute = async ({ locals, url, redirect, rewrite }) => {
	if (locals.actor?.kind !== 'staff') {
		const next = encodeURIComponent(localizePath(locals.locale, locals.path) + url.search);
		return redirect(localizePath(locals.locale, `/staff/login?next=${next}`), 303);
	}
	if (!mayUseRoster(locals.actor)) return rewrite(localizePath(locals.locale, '/404'));
	const query = exportQuery.safeParse(Object.fromEntries(url.searchParams));
	if (!query.success) return rewrite(localizePath(locals.locale, '/404'));
	return fileResponse(templateFile(query.data.format, query.data.lang ?? locals.locale));
};

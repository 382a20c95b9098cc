import type { APIRoute } from 'astro';
import { translate } from '../../../i18n/index.ts';
import { getDb } from '../../../lib/server/db.ts';
import { getProjectBySlug, renderOgImage } from '../../../lib/server/projects/index.ts';

/**
 * A project's Open Graph image, in the page's language (/p/x/og.png, /en/p/x/og.png). Browsers
 * and chat apps may keep it for an hour; the name or stage changes rarely.
 */
export const GET: APIRoute = async ({ params, locals }) => {
	const slug = params.slug ?? '';
	const project = /^[a-z0-9-]{2,63}$/.test(slug)
		? await getProjectBySlug(await getDb(), slug)
		: null;
	if (!project) return new Response('Not found', { status: 404 });
	const locale = locals.locale;
	const en = locale === 'en';
	const png = await renderOgImage({
		site: `${translate(locale, 'site.name')} · ${translate(locale, 'site.tagline')}`,
		title: en ? project.nameEn : project.name,
		subtitle: project.compounds.map((c) => (en ? c.nameEn : c.name)).join(en ? ', ' : '、'),
		badge: translate(locale, `stage.${project.stage}`),
	});
	return new Response(new Uint8Array(png), {
		headers: {
			'Content-Type': 'image/png',
			'Cache-Control': 'public, max-age=3600',
			'Content-Length': String(png.byteLength),
		},
	});
};

import type { APIRoute } from 'astro';
import { disclosuresCsv, listDisclosures } from '../../../lib/server/aftercare/index.ts';
import { getDb } from '../../../lib/server/db.ts';
import { getProjectBySlug } from '../../../lib/server/projects/index.ts';

/** A project's money disclosures as CSV (UTF-8 with BOM, public); 404 for an unknown project. */
export const GET: APIRoute = async ({ params, locals }) => {
	const slug = params.slug ?? '';
	const db = await getDb();
	const project = /^[a-z0-9-]{2,63}$/.test(slug) ? await getProjectBySlug(db, slug) : null;
	if (!project) return new Response('Not found', { status: 404 });
	const csv = disclosuresCsv(await listDisclosures(db, project.id), locals.locale);
	return new Response(csv, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="${project.slug}-disclosures.csv"`,
			'Cache-Control': 'no-store',
		},
	});
};

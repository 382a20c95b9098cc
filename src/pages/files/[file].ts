import type { APIRoute } from 'astro';
import { getDb } from '../../lib/server/db.ts';
import { getPublishedAttachment } from '../../lib/server/plans/index.ts';

/** PDF drawings of published plan versions, by content hash: immutable, never a path. */
export const GET: APIRoute = async ({ params, request }) => {
	const match = /^([0-9a-f]{64})\.pdf$/.exec(params.file ?? '');
	if (!match) return new Response('Not found', { status: 404 });
	const etag = `"${match[1]}"`;
	const headers = {
		'Content-Type': 'application/pdf',
		'Cache-Control': 'public, max-age=31536000, immutable',
		ETag: etag,
		'Content-Security-Policy': "default-src 'none'; sandbox",
	};
	if (request.headers.get('if-none-match') === etag)
		return new Response(null, { status: 304, headers });
	const file = await getPublishedAttachment(await getDb(), match[1]!);
	if (!file) return new Response('Not found', { status: 404 });
	return new Response(file.data as Uint8Array<ArrayBuffer>, {
		headers: {
			...headers,
			'Content-Length': String(file.byteLength),
			'Content-Disposition': `inline; filename="drawing.pdf"; filename*=UTF-8''${encodeURIComponent(file.title)}.pdf`,
		},
	});
};

import type { APIRoute } from 'astro';
import { getDb } from '../../lib/server/db.ts';
import { getVariant } from '../../lib/server/images/index.ts';

const types = { jpg: 'image/jpeg', webp: 'image/webp', avif: 'image/avif' } as const;
const formats = { jpg: 'jpeg', webp: 'webp', avif: 'avif' } as const;

/**
 * Image variants by content hash: immutable URLs, cached for a year, revalidated by ETag. Only
 * variants are served (originals keep their metadata and stay private). Anything that is not
 * exactly <64 hex>.<jpg|webp|avif> is a 404 — no paths, no traversal.
 */
export const GET: APIRoute = async ({ params, request }) => {
	const match = /^([0-9a-f]{64})\.(jpg|webp|avif)$/.exec(params.file ?? '');
	if (!match) return new Response('Not found', { status: 404 });
	const [, hash, ext] = match as unknown as [string, string, keyof typeof types];
	const etag = `"${hash}"`;
	const headers = {
		'Content-Type': types[ext],
		'Cache-Control': 'public, max-age=31536000, immutable',
		ETag: etag,
		'Cross-Origin-Resource-Policy': 'cross-origin',
	};
	if (request.headers.get('if-none-match') === etag)
		return new Response(null, { status: 304, headers });
	const variant = await getVariant(await getDb(), hash, formats[ext]);
	if (!variant) return new Response('Not found', { status: 404 });
	return new Response(variant.bytes as Uint8Array<ArrayBuffer>, {
		headers: { ...headers, 'Content-Length': String(variant.byteLength) },
	});
};

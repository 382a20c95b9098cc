import type { RosterFile } from '../../../lib/server/roster/index.ts';

/** A roster file as a download: never cached (it lists households), never sniffed. */
export function fileResponse(file: RosterFile): Response {
	return new Response(new Uint8Array(file.bytes), {
		headers: {
			'Content-Type': file.contentType,
			'Content-Disposition': `attachment; filename="${file.filename}"`,
			'Cache-Control': 'no-store',
			'X-Content-Type-Options': 'nosniff',
		},
	});
}

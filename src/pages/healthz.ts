import type { APIRoute } from 'astro';

/** Liveness: the process answers. No database call, so a database outage does not restart us. */
export const GET: APIRoute = () =>
	new Response('ok\n', {
		headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
	});

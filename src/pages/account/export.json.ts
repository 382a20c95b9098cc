import type { APIRoute } from 'astro';
import { exportMyData } from '../../lib/server/account/index.ts';
import { getDb } from '../../lib/server/db.ts';

/** PIPL: the resident's data as a JSON download. Visitors are sent to sign in. */
export const GET: APIRoute = async ({ locals, redirect }) => {
	if (locals.actor?.kind !== 'resident') return redirect('/login?next=%2Faccount', 303);
	const data = await exportMyData(await getDb(), locals.actor);
	return new Response(JSON.stringify(data, null, 2), {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': 'attachment; filename="gongjian-my-data.json"',
			'Cache-Control': 'no-store',
		},
	});
};

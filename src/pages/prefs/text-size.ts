import type { APIRoute } from 'astro';
import { safeRedirectPath } from '../../lib/server/http/index.ts';

/**
 * The large-text (适老化) switch: a plain form POST that sets a cookie and goes back, so it works
 * without JavaScript. The preference is not personal data and not tied to an account.
 */
export const POST: APIRoute = async ({ request, cookies, redirect, locals }) => {
	const form = await request.formData().catch(() => null);
	const size = form?.get('size') === 'large' ? 'large' : 'normal';
	cookies.set('gj_text', size, {
		path: '/',
		maxAge: 60 * 60 * 24 * 365,
		httpOnly: true,
		sameSite: 'lax',
		secure: locals.https,
	});
	return redirect(safeRedirectPath(form?.get('back')), 303);
};

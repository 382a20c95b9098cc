import type { AstroGlobal } from 'astro';
import { localizePath } from '../i18n/index.ts';
import { can, type Action } from '../lib/server/policy/index.ts';
import type { Resource, ResidentActor, StaffActor } from '../lib/server/policy/index.ts';

type Guarded<T> = { actor: T; redirect: null } | { actor: null; redirect: Response };

/** The page to come back to after signing in: a form's action marker (`_action`) is left out. */
function here(astro: AstroGlobal): string {
	const query = new URLSearchParams(astro.url.search);
	query.delete('_action');
	const search = query.size > 0 ? `?${query}` : '';
	return localizePath(astro.locals.locale, astro.locals.path) + search;
}

/** Pages for residents: a visitor is sent to sign in and brought back afterwards. */
export function requireResident(astro: AstroGlobal): Guarded<ResidentActor> {
	const actor = astro.locals.actor;
	if (actor?.kind === 'resident') return { actor, redirect: null };
	const next = encodeURIComponent(here(astro));
	return {
		actor: null,
		redirect: astro.redirect(localizePath(astro.locals.locale, `/login?next=${next}`), 303),
	};
}

/**
 * Staff pages: a visitor goes to the staff sign-in; a signed-in user without the permission
 * gets 404 (we do not reveal what exists in another community).
 */
export async function requireStaff(
	astro: AstroGlobal,
	action: Action,
	resource: Resource = {},
): Promise<Guarded<StaffActor>> {
	const actor = astro.locals.actor;
	if (actor?.kind !== 'staff') {
		const next = encodeURIComponent(here(astro));
		return {
			actor: null,
			redirect: astro.redirect(localizePath(astro.locals.locale, `/staff/login?next=${next}`), 303),
		};
	}
	if (!can(actor, action, resource)) {
		return {
			actor: null,
			redirect: await astro.rewrite(localizePath(astro.locals.locale, '/404')),
		};
	}
	return { actor, redirect: null };
}

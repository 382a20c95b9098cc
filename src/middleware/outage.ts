import { defineMiddleware } from 'astro:middleware';
import { translate } from '../i18n/index.ts';
import { getDb } from '../lib/server/db.ts';
import {
	asUnavailable,
	isDatabaseUnavailable,
	markDatabaseDown,
	markDatabaseUp,
	probeDatabase,
	refuseWhileDown,
	unavailableResponse,
} from '../lib/server/http/index.ts';
import { logger } from '../lib/server/shared/index.ts';

/**
 * While the database is away: 503 with Retry-After (health checks still answer). A request
 * that meets the outage gets the same, and opens the breaker; only a connection error does —
 * a slow answer under load is not an outage.
 */
export const outage = defineMiddleware(async (context, next) => {
	const { locale, requestId } = context.locals;
	const api = context.url.pathname.startsWith('/_actions/');
	const unavailable = () => unavailableResponse(translate(locale, 'error.500.body'), api);
	if (!/^\/(healthz|readyz)$/.test(context.url.pathname) && refuseWhileDown()) return unavailable();
	let response: Response;
	try {
		response = await next();
	} catch (error) {
		if (!isDatabaseUnavailable(error)) throw error;
		logger.warn({ err: error, requestId, path: context.url.pathname }, 'database unavailable');
		markDatabaseDown();
		return unavailable();
	}
	// A command that failed on the database shows as a 500 (actions/run.ts): if the database
	// does not answer now, it is an outage, not a bug.
	const probe = response.status === 500 ? await probeDatabase(await getDb()) : 'up';
	if (probe !== 'up') {
		if (probe === 'down') markDatabaseDown();
		return unavailable();
	}
	if (response.status < 500) markDatabaseUp();
	else if (response.status === 503 && !response.headers.has('Retry-After'))
		return asUnavailable(response);
	return response;
});

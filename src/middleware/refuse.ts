import { defineMiddleware } from 'astro:middleware';
import { translate } from '../i18n/index.ts';
import { asDomainError, httpStatus, logger } from '../lib/server/shared/index.ts';

/**
 * A page that refused its input (a route id out of range, a date that does not exist, data
 * PostgreSQL refused) answers with the error's status and a short translated text, not a 500.
 */
export const refuse = defineMiddleware(async (context, next) => {
	try {
		return await next();
	} catch (error) {
		const refused = asDomainError(error);
		if (!refused) throw error;
		const { locale, requestId } = context.locals;
		logger.info({ err: error, requestId, path: context.url.pathname }, 'request refused');
		const headers: Record<string, string> = {
			'Content-Type': 'text/plain; charset=utf-8',
			'Cache-Control': 'no-store',
		};
		if (refused.retryAfter) headers['Retry-After'] = String(refused.retryAfter);
		return new Response(translate(locale, refused.messageKey, refused.params), {
			status: httpStatus[refused.code],
			headers,
		});
	}
});

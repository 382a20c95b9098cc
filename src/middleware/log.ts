import { defineMiddleware } from 'astro:middleware';
import { isClientAbort } from '../lib/server/http/index.ts';
import { logger } from '../lib/server/shared/index.ts';

/** One line per request (errors at error level), and a client that hung up is no failure. */
export const log = defineMiddleware(async (context, next) => {
	const started = performance.now();
	const { requestId } = context.locals;
	const path = context.url.pathname;
	let response: Response;
	try {
		response = await next();
	} catch (error) {
		if (isClientAbort(error)) {
			logger.debug({ requestId, path }, 'client closed the request');
			return new Response(null, { status: 400 });
		}
		logger.error({ err: error, requestId, path }, 'request failed');
		throw error;
	}
	const status = response.status;
	(status >= 500 ? logger.error : logger.debug).call(
		logger,
		{
			requestId,
			method: context.request.method,
			path,
			status,
			ms: Math.round(performance.now() - started),
		},
		'request',
	);
	return response;
});

import { defineMiddleware } from 'astro:middleware';
import { translate } from '../i18n/index.ts';
import {
	badActionBody,
	hasMalformedJson,
	isActionRequest,
	withActionMessage,
} from '../lib/server/http/action-errors.ts';
import { isMutation } from '../lib/server/http/security.ts';

/** An action body we cannot read is the client's error (400), with a message, not Astro's 500. */
export const actionBody = defineMiddleware(async (context, next) => {
	const { request, url } = context;
	if (!isMutation(request.method) || !isActionRequest(url)) return next();
	const message = translate(context.locals.locale, 'error.badRequest');
	if (await hasMalformedJson(request)) return badActionBody(url, message);
	// Astro refuses some unreadable action bodies (415) with an empty message: say what failed.
	return withActionMessage(await next(), message);
});

import { ActionError, type ActionAPIContext } from 'astro:actions';
import { translate } from '../i18n/index.ts';
import { asDomainError, type ErrorCode, logger } from '../lib/server/shared/index.ts';
import { getDb } from '../lib/server/db.ts';
import { isDatabaseUnavailable, markDatabaseDown } from '../lib/server/http/index.ts';
import { invalidatePages, pagesChangedBy } from '../lib/server/pages/index.ts';

const actionCodes: Record<ErrorCode, ActionError['code']> = {
	invalid: 'BAD_REQUEST',
	unauthenticated: 'UNAUTHORIZED',
	forbidden: 'FORBIDDEN',
	not_found: 'NOT_FOUND',
	conflict: 'CONFLICT',
	closed: 'CONFLICT',
	rate_limited: 'TOO_MANY_REQUESTS',
};

/**
 * Runs a command for an action (with the action's `input`, whose project names the cached pages
 * to drop once it committed) and turns domain errors (and what `asDomainError` recognises: image
 * refusals, data PostgreSQL refused) into translated ActionErrors (HTTP status from the error
 * code). Anything else is logged with the request id and shown as a
 * generic, translated message: internals never reach the page.
 */
export async function run<T>(
	ctx: ActionAPIContext,
	input: unknown,
	command: () => Promise<T>,
): Promise<T> {
	let result: T;
	let pages: string[];
	try {
		const db = await getDb();
		pages = await pagesChangedBy(db, actionName(ctx.url), input);
		result = await command();
	} catch (error) {
		const locale = ctx.locals.locale;
		const domain = asDomainError(error);
		if (domain) {
			throw new ActionError({
				code: actionCodes[domain.code],
				message: translate(locale, domain.messageKey, domain.params),
			});
		}
		if (error instanceof ActionError) throw error;
		if (isDatabaseUnavailable(error)) {
			// The database is down or out of space: nothing was stored; ask to retry shortly.
			markDatabaseDown();
			throw new ActionError({
				code: 'SERVICE_UNAVAILABLE',
				message: translate(locale, 'error.tryAgain'),
			});
		}
		logger.error({ err: error, requestId: ctx.locals.requestId }, 'action failed');
		throw new ActionError({
			code: 'INTERNAL_SERVER_ERROR',
			message: `${translate(locale, 'error.500.body')} ${translate(locale, 'error.reference', { id: ctx.locals.requestId })}`,
		});
	}
	// Committed: the cached public pages that showed what changed go.
	await invalidatePages(await getDb(), pages);
	return result;
}

/** `opinions.meToo` from `/_actions/opinions.meToo` or a form's `?_action=opinions.meToo`. */
const actionName = (url: URL) =>
	url.searchParams.get('_action') ?? url.pathname.replace(/^\/_actions\//, '');

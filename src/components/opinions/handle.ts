import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';
import { localizePath } from '../../i18n/index.ts';
import { formState, postedForm, type FormState } from '../forms/state.ts';
import { pageUrl } from './format.ts';

export type OpinionFormKind = 'post' | 'reply' | 'meToo' | 'report' | 'revise' | 'withdraw';

/** What the plan page and the Opinions component need after an opinion form was posted. */
export type OpinionFormResult = {
	/** Set on success: POST/Redirect/GET back to the page, at the opinions (or the opinion). */
	redirect?: Response;
	state: FormState;
	/** What the resident typed, to put back into the form after an error. */
	typed: { body: string; alignment: string; about: string };
	/** The form the result belongs to; `opinionId` is the opinion replied to, backed or reported. */
	form: { kind: OpinionFormKind; opinionId: number | null; anchor: string } | null;
};

const empty: OpinionFormResult = {
	state: { error: null, fields: {} },
	typed: { body: '', alignment: '', about: '' },
	form: null,
};

// One result per request: the page calls the handler, the component reads the same result.
const handled = new WeakMap<Request, OpinionFormResult>();

const ANCHOR = /^opinions(-(version|[ri][1-9]\d{0,9}))?$/;

const text = (form: FormData | null, name: string, max: number) => {
	const value = form?.get(name);
	return typeof value === 'string' ? value.slice(0, max) : '';
};

const positiveId = (value: string): number | null =>
	/^[1-9]\d{0,9}$/.test(value) ? Number(value) : null;

/** The page's own URL (localised), without `_action`; a new post goes back to page 1. */
function backTo(astro: AstroGlobal, returnPath: string | undefined, dropPages: boolean): string {
	const path = returnPath ?? localizePath(astro.locals.locale, astro.locals.path);
	const current = new URLSearchParams(astro.url.searchParams);
	if (dropPages)
		for (const key of [...current.keys()]) if (/(^|-)page$/.test(key)) current.delete(key);
	return pageUrl(path, current).href;
}

/**
 * Call in the plan page's frontmatter, before rendering anything:
 *
 *     const opinions = await handleOpinionActions(Astro);
 *     if (opinions.redirect) return opinions.redirect;
 *
 * Reads the result of `opinions.post|reply|meToo|report`. On success it returns a 303 redirect
 * back to the page (`returnPath`, default the current page) at `#opinions` — or at the opinion
 * replied to, backed or reported; on error a translated form state and what was typed, which
 * the Opinions component shows next to the right form (it finds this result by itself).
 */
export async function handleOpinionActions(
	astro: AstroGlobal,
	options: { returnPath?: string } = {},
): Promise<OpinionFormResult> {
	const cached = handled.get(astro.request);
	if (cached) return cached;
	const results = [
		['post', astro.getActionResult(actions.opinions.post)],
		['reply', astro.getActionResult(actions.opinions.reply)],
		['meToo', astro.getActionResult(actions.opinions.meToo)],
		['report', astro.getActionResult(actions.opinions.report)],
		['revise', astro.getActionResult(actions.opinions.revise)],
		['withdraw', astro.getActionResult(actions.opinions.withdraw)],
	] as const;
	const found = results.find(([, result]) => result !== undefined);
	if (!found) return empty;
	const [kind, result] = found;
	const posted = await postedForm(astro.request);
	const anchorField = text(posted, 'anchor', 40);
	const anchor = ANCHOR.test(anchorField) ? anchorField : 'opinions';
	const opinionId = positiveId(text(posted, kind === 'reply' ? 'parentId' : 'opinionId', 12));
	const outcome: OpinionFormResult = {
		state: formState(astro.locals.locale, result),
		typed: {
			body: text(posted, 'body', 8000),
			alignment: text(posted, 'alignment', 16),
			about: text(posted, 'about', 16),
		},
		form: { kind, opinionId, anchor },
	};
	if (!result?.error) {
		const fragment = kind === 'post' || opinionId === null ? anchor : `opinion-${opinionId}`;
		outcome.redirect = astro.redirect(
			`${backTo(astro, options.returnPath, kind === 'post')}#${fragment}`,
			303,
		);
	}
	handled.set(astro.request, outcome);
	return outcome;
}

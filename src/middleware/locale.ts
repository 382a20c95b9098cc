import { defineMiddleware } from 'astro:middleware';

/** English lives under /en/…: the page is rendered from the path without the prefix. */
export const locale = defineMiddleware((context, next) => {
	const { path } = context.locals;
	return path !== context.url.pathname ? next(path + context.url.search) : next();
});

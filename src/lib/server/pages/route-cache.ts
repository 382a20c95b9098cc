/**
 * Astro's route cache (astro.config `cache.provider`): its memory provider, made reachable from
 * outside a request, so a command's invalidation — or another instance's, by NOTIFY (index.ts) —
 * reaches it. A page whose render began before an invalidation of any tag is dropped again once
 * stored: it may have read the data as it was before that command committed.
 *
 * The built server bundles its own copy of this module and src/start.ts imports another: both
 * share one registry through globalThis.
 */
import memoryProvider from 'astro/cache/memory';
import type { CacheProvider, CacheProviderFactory } from 'astro';
import { SESSION_COOKIE } from '../auth/index.ts';

type Registry = {
	provider: CacheProvider | null;
	/** Invalidations by sequence number, the last few hundred (a render takes well under that). */
	invalidations: { seq: number; tags: string[] }[];
	seq: number;
};
/** The tag every cached page carries. */
export const ALL_PAGES = 'pages';

const KEY = Symbol.for('gongjian.routeCache');
const registry: Registry = ((globalThis as { [KEY]?: Registry })[KEY] ??= {
	provider: null,
	invalidations: [],
	seq: 0,
});

const routeCache: CacheProviderFactory = (config) => {
	const memory = memoryProvider(config);
	const provider: CacheProvider = {
		name: 'memory',
		async onRequest(context, next) {
			if (!isAnonymous(context.request)) return next();
			const started = registry.seq;
			const response = await memory.onRequest!(context, next);
			if (registry.seq !== started) {
				const since = registry.invalidations.filter((i) => i.seq > started);
				// History trimmed past this render's start: drop every page to be sure.
				const complete = since[0]?.seq === started + 1;
				await memory.invalidate({ tags: complete ? since.flatMap((i) => i.tags) : [ALL_PAGES] });
			}
			return response;
		},
		invalidate: (options) => memory.invalidate(options),
	};
	registry.provider = provider;
	return provider;
};
export default routeCache;

/**
 * Only visitors share pages: a request with a session cookie (valid or not) or the large-text
 * preference neither gets a cached page nor leaves one.
 */
function isAnonymous(request: Request): boolean {
	const cookies = request.headers.get('cookie') ?? '';
	return !new RegExp(`(^|;\\s*)(${SESSION_COOKIE}=|gj_text=large)`).test(cookies);
}

/** Drops this instance's cached pages that carry any of `tags`. */
export async function invalidateHere(tags: string[]): Promise<void> {
	registry.seq += 1;
	registry.invalidations.push({ seq: registry.seq, tags });
	if (registry.invalidations.length > 500) registry.invalidations.splice(0, 250);
	await registry.provider?.invalidate({ tags });
}

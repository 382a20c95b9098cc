// @ts-check
import node from '@astrojs/node';
import svelte from '@astrojs/svelte';
import { defineConfig } from 'astro/config';

export default defineConfig({
	output: 'server',
	adapter: node({ mode: 'standalone' }),
	integrations: [svelte()],
	// Our login sessions live in PostgreSQL (src/lib/server/auth); Astro's own session store is
	// not used, so it gets no filesystem driver that would break with several instances.
	session: false,
	// Astro's route cache, memory provider: visitors' public pages, by tag (src/lib/server/pages).
	cache: { provider: { name: 'memory', entrypoint: './src/lib/server/pages/route-cache.ts' } },
	build: {
		// Small stylesheets are inlined (one request less on a slow phone); CSP hashes them.
		inlineStylesheets: 'auto',
	},
	security: {
		// The origin rule is src/middleware/protect.ts (every mutation, every content type, the
		// public origin from TRUST_PROXY at run time); the file says why Astro's is not enough.
		checkOrigin: false,
		// Two rendering images of up to 20 MB each in one form, plus fields.
		actionBodySizeLimit: 45 * 1024 * 1024,
		csp: {
			algorithm: 'SHA-256',
			directives: [
				"default-src 'self'",
				"img-src 'self' data: blob:",
				"font-src 'self'",
				"connect-src 'self'",
				"object-src 'none'",
				"base-uri 'self'",
				"form-action 'self'",
				"frame-ancestors 'none'",
			],
		},
	},
	vite: {
		build: {
			// Conservative targets: WeChat's in-app browser and old Android phones.
			target: ['chrome87', 'safari14', 'firefox78', 'edge88'],
		},
	},
	server: { port: 4321, host: '127.0.0.1' },
	devToolbar: { enabled: false },
	markdown: { syntaxHighlight: false },
});

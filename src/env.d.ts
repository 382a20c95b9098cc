/// <reference types="astro/client" />

type GongjianLocale = import('./i18n/index.ts').Locale;

declare namespace App {
	interface Locals {
		requestId: string;
		locale: GongjianLocale;
		/** The request path without the locale prefix, for language switch links. */
		path: string;
		textSize: 'normal' | 'large';
		/** The origin the browser used (the proxy's forwarded one when TRUST_PROXY). */
		origin: string;
		/** The browser reached us over TLS (directly or through a trusted proxy): cookies get Secure. */
		https: boolean;
		/** The client address (the proxy's X-Forwarded-For when TRUST_PROXY), for rate limits. */
		ip: string;
		/** Who is signed in, for the policy module (null: a visitor). */
		actor: import('./lib/server/policy/index.ts').Actor | null;
		sessionId: string | null;
	}
}

/**
 * Answers during a database outage (http/unavailable.ts): a 503 made elsewhere — Astro's answer
 * to an action that met the outage — gets the same Retry-After and no-store as the middleware's
 * own, keeping its status and body; errors are told apart from an outage.
 */
import { describe, expect, it } from 'vitest';
import {
	RETRY_AFTER_SECONDS,
	asUnavailable,
	isDatabaseUnavailable,
	unavailableResponse,
} from '../../../src/lib/server/http/unavailable.ts';

describe('503 answers', () => {
	it('gives a 503 from an action Retry-After and no-store, keeping its page', async () => {
		const page = new Response('<p>请稍后再试</p>', {
			status: 503,
			headers: { 'Content-Type': 'text/html; charset=utf-8' },
		});
		const answer = asUnavailable(page);
		expect(answer.status).toBe(503);
		expect(answer.headers.get('Retry-After')).toBe(String(RETRY_AFTER_SECONDS));
		expect(answer.headers.get('Cache-Control')).toBe('no-store');
		expect(answer.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
		expect(await answer.text()).toBe('<p>请稍后再试</p>');
	});

	it('answers the middleware’s own 503 with the same headers, JSON on the action API', async () => {
		for (const api of [false, true]) {
			const answer = unavailableResponse('稍后再试', api);
			expect(answer.status).toBe(503);
			expect(answer.headers.get('Retry-After')).toBe(String(RETRY_AFTER_SECONDS));
			expect(answer.headers.get('Cache-Control')).toBe('no-store');
			if (api)
				expect(await answer.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
		}
	});

	it('tells an outage (connection errors, SQLSTATE 08, 53, 57P01–03, causes) from other errors', () => {
		const withCode = (code: string) => Object.assign(new Error(code), { code });
		expect(isDatabaseUnavailable(withCode('ECONNREFUSED'))).toBe(true);
		expect(isDatabaseUnavailable(withCode('57P01'))).toBe(true);
		// A write that reached a standby during a failover (read_only_sql_transaction).
		expect(isDatabaseUnavailable(withCode('25006'))).toBe(true);
		expect(isDatabaseUnavailable(new Error('wrapped', { cause: withCode('53100') }))).toBe(true);
		expect(isDatabaseUnavailable(withCode('23505'))).toBe(false);
		expect(isDatabaseUnavailable(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }))).toBe(
			false,
		);
	});
});
